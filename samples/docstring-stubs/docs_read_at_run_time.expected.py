"""Docstrings read at run time: overrides inherit them, classes and callers read them."""

import inspect
from inspect import getdoc


class Service:
    """A service with workers."""

    def stop(self):
        """Stop gracefully, waiting for the workers to finish."""

    def start(self):
        """Start."""
        pass


class FastService(Service):
    """A service that does not wait."""

    def stop(self):
        pass

    def start(self):
        """Start."""
        pass


class QuickService(FastService):
    """A service that waits a little."""

    def stop(self):
        pass


class Describe:
    def describe(self):
        """Return the help text."""
        return inspect.getdoc(self)


class Usage:
    @classmethod
    def usage(cls):
        """Return the usage."""
        return getdoc(cls) or ""


class Banner:
    def banner(self):
        """Return the banner."""
        return inspect.getdoc(type(self))


class Title:
    def title(self):
        """Return the title."""
        return getattr(self, "__doc__", "")


class Heading:
    def heading(self):
        """Return the heading."""
        return self.__class__.__doc__


class Menu:
    """Commands listed with their docstrings."""

    def entries(self, names):
        """Return each command's docstring."""
        return [getattr(self, "cmd_" + name).__doc__ for name in names]

    def cmd_open(self):
        pass


class Tool:
    """A tool that documents one command."""

    def help(self):
        """Return the run command's help."""
        return inspect.getdoc(self.run)

    def run(self):
        pass

    def build(self):
        """Build."""
        pass


def report():
    pass


def summary():
    pass


def export():
    """Export."""
    pass


HELP = {
    "report": getattr(report, "__doc__"),
    "summary": inspect.getdoc(summary),
}
