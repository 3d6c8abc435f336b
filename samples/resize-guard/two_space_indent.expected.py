"""A module indented with two spaces gets a two-space try."""
from _project import FunctionalTestBase


class Resize(FunctionalTestBase):
  def run(self, server):
    req = {'resize': {'flavorRef': '2'}}
    try:
      self.api.post_server_action(server['id'], req)
    except Exception:
      self.api.delete_server(server['id'])
      self._delete_server_allocations(server['id'])
      raise
