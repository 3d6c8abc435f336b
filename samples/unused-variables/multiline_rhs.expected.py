"""Right-hand sides over several lines are edited as nodes, not as lines."""


def boot(api, instance):
    api.boot(
        instance,
        wait=True,  # block until ACTIVE
    )
    # the cheapest flavor
    return instance
