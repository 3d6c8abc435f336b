"""Already four spaces: left byte for byte."""


class Store:
    def get(self, key):
        # comment at the block's depth
        return self.data.get(key,
                             None)
#   commented-out code at column 0 is left alone
