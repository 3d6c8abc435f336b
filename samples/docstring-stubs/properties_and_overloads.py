"""Properties, overloads and overrides."""

import typing as t
from typing import overload as ov

from typing_extensions import override


class Server:
    """A server."""

    @property
    def host_name(self):
        return self._host

    @host_name.setter
    def host_name(self, value):
        self._host = value

    @host_name.deleter
    def host_name(self):
        del self._host

    @property
    def is_active(self):
        return self._active

    @t.overload
    def resize(self, flavor: int) -> None: ...

    @ov
    def resize(self, flavor: str) -> None: ...

    def resize(self, flavor):
        self.flavor = flavor

    @override
    def reboot(self):
        pass
