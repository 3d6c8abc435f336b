class ThisThing:
    pass
