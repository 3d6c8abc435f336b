"""A resize whose failure is what the test expects is never wrapped."""
import pytest
from _project import FunctionalTestBase


class ResizeRejectedTest(FunctionalTestBase):
    def test_resize_rejected(self):
        req = {'resize': {'flavorRef': '2'}}
        with self.assertRaises(client.OpenStackApiException):
            self.api.post_server_action(self.server['id'], req)

    def test_resize_rejected_pytest(self, api, server):
        with pytest.raises(client.OpenStackApiException):
            api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})
