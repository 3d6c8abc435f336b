# Copyright 2024 Example Corp.

# Registered when the module is imported.
@register
class Settings:
    """The settings every worker reads."""

    def load(self, path):
        def parse(line):
            return line.split("=", 1)

        return dict(parse(line) for line in open(path))


def get_settings():
    # Built on first use.
    @cache
    def build():
        return Settings()

    return build()
