# Copyright 2024 Example Corp.
import os

HOME = os.environ.get("HOME")
