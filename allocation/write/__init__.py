"""Writing workbooks: the allocation workbook sheet by sheet, templates, the comparison workbook."""
