"""Module and class level names are read by importers and subclasses: never touched."""

UNUSED_CONSTANT = 42
helper_result = print("imported")


class Base:
    driver = "fake.Driver"
    retries = 3
