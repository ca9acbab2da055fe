"""CLI commands: project (see qcode.cli.app)."""
