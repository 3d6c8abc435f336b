def total(prices, tax):
  if prices and \
     tax:
    amount = sum(prices) * \
        (1 + tax)
    return amount
  return 0
