"""qcode.tui."""
