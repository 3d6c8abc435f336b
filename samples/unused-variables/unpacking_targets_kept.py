"""Tuple and list unpacking targets are left alone (pyflakes does not report them)."""


def paginate(api):
    total, results = api.paginate()
    [first, second] = api.pair()
    (head, *rest) = api.items()
    with api.pair_context() as (left, right):
        pass
    return results
