"""Right-hand sides over several lines are edited as nodes, not as lines."""


def boot(api, instance):
    result = api.boot(
        instance,
        wait=True,  # block until ACTIVE
    )
    defaults = [
        "m1.small",  # the cheapest flavor
        "m1.large",
    ]
    return instance
