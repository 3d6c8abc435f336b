"""Every case body on its case line: the case lines are the only ones to move."""


def route(command):
    return command.split()


match route("go north"):
    case ["go", direction]: print(direction)
    case _: print("?")
