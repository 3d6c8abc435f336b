"""A custom ``dummy-variable-rgx``: ``ignored_*`` names are unused on purpose."""


def handler(event):
    ignored_result = event.ack()
    _private = event.peek()
    result = event.process()
    return event
