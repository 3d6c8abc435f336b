"""``python -m codemods``: the same command line as ``codemods``.

``python -m`` puts the current directory first on ``sys.path``; ``codemods/__init__.py``
takes it off before importing anything else (see ``_drop_current_directory`` there), so a
``click.py`` or ``libcst/`` in an untrusted checkout is not imported. A ``codemods/`` folder
in the checkout itself is beyond help: Python imports it instead of this package. In a
checkout you do not trust, run the ``codemods`` console script, or ``python -P -m codemods``
(Python 3.11+); see the trust model in docs/usage.md.
"""

from codemods.cli import main

if __name__ == "__main__":
    main(prog_name="codemods")
