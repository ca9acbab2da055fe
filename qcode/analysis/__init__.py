"""qcode.analysis."""
