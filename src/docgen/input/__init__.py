"""The workbook in: the .xlsx package read, every cell located, a typed and validated model out."""
