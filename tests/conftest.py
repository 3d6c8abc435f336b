"""Shared fixtures: the real-corpus sample (a few dozen Nova files) and the scripts' helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import corpora  # noqa: E402  (scripts/ is not a package)

NOVA_SAMPLE_SIZE = 40


@pytest.fixture(scope="session")
def nova_sample() -> list[corpora.CorpusFile]:
    """Return about forty Nova files spread over the wheel, plus the seed review's file."""
    files = corpora.nova_files(step=37)[:NOVA_SAMPLE_SIZE]
    seed = corpora.nova_file()
    if seed.name not in {f.name for f in files}:
        files.append(seed)
    return files


@pytest.fixture(scope="session")
def nova_seed() -> corpora.CorpusFile:
    """Return the Nova file the seed review was about (test_bug_1825537.py)."""
    return corpora.nova_file()
