def legacy(items):
    for item in items:
        if item:
            print(item)
    return len(items)
