"""A chained assignment left with only unpacking targets would be reported as unused names."""


def parse(xyz):
    abc = a, b = first, second = xyz
    return a + first
