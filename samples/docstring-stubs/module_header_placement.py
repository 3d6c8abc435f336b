#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright 2024 Example Corp.
#
# Licensed under the Apache License, Version 2.0.

# Postponed evaluation keeps the annotations cheap.
from __future__ import annotations

import os


def get_home() -> str:
    return os.environ["HOME"]
