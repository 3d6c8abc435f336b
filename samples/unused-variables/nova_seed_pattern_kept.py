"""The seed review's claims, both false: ``flavors`` is read, ``compute_driver`` is a class attribute."""

from nova.tests.functional import integrated_helpers


class ResizeRegressionTest(integrated_helpers._IntegratedTestBase):
    compute_driver = "fake.SmallFakeDriver"

    def test_resize(self):
        flavors = self.api.get_flavors()
        flavor1 = flavors[0]
        flavor2 = flavors[1]
        server = self._build_server(flavor_id=flavor1["id"])
        self._resize_server(server, flavor2["id"])
