class Cache:
    """Entries by key.

      Mixed: a tab, then two spaces.
    Eight spaces.
    """

    def clear(self):
        """Forget every entry.
  
	"""
        self.entries = {}

    def size(self):
        """Count the entries.

        Tabs, as the code.
        """
        return len(self.entries)
