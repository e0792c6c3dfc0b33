"""Reports: the plan as JSON and as an Excel workbook; later the review as HTML."""
