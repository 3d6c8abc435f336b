"""The cleanup repeats the server argument: one with effects would run twice, so it is kept."""
from _project import FunctionalTestBase


class ResizeAllTest(FunctionalTestBase):
    def test_resize_pending(self, pending):
        self.api.post_server_action(pending.pop(), {'resize': {'flavorRef': '2'}})
