"""Right-hand sides that cannot do anything are deleted with their assignment."""

DEFAULT_RETRIES = 3


def configure(options):
    options.apply()
    return options
