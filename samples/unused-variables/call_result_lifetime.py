"""A call's result bound to an unread name lives until return: dropping the name is unsafe."""

import tempfile


def spool(rows):
    handle = tempfile.NamedTemporaryFile()
    size = len(rows)
    label = "-".join(rows)
    return rows
