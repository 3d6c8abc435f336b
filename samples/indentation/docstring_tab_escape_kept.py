class Checks:
  def indent_char(self):
    """Tell the indentation character.

    indent_char: " " or "\t" (the escape is a tab in the value)
    """
    return " "
