"""Zero-argument ``super()`` reads ``__class__``: the compiler's read, not the source's."""


class Base:
    def name(self):
        return "base"


class Child(Base):
    def name(self):
        __class__ = Base
        return super().name()

    def other(self):
        return 2
