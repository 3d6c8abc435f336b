"""Suppression comments leave a definition alone."""


def boot():  # codemods: skip[docstring-stubs]
    pass


def reboot():  # codemods: skip[unused-variables]
    """Reboot."""
    pass
