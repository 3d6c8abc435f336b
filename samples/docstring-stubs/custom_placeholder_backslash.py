"""A placeholder with a backslash needs a raw string."""


def main():
    pass
