"""``with f() as fh`` with ``fh`` never read becomes ``with f()``, item by item."""


def locked(lock, path):
    with lock.acquire() as held:
        pass
    with open(path) as source, open(path + ".bak", "w") as backup:
        backup.write("")
    with (
        lock.acquire() as again,
        open(path) as handle,
    ):
        print(handle)


async def session(client):
    async with client.session() as conn:
        await client.ping()
