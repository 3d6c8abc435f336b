class Table:
    def header(self):
        """Column headers.

        name	size
        """
        return ("name", "size")
