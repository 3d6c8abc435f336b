def first():
    return 1


def second():
    return 2


class Third:
    def method(self):
        return 3


def fourth(flag):
    if flag:
        pass
    return 4
