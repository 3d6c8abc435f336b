"""post_server_action passed as the callable to assertRaises is not a call site."""
from _project import FunctionalTestBase


class ResizeVerifyTest(FunctionalTestBase):
    def test_resize_in_verify_resize(self):
        post = {'resize': {'flavorRef': '1'}}
        ex = self.assertRaises(client.OpenStackApiException,
                               self.api.post_server_action,
                               self.server['id'], post)
        self.assertEqual(409, ex.response.status_code)
