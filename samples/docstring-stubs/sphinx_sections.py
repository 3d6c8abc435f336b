"""Sphinx-style sections."""

from collections.abc import Iterator

from nova import exception


class Compute:
    """The compute API."""

    def __init__(self, host: str, port=8774):
        self.host = host

    def get_flavor(self, flavor_id: int, *args, strict: bool = False, **kwargs) -> dict:
        if flavor_id < 0:
            raise ValueError(flavor_id)
        try:
            return self.flavors[flavor_id]
        except KeyError:
            raise exception.FlavorNotFound(flavor_id=flavor_id)

    def list_hosts(self, zone):
        return [h for h in self.hosts if h.zone == zone]

    def iter_servers(self) -> Iterator[str]:
        yield from self.servers

    def stop(self, _force, __):
        self.running = False

    @staticmethod
    def check_name(name: "str | None") -> None:
        if name is None:
            raise exception.Invalid()
