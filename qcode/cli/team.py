"""CLI commands: team (see qcode.cli.app)."""
