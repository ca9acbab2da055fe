"""qcode.export."""
