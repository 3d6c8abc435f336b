"""A skip comment on the statement leaves it alone."""


def resize(self, server):
    self.api.post_server_action(server['id'], {'resize': {}})  # codemods: skip[resize-guard]
