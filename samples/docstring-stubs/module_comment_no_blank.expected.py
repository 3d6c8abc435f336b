# Copyright 2024 Example Corp.
"""Module comment no blank."""

import os

HOME = os.environ.get("HOME")
