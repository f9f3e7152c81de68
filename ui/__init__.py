"""The Qt layer of OCCE Bureau: start-up, main window, one module per tab, dialogs, preview."""
