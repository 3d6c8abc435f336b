"""``# noqa`` (bare or naming F841) and ``# codemods: skip`` keep the line."""


def suppressed(api):
    first = api.one()  # noqa
    second = api.two()  # noqa: F841
    third = api.three()  # noqa: E501, F841
    fourth = api.four()  # codemods: skip
    fifth = api.five()  # codemods: skip[unused-variables]
    try:
        api.six()
    except ValueError as exc:  # noqa: F841
        pass
    return api
