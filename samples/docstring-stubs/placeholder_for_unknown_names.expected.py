"""Names that give no honest summary."""


def main():
    """Describe main."""
    pass


def flavor_for(server):
    """Describe flavor_for."""
    return server.flavor


def is_valid(server):
    """Return whether it is valid."""
    return server.ok


class Ω:
    """Describe Ω."""

    pass
