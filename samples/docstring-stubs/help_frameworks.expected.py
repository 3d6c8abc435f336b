"""Frameworks that show docstrings to users: a stub would become the help they print."""

import cmd
from cmd import Cmd

from cliff import command
from cliff.lister import Lister
from cliff import show


class Shell(cmd.Cmd):
    """Shell."""

    prompt = "> "

    def do_greet(self, arg):
        print("hello", arg)

    def banner(self):
        """Describe banner."""
        pass


class Repl(Cmd):
    """A read-eval-print loop."""

    def do_quit(self, arg):
        return True


class Boot(command.Command):
    def take_action(self, parsed_args):
        """Take action."""
        return 0


class ListServers(Lister):
    def take_action(self, parsed_args):
        """Take action."""
        return (), ()


class ShowServer(show.ShowOne):
    def take_action(self, parsed_args):
        """Take action."""
        return (), ()


class BootAll(Boot):
    def take_action(self, parsed_args):
        """Take action."""
        return 1


class Flavor:
    """Flavor."""

    def get_name(self):
        """Get name."""
        return "m1.small"
