"""CLI commands: codings (see qcode.cli.app)."""
