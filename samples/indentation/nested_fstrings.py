def describe(items, width):
  names = [f"{item!r:>{width}}" for item in items]
  return f"""{len(names)} items:
  {f"{', '.join(names)}"}
    done"""
