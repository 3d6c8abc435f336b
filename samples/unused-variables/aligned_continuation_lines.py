"""Continuation lines aligned with a bracket of the kept value move left with it."""


def connect(server, conn, addr):
    channel = server.channel_class(server,
                                   conn,
                                   addr)
    server.button = button = server.make_button(text="Close",
                                                command=server.ok)
    hanging = server.boot(
        conn,
        wait=True,
    )
    return server
