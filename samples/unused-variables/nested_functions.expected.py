"""Each function is its own scope: an inner function's dead local goes, the closure stays."""


def outer(api):
    shared = api.connect()

    def inner():
        api.ping()
        return shared

    return inner


class Service:
    timeout = 30

    def start(self):
        self.api.start()
        return self
