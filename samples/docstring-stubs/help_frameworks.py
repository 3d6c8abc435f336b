"""Frameworks that show docstrings to users: a stub would become the help they print."""

import cmd
from cmd import Cmd

from cliff import command
from cliff.lister import Lister
from cliff import show


class Shell(cmd.Cmd):
    prompt = "> "

    def do_greet(self, arg):
        print("hello", arg)

    def banner(self):
        pass


class Repl(Cmd):
    """A read-eval-print loop."""

    def do_quit(self, arg):
        return True


class Boot(command.Command):
    def take_action(self, parsed_args):
        return 0


class ListServers(Lister):
    def take_action(self, parsed_args):
        return (), ()


class ShowServer(show.ShowOne):
    def take_action(self, parsed_args):
        return (), ()


class BootAll(Boot):
    def take_action(self, parsed_args):
        return 1


class Flavor:
    def get_name(self):
        return "m1.small"
