"""The workbench screens (each holds its own handlers; the app only routes)."""
