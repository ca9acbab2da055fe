"""Workbench widgets."""
