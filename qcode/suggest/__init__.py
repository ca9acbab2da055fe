"""qcode.suggest."""
