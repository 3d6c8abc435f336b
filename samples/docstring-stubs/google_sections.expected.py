"""Google-style sections."""

from collections.abc import Iterator

from nova import exception


class Compute:
    """The compute API."""

    def __init__(self, host: str, port=8774):
        """Initialize Compute.

        Args:
            host (str): Describe host.
            port: Describe port.
        """
        self.host = host

    def get_flavor(self, flavor_id: int, *args, strict: bool = False, **kwargs) -> dict:
        """Get flavor.

        Args:
            flavor_id (int): Describe flavor_id.
            *args: Describe args.
            strict (bool): Describe strict.
            **kwargs: Describe kwargs.

        Returns:
            dict: Describe the return value.

        Raises:
            ValueError: Describe ValueError.
            exception.FlavorNotFound: Describe exception.FlavorNotFound.
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

        Yields:
            str: Describe the yielded values.
        """
        yield from self.servers

    def stop(self, _force, __):
        """Stop.

        Args:
            _force: Describe _force.
        """
        self.running = False

    @staticmethod
    def check_name(name: "str | None") -> None:
        """Check name.

        Args:
            name ('str | None'): Describe name.

        Raises:
            exception.Invalid: Describe exception.Invalid.
        """
        if name is None:
            raise exception.Invalid()
