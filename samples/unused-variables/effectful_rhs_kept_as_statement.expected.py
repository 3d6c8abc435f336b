"""Right-hand sides that may do something stay as statements."""


def resize(api, server, cache):
    api.get_flavors()
    server.vm_state
    cache["key"]
    return api.resize(server)


async def fetch(client, url):
    await client.get(url)
    return url


def pump(source):
    yield source
    [len(row) for row in source]
