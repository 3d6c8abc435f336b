# Copyright 2024 Example Corp.
#
# Licensed under the Apache License, Version 2.0.

# type: ignore
"""Type ignore module."""

# The settings module is generated at build time.
import settings

PORT: int = settings.PORT or "8080"
