"""Reading the inputs: pre-flight of each workbook, counts, parameters, applications, the configuration."""
