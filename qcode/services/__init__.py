"""qcode.services."""
