"""An f-string first statement is not a docstring."""

VERSION = "1.0"


def version():
    f"Version {VERSION}"
    return VERSION
