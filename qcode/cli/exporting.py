"""CLI commands: exporting (see qcode.cli.app)."""
