"""Operators on names may call overloaded methods: the expression stays."""


def combine(left, right):
    left + right
    1 / 0
    return left
