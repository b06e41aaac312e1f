"""The reports app keeps no data of its own: rendered PDFs live in the shared cache."""
