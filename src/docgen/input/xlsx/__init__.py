"""The .xlsx package read with lxml: its parts, sheets, number formats and strings (docs/reading.md)."""
