"""Commands print their own docstring as help."""


class Command:
    def help(self):
        """Show the command's help."""
        return self.__doc__ or ""


def usage():
    """Show the usage."""
    return report.__doc__


def report():
    pass
