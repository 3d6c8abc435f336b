"""Comments of a deleted line stay where a reader looks for them."""


def provision(api):
    # How many times we try before giving up.
    retries = 3  # see bug 1825537
    api.start()
    api.wait()
    # The deadline is handled by the API now.
    deadline = 60  # seconds
    # end of provisioning


def cleanup(api):
    width = 80  # noqa: E501
    api.stop()
    height = 24  # type: ignore[assignment]
