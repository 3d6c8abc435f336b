class Table:
  def header(self):
    """Column headers, separated by a tab.

    name	size
    """
    return ("name", "size")
