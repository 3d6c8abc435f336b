"""An inline resize request whose result is kept: the whole assignment is wrapped."""


def resize(self, server_id, flavor_id):
    resp = self.admin_api.post_server_action(
        server_id, {'resize': {'flavorRef': flavor_id}})
    return resp
