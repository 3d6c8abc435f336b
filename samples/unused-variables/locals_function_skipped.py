"""A function that calls ``locals()`` can read every local by name: skip it."""


def render(template, user):
    greeting = "Hello"
    name = user.name
    return template.format(**locals())
