"""Deleting ``b = a`` leaves ``a`` unread: one run reaches the fixed point."""


def cascade(api):
    base = 10
    derived = base
    alias = derived
    handle = api.open()
    copy = handle
    return api
