"""Server groups."""

from nova import test


class ServerGroupTestCase(test.TestCase):
    """Server group test case."""

    # The policy under test.
    policy = "anti-affinity"

    def __init__(self, *args, **kwargs):
        """Initialize ServerGroupTestCase."""
        super().__init__(*args, **kwargs)
        self.created = []

    def __repr__(self):
        """Return repr(self)."""
        return f"<ServerGroupTestCase {self.policy}>"

    def __call__(self, request):
        """Call self as a function."""
        return self.handle(request)

    def setUp(self):
        """Set up."""
        super().setUp()

    def tearDown(self):
        """Tear down."""
        super().tearDown()

    def get_flavors(self):
        """Get flavors."""
        return self.api.get_flavors()

    def _boot(self):
        return self.api.post_server({})

    def __boot_mangled(self):
        return None

    class Meta:
        """Meta."""

        ordering = ["name"]
