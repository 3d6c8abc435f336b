"""In a chained assignment only the unused targets go."""


def chained(api):
    first = second = api.create()
    third = api.last = api.create()
    fourth = fifth = api.create()
    sixth = seventh = 0
    return second
