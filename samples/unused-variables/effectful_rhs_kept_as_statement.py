"""Right-hand sides that may do something stay as statements."""


def resize(api, server, cache):
    flavors = api.get_flavors()
    state = server.vm_state
    entry = cache["key"]
    return api.resize(server)


async def fetch(client, url):
    response = await client.get(url)
    return url


def pump(source):
    item = yield source
    total = [len(row) for row in source]
