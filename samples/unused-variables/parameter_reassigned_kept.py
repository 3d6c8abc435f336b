"""Parameters are not locals we remove, even when reassigned and never read."""


def normalise(value, unit=None):
    unit = "bytes"
    value = value.strip()
