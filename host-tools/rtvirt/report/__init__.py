"""Reports of stored results: the comparison table, OSADL-style plots and the HTML page."""
