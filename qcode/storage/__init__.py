"""qcode.storage."""
