"""A module indented with two spaces gets a two-space try."""


class Resize:
  def run(self, server):
    req = {'resize': {'flavorRef': '2'}}
    try:
      self.api.post_server_action(server['id'], req)
    except Exception:
      self.api.delete_server(server['id'])
      self._release_allocations(server['id'])
      self._update_resource_provider(server['id'])
      raise
