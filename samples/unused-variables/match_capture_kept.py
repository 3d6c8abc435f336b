"""``match`` captures are left alone."""


def dispatch(command):
    match command:
        case ["go", direction]:
            return "go"
        case {"action": action, **rest}:
            return "act"
        case str() as text:
            return "text"
    return None
