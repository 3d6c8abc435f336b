def first():
    return 1
def second():
    if first():
        return 2
