def check(value):
    # explains the whole body
    if value:
        # three spaces: not a level, joins its block
        return True
    # one space: not a level, joins the next statement's block
    else:
        return False
    # trailing comment of the function body

#    disabled = check(0)  (commented-out code at column 0 stays)
print(check(1))
