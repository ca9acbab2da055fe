"""``python -m qcode`` runs the command-line interface."""

from qcode.cli import main

if __name__ == "__main__":
    main()
