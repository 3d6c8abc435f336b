class Report:
    def render(self, rows):
        """Render the rows as text.

        Each row is one line:
            name: value
        """
        return "\n".join(rows)
