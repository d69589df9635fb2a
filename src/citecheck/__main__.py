"""`python -m citecheck` runs the command-line interface."""

from citecheck.cli import main

if __name__ == "__main__":  # not when multiprocessing's spawn imports it again
    main()
