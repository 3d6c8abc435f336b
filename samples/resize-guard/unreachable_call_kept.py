"""A resize call no path reaches (after a return) is left alone, with a reason."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    """Test."""

    def test_resize(self):
        """Resize."""
        server = self._create_server()
        return
        body = {'resize': {'flavorRef': '2'}}
        self.api.post_server_action(server['id'], body)
