"""``with f() as fh`` with ``fh`` never read becomes ``with f()``, item by item."""


def locked(lock, path):
    with lock.acquire():
        pass
    with open(path), open(path + ".bak", "w") as backup:
        backup.write("")
    with (
        lock.acquire(),
        open(path) as handle,
    ):
        print(handle)


async def session(client):
    async with client.session():
        await client.ping()
