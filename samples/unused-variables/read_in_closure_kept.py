"""A name read by a nested function, lambda or class body is used."""


def closures(api):
    token = api.token()
    key = api.key()
    name = api.name()

    def header():
        return {"X-Auth": token}

    class Config:
        secret = key

    return header, Config, lambda: name
