"""ReportLab renderers: plain data in, PDF bytes out. They compute nothing, they lay out."""
