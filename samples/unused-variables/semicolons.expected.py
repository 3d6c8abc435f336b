"""Statements sharing a line with ``;`` are removed one by one."""


def setup(api):
    api.start()
    api.wait()
    return api
