"""Private definitions on request."""


def _retry(call):
    """Retry."""

    def wrapper(*args):
        """TODO: describe wrapper."""
        return call(*args)

    return wrapper


class _Cache:
    """Cache."""

    def _evict(self):
        """TODO: describe _evict."""
        pass
