"""Calls in expressions that cannot hold a statement are left alone."""
from _project import FunctionalTestBase


class ExpressionTest(FunctionalTestBase):
    def test_contexts(self, servers):
        req = {'resize': {'flavorRef': '2'}}
        resize = lambda server: self.api.post_server_action(server['id'], req)
        results = [self.api.post_server_action(s['id'], req) for s in servers]
        if self.api.post_server_action(servers[0]['id'], req):
            pass
        while not self.api.post_server_action(servers[1]['id'], req):
            pass
        self.assertIsNone(self.api.post_server_action(servers[2]['id'], req))
        for event in self.api.post_server_action(servers[3]['id'], req):
            pass
        def later(response=self.api.post_server_action(servers[4]['id'], req)):
            return response
        return resize, results, later
