"""Private definitions on request."""


def _retry(call):
    """Retry."""

    def wrapper(*args):
        """Describe wrapper."""
        return call(*args)

    return wrapper


class _Cache:
    """Cache."""

    def _evict(self):
        """Describe _evict."""
        pass
