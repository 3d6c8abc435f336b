"""A block left empty gets ``pass``; a block with other statements does not."""


def check(server):
    if server.locked:
        pass
    else:
        server.touch()
    for port in server.ports:
        pass
    try:
        pass
    finally:
        server.close()


def noop(): pass


def one_line_suite(flag):
    if flag: pass
    return flag
