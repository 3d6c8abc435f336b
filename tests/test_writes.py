"""Writes: atomic, keep mode, encoding and symlinks, refuse stale, read-only and broken results."""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
from pathlib import Path

import pytest

from codemods.engine import Engine
from codemods.writes import WriteError, write_result

sys.path.insert(0, str(Path(__file__).parent / "plugin"))
from codemods_example_plugin import PrintToLog  # noqa: E402

ENGINE = Engine([PrintToLog()])


def fixed(path: Path):
    return ENGINE.fix_bytes(str(path), path.read_bytes())


def test_writes_new_text_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"print(1)\r\n")
    path.chmod(0o751)
    write_result(path, fixed(path))
    assert path.read_bytes() == b"log(1)\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"], "no temporary file left behind"


def test_keeps_encoding_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes("# coding: latin-1\nprint('é')\n".encode("latin-1"))
    write_result(path, fixed(path))
    assert path.read_bytes() == "# coding: latin-1\nlog('é')\n".encode("latin-1")
    path.write_bytes(b"\xef\xbb\xbfprint(1)\n")
    write_result(path, fixed(path))
    assert path.read_bytes() == b"\xef\xbb\xbflog(1)\n"


def test_symlink_stays_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text("print(1)\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_result(link, fixed(link))
    assert link.is_symlink() and target.read_text() == "log(1)\n"


def test_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("print(1)\n")
    result = fixed(path)
    path.write_text("print(1)\nprint(2)\n")
    with pytest.raises(WriteError, match="changed since it was read"):
        write_result(path, result)
    assert path.read_text() == "print(1)\nprint(2)\n"


def test_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("print(1)\n")
    path.chmod(0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_result(path, fixed(path))
    assert path.read_text() == "print(1)\n"


def test_refuses_text_that_does_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("print(1)\n")
    broken = dataclasses.replace(fixed(path), new_text="def (:\n")
    with pytest.raises(WriteError, match="does not parse"):
        write_result(path, broken)
    assert path.read_text() == "print(1)\n"


def test_refuses_a_result_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("def (:\n")
    with pytest.raises(WriteError):
        write_result(path, fixed(path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only directory")
def test_unwritable_directory_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("print(1)\n")
    result = fixed(path)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(WriteError):
            write_result(path, result)
    finally:
        tmp_path.chmod(0o755)
    assert path.read_text() == "print(1)\n"
