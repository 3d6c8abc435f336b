"""When a resize request may or may not reach the call, the call is left alone."""
from _project import FunctionalTestBase


class AmbiguousTest(FunctionalTestBase):
    def test_migrate_or_resize(self, server, resize):
        if resize:
            req = {'resize': {'flavorRef': '2'}}
        else:
            req = {'migrate': None}
        self.api.post_server_action(server['id'], req)

    def test_rebound_in_loop(self, server):
        req = {'resize': {'flavorRef': '2'}}
        for _ in range(2):
            self.api.post_server_action(server['id'], req)
            req = {'confirmResize': None}

    def test_request_from_caller(self, server, req):
        self.api.post_server_action(server['id'], req)

    def test_request_changed_in_place(self, server):
        req = {'resize': {'flavorRef': '2'}}
        req.pop('resize')
        self.api.post_server_action(server['id'], req)
