"""Comments of a deleted line stay where a reader looks for them."""


def provision(api):
    # How many times we try before giving up.
    # see bug 1825537
    api.start()
    api.wait()
    # The deadline is handled by the API now.
    # seconds
    # end of provisioning


def cleanup(api):
    api.stop()
