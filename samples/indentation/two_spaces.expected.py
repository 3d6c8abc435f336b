import os


def walk_sources(root):
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                yield os.path.join(directory, name)
    else:
        return
