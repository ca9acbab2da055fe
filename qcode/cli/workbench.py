"""CLI commands: workbench (see qcode.cli.app)."""
