"""CRLF stays CRLF."""


def get_flavor(flavor_id: int) -> dict:
    """Get flavor."""
    return {}
