"""Describe this_thing."""


class ThisThing:
    """Describe ThisThing."""

    pass
