"""责任追究: what accountability records mean for the cases they name."""
