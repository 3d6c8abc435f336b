"""A block left empty gets ``pass``; a block with other statements does not."""


def check(server):
    if server.locked:
        reason = "locked"
    else:
        reason = "free"
        server.touch()
    for port in server.ports:
        count = 0
    try:
        status = 1
    finally:
        server.close()


def noop(): marker = None


def one_line_suite(flag):
    if flag: seen = True
    return flag
