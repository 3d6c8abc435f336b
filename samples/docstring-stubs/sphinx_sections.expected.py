"""Sphinx-style sections."""

from collections.abc import Iterator

from nova import exception


class Compute:
    """The compute API."""

    def __init__(self, host: str, port=8774):
        """Initialize Compute.

        :param host: Describe host.
        :type host: str
        :param port: Describe port.
        """
        self.host = host

    def get_flavor(self, flavor_id: int, *args, strict: bool = False, **kwargs) -> dict:
        """Get flavor.

        :param flavor_id: Describe flavor_id.
        :type flavor_id: int
        :param *args: Describe args.
        :param strict: Describe strict.
        :type strict: bool
        :param **kwargs: Describe kwargs.
        :return: Describe the return value.
        :rtype: dict
        :raises ValueError: Describe ValueError.
        :raises exception.FlavorNotFound: Describe exception.FlavorNotFound.
        """
        if flavor_id < 0:
            raise ValueError(flavor_id)
        try:
            return self.flavors[flavor_id]
        except KeyError:
            raise exception.FlavorNotFound(flavor_id=flavor_id)

    def list_hosts(self, zone):
        """List hosts."""
        return [h for h in self.hosts if h.zone == zone]

    def iter_servers(self) -> Iterator[str]:
        """Describe iter_servers.

        :yield: Describe the yielded values.
        :ytype: str
        """
        yield from self.servers

    def stop(self, _force, __):
        """Stop.

        :param _force: Describe _force.
        """
        self.running = False

    @staticmethod
    def check_name(name: "str | None") -> None:
        """Check name.

        :param name: Describe name.
        :type name: 'str | None'
        :raises exception.Invalid: Describe exception.Invalid.
        """
        if name is None:
            raise exception.Invalid()
