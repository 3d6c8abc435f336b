"""Command-line tools show docstrings as help: a stub would become user-visible text."""

import click


@click.group()
def cli():
    pass


@cli.command()
def boot():
    pass


def parse_args(argv):
    """Parse args."""
    return argv
