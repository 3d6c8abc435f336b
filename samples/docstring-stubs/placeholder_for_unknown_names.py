"""Names that give no honest summary."""


def main():
    pass


def flavor_for(server):
    return server.flavor


def is_valid(server):
    return server.ok


class Ω:
    pass
