"""A custom ``dummy-variable-rgx``: ``ignored_*`` names are unused on purpose."""


def handler(event):
    ignored_result = event.ack()
    event.peek()
    event.process()
    return event
