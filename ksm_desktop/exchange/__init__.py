"""Excel and CSV in and out: reading spreadsheets safely, recognising columns, exporting lists."""
