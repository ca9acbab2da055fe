"""CLI commands: analysis (see qcode.cli.app)."""
