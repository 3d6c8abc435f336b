"""A resize in a one-line block: the block becomes an indented one."""
from _project import FunctionalTestBase


class MaybeResizeTest(FunctionalTestBase):
    def maybe_resize(self, server, wanted):
        if wanted:  # noqa: E701
            try:
                self.api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})
            except Exception:
                self.api.delete_server(server['id'])
                self._delete_server_allocations(server['id'])
                raise
