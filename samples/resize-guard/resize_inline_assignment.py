"""An inline resize request whose result is kept: the whole assignment is wrapped."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def resize(self, server_id, flavor_id):
        resp = self.admin_api.post_server_action(
            server_id, {'resize': {'flavorRef': flavor_id}})
        return resp
