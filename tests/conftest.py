"""Shared fixtures: the real-corpus sample (a few dozen Nova files), the scripts' helpers, and
the number of examples per fuzz test (``--fuzz-examples N`` or ``CODEMODS_FUZZ_EXAMPLES``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import corpora  # noqa: E402  (scripts/ is not a package)

NOVA_SAMPLE_SIZE = 40
PLUGIN_SOURCE = ROOT / "tests" / "plugin"
FUZZ_EXAMPLES_VARIABLE = "CODEMODS_FUZZ_EXAMPLES"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--fuzz-examples N``: examples per fuzz test, random instead of fixed inputs."""
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=None,
        help="examples per fuzz test in tests/test_fuzz.py (default: a small fixed set; "
        f"also ${FUZZ_EXAMPLES_VARIABLE})",
    )


@pytest.fixture(scope="session")
def fuzz_examples(request: pytest.FixtureRequest) -> int | None:
    """Return the examples per fuzz test asked for, or ``None`` for each test's fixed default."""
    asked = request.config.getoption("--fuzz-examples")
    if asked is None and os.environ.get(FUZZ_EXAMPLES_VARIABLE):
        asked = int(os.environ[FUZZ_EXAMPLES_VARIABLE])
    return asked


@pytest.fixture(autouse=True, scope="session")
def private_result_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point every run of the tool (in-process and subprocess) at a cache of this session.

    The suite then exercises the cache wherever it runs the tool twice, and never reads or
    fills the user's own cache directory.
    """
    os.environ["CODEMODS_CACHE_DIR"] = str(tmp_path_factory.mktemp("result-cache"))


os.environ["CODEMODS_RACY_SECONDS"] = "0"
"""Let every run of the tool (in-process and subprocess, with environments copied at import
time too) write files the test just wrote: a file modified less than ``writes.RACY_SECONDS``
before it is read is refused (another program may be writing it). The tests of that rule set
the window themselves."""


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


@pytest.fixture(scope="session")
def nova_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the ``nova`` package of the wheel, extracted to a temporary directory."""
    return corpora.nova_tree(tmp_path_factory.mktemp("nova-tree"))


@pytest.fixture(scope="session")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Install the example plugin with pip (a real install) and return an env that sees it."""
    target = tmp_path_factory.mktemp("plugin-site")
    build = tmp_path_factory.mktemp("plugin-build")
    source = build / "source"  # pip builds in place: keep egg-info out of the repository
    shutil.copytree(PLUGIN_SOURCE, source, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        cwd=build,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
