def greet(name):
    if name:
        return "hello " + name
    return "hello"
