"""Names matching ignore-names are left alone."""


class ServerTest:
    """Server tests."""

    def test_boot(self):
        pass

    def test_reboot(self):
        pass

    def get_server(self):
        pass
