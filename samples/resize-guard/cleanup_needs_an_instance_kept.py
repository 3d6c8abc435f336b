"""The cleanup calls the test's own helpers: a free function or a staticmethod has no instance."""
from _project import FunctionalTestBase


def resize(api, server):
    api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})


class ResizeTest(FunctionalTestBase):
    @staticmethod
    def resize(api, server):
        api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})

    @classmethod
    def resize_all(cls, server):
        cls.api.post_server_action(server['id'], {'resize': {'flavorRef': '2'}})
