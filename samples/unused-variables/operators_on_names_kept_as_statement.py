"""Operators on names may call overloaded methods: the expression stays."""


def combine(left, right):
    merged = left + right
    ratio = 1 / 0
    return left
