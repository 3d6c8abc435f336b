"""Names that are unused on purpose (default ``dummy-variable-rgx``)."""


def ignore(api):
    _ = api.start()
    __ = api.stop()
    _unused = api.ping()
    _result2 = api.pong()
    return api
