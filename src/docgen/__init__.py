"""docgen: turn a sales team's Excel workbook into a finished Word sales work summary."""

__version__ = "0.1.0"
