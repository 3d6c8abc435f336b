"""Only what __all__ exports is public."""

__all__ = ["create_server", "Flavor"]


def create_server(name):
    """Create server."""
    return {"name": name}


def delete_server(server):
    server.clear()


class Flavor:
    """Flavor."""

    def resize(self):
        """Resize."""
        pass


class Image:
    def upload(self):
        pass
