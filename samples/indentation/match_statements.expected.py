"""match and case: soft keywords in statements, plain names elsewhere."""

match = {"kind": "point", "x": 1}
case = [match]


def describe(command, match=match):
    match command.split():
        case [action]:
            return action
        case [action, obj] if (obj
                        and action != "go"):
            match obj:
                case "north" | "south":
                    return "vertical"
                case _:
                    return obj
        case {"kind": kind, **rest} if rest:
            # a guard, a mapping pattern
            return kind
        case Point(x=0, y=match.y):
            return match(case)
        case _:
            pass
    match.update(case=case)
    return match
