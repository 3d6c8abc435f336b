"""A module indented with two spaces gets a two-space try."""
from _project import FunctionalTestBase


class Resize(FunctionalTestBase):
  def run(self, server):
    req = {'resize': {'flavorRef': '2'}}
    self.api.post_server_action(server['id'], req)
