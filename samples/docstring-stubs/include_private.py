"""Private definitions on request."""


def _retry(call):
    def wrapper(*args):
        return call(*args)

    return wrapper


class _Cache:
    def _evict(self):
        pass
