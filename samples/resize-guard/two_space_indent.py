"""A module indented with two spaces gets a two-space try."""


class Resize:
  def run(self, server):
    req = {'resize': {'flavorRef': '2'}}
    self.api.post_server_action(server['id'], req)
