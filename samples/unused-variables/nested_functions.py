"""Each function is its own scope: an inner function's dead local goes, the closure stays."""


def outer(api):
    shared = api.connect()
    unused_outer = 1

    def inner():
        unused_inner = api.ping()
        return shared

    return inner


class Service:
    timeout = 30

    def start(self):
        started = self.api.start()
        return self
