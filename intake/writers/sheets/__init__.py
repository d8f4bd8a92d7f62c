"""One module per sheet of the review workbook, plus shared styling (style) and record helpers (common)."""
