"""Deleting ``b = a`` leaves ``a`` unread: one run reaches the fixed point."""


def cascade(api):
    api.open()
    return api
