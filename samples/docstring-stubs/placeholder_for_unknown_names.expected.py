"""Names that give no honest summary."""


def main():
    """TODO: describe main."""
    pass


def flavor_for(server):
    """TODO: describe flavor_for."""
    return server.flavor


def is_valid(server):
    """Return whether it is valid."""
    return server.ok


class Ω:
    """TODO: describe Ω."""

    pass
