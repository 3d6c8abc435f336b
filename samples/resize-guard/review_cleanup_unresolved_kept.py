"""The seed review's cleanup calls helpers this project does not have: nothing is written."""
from _project import FunctionalTestBase


class FinishResizeErrorTest(FunctionalTestBase):
    def test_finish_resize_fails(self, server):
        req = {'resize': {'flavorRef': '2'}}
        self.api.post_server_action(server['id'], req)
