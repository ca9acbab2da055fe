"""CLI commands: suggesting (see qcode.cli.app)."""
