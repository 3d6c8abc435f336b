"""Server groups."""

from nova import test


class ServerGroupTestCase(test.TestCase):
    # The policy under test.
    policy = "anti-affinity"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.created = []

    def __repr__(self):
        return f"<ServerGroupTestCase {self.policy}>"

    def __call__(self, request):
        return self.handle(request)

    def setUp(self):
        super().setUp()

    def tearDown(self):
        super().tearDown()

    def get_flavors(self):
        return self.api.get_flavors()

    def _boot(self):
        return self.api.post_server({})

    def __boot_mangled(self):
        return None

    class Meta:
        ordering = ["name"]
