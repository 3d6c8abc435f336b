"""A skip comment on the statement leaves it alone."""
from _project import FunctionalTestBase


class ResizeTest(FunctionalTestBase):
    def resize(self, server):
        self.api.post_server_action(server['id'], {'resize': {}})  # codemods: skip[resize-guard]
