"""A call's result bound to an unread name lives until return: dropping the name is unsafe."""

import tempfile


def spool(rows):
    tempfile.NamedTemporaryFile()
    len(rows)
    "-".join(rows)
    return rows
