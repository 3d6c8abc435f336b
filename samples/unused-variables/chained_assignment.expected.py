"""In a chained assignment only the unused targets go."""


def chained(api):
    second = api.create()
    api.last = api.create()
    api.create()
    return second
