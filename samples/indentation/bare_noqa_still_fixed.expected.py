"""A bare noqa names no indentation code: the file is still re-indented."""


def load():
    import json  # noqa
    return json
