def report(rows, width):
  return f"""{len(rows)} rows:
{", ".join(
  str(row) for row in rows)}
  {width:>{
    width}}"""
