"""A self-documenting f-string field prints its own source text: its bytes stay."""


def show(value, rows):
    print(f"""{ value
   =}""")
    print(
      f"{value=}",
      f"""{ len(rows)
  =!r:>{
      8}}""",
    )
