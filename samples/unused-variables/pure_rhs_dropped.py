"""Right-hand sides that cannot do anything are deleted with their assignment."""

DEFAULT_RETRIES = 3


def configure(options):
    retries = DEFAULT_RETRIES
    timeout = 30.0
    label = "resize"
    limits = (1, 2, -3)
    mapping = {"a": options, "b": None}
    rule = "=" * 70
    callback = lambda event: event.name
    options.apply()
    return options
