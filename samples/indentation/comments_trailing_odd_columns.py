def scan(items):
  for item in items:
    if item:
      yield item
         # odd column, deeper than what follows: stays with the if block
     # odd column between levels: joins the for block
  # the level of the function body
print(list(scan([1, 0])))
