"""``python -m codemods``: the same command line as ``codemods``."""

from codemods.cli import main

if __name__ == "__main__":
    main(prog_name="codemods")
