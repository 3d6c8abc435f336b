"""Configuration objects."""


class GuestDevice(Device):
    """A guest device."""

    def __init__(self, **kwargs):
        super(GuestDevice, self).\
                __init__(root_name='device', **kwargs)

    def parse(self, xml):
        """Parse."""
        super(GuestDevice, self).\
            parse(xml)
