"""Statements sharing a line with ``;`` are removed one by one."""


def setup(api):
    first = 1; api.start()
    api.wait(); second = 2
    third = 3; fourth = 4
    return api
