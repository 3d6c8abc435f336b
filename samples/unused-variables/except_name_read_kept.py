"""``exc`` read in its handler or re-raised keeps ``as exc``."""


def retry(api):
    try:
        api.call()
    except ValueError as exc:
        raise RuntimeError("failed") from exc
    except KeyError as missing:
        return str(missing)
