"""`python -m citecheck` runs the command-line interface."""

from citecheck.cli import main

main()
