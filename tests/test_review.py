"""``codemods review`` on a pseudo-terminal (pexpect), its refusal without one, and in process
(a scripted terminal): hunk splitting, edits, and what is kept when a review stops early."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pytest

from codemods import review
from codemods.baseline import BASELINE_FILE, Baseline, BaselineError
from codemods.config import Config
from codemods.engine import FileResult
from codemods.hunks import file_hunks
from codemods.patching import apply_patch

COMMAND = str(Path(sys.executable).parent / "codemods")
ONLY_PLUGIN = ("--select", "print-to-log")
THREE_PRINTS = "".join(
    f"print({i})\n" if i in (1, 10, 20) else f"x{i} = {i}\n" for i in range(1, 21)
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.py").write_text(THREE_PRINTS)
    (tmp_path / "b.py").write_text("print('b')\n")
    return tmp_path


def spawn(env: dict[str, str], cwd: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        COMMAND,
        ["review", *ONLY_PLUGIN, "-j", "1", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )


def answer(child: pexpect.spawn, *answers: str) -> None:
    for reply in answers:
        child.expect(r"Apply this hunk to \S+ \[y,n,a,q,e,\?\]\? ")
        child.sendline(reply)


def test_yes_no_all_and_help(plugin_env: dict[str, str], project: Path) -> None:
    child = spawn(plugin_env, project, ".")
    child.expect(r"# \[print-to-log\] print -> log")
    answer(child, "?")
    child.expect("a - apply this hunk and all the remaining ones in this file")
    child.sendline("y")  # the help re-asks the same hunk: accept a.py's first hunk
    answer(child, "n", "a")  # skip the second, accept the third; then b.py
    child.sendline("a")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (project / "a.py").read_text() == THREE_PRINTS.replace("print(1)", "log(1)").replace(
        "print(20)", "log(20)"
    )
    assert (project / "b.py").read_text() == "log('b')\n"
    assert "3 hunks applied to 2 files, 1 skipped." in child.before


def test_quit_keeps_what_was_accepted(plugin_env: dict[str, str], project: Path) -> None:
    child = spawn(plugin_env, project, ".")
    answer(child, "y", "q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (project / "a.py").read_text() == THREE_PRINTS.replace("print(1)", "log(1)")
    assert (project / "b.py").read_text() == "print('b')\n"


def test_edit_a_hunk_in_the_editor(plugin_env: dict[str, str], project: Path) -> None:
    env = {**plugin_env, "EDITOR": "sed -i -e 's/^+log(10)$/+log(10)  # reviewed/'"}
    child = spawn(env, project, "a.py")
    answer(child, "n", "e", "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (project / "a.py").read_text() == THREE_PRINTS.replace(
        "print(10)", "log(10)  # reviewed"
    )


def test_without_a_terminal_review_refuses_and_points_to_diff_and_patch(
    plugin_env: dict[str, str], project: Path
) -> None:
    done = subprocess.run(
        [COMMAND, "review", *ONLY_PLUGIN, "."],
        cwd=project,
        env=plugin_env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    message = done.stderr.decode()
    assert (
        message.count("\n") == 1 and "needs a terminal" in message and "apply --patch" in message
    )
    assert (project / "a.py").read_text() == THREE_PRINTS


# In process: the review's answers and what is kept, with a scripted terminal.


class Script:
    """A terminal whose person answers from a list (``EOF``: end of input; ``^C``: Ctrl-C)."""

    def __init__(self, *answers: str, edits: tuple[str, ...] = ()) -> None:
        """Answer with ``answers`` in turn; return ``edits`` in turn from the editor."""
        self.answers = list(answers)
        self.edits = list(edits)
        self.shown: list[str] = []
        self.questions: list[str] = []

    def terminal(self) -> review.Terminal:
        """Return the terminal review talks to."""
        return review.Terminal(show=self.shown.append, ask=self.ask, edit=self.edit)

    def ask(self, question: str) -> str:
        """Record the question and give the next answer."""
        self.questions.append(question)
        reply = self.answers.pop(0)
        if reply == "EOF":
            raise EOFError
        if reply == "^C":
            raise KeyboardInterrupt
        return reply

    def edit(self, text: str) -> str:
        """Return the next edited text."""
        return self.edits.pop(0)


NEIGHBOURS = '"""Module."""\n\n\ndef f():\n    return 1\n\n\ndef g():\n    return 2\n'


def fixed(path: Path, text: str, newline: str = "\n") -> FileResult:
    """Write ``text`` to ``path`` (with ``newline``) and return docstring-stubs' result."""
    path.write_bytes(text.replace("\n", newline).encode())
    engine = Config(select=("docstring-stubs",)).build_engine()
    return engine.fix_bytes(str(path), path.read_bytes())


def keeper(root: Path, errors: list[str] | None = None) -> review.Keeper:
    """Return a keeper that records in ``root``'s baseline and reports to ``errors``."""
    report = errors.append if errors is not None else print
    return review.Keeper(root, Baseline(root / BASELINE_FILE), report)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    ("answers", "stubs"),
    [(("y", "y"), ("f", "g")), (("n", "y"), ("g",)), (("y", "n"), ("f",)), (("n", "n"), ())],
)
def test_split_parts_write_exactly_the_accepted_ones(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    newline: str,
    answers: tuple[str, ...],
    stubs: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS, newline)
    script = Script("s", *answers)
    tally = review.review([result], script.terminal(), keeper(tmp_path))
    expected = NEIGHBOURS
    for name in stubs:
        expected = expected.replace(
            f"def {name}():\n", f'def {name}():\n    """Describe {name}."""\n'
        )
    assert (tmp_path / "m.py").read_bytes() == expected.replace("\n", newline).encode()
    assert "[y,n,a,q,s,e,?]" in script.questions[0] and "Split into 2 hunks." in script.shown
    assert [q.split(")")[0] for q in script.questions[1:]] == ["(1/2", "(2/2"]
    assert (tally.hunks_applied, tally.skipped, tally.recorded) == (
        len(stubs),
        2 - len(stubs),
        2 - len(stubs),
    )
    if len(stubs) == 2:  # both parts: the same bytes as the unsplit hunk
        assert (tmp_path / "m.py").read_bytes() == result.new_bytes()


def test_a_split_hunk_at_the_end_of_a_file_without_a_final_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS.rstrip("\n"))
    review.review([result], Script("s", "n", "y").terminal(), keeper(tmp_path))
    assert (tmp_path / "m.py").read_text() == NEIGHBOURS.rstrip("\n").replace(
        "def g():\n", 'def g():\n    """Describe g."""\n'
    )


def test_the_declined_part_finding_is_the_one_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS)
    kept = keeper(tmp_path)
    review.review([result], Script("s", "y", "n").terminal(), kept)
    assert kept.baseline is not None
    (entry,) = kept.baseline.entries
    (g_finding,) = [f for f in result.changes if "for g" in f.message]
    assert entry == kept.baseline.entry(g_finding)
    assert Baseline.load(tmp_path / BASELINE_FILE).entries == kept.baseline.entries


def test_a_part_that_does_not_parse_alone_is_refused_and_the_file_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    old, new = "x = (\n    1,\n    2)\n", "x = [\n    1,\n    2]\n"
    (tmp_path / "m.py").write_text(old)
    result = FileResult(str(tmp_path / "m.py"), old, new)
    errors: list[str] = []
    tally = review.review([result], Script("s", "y", "n").terminal(), keeper(tmp_path, errors))
    assert (tmp_path / "m.py").read_text() == old
    assert tally.failed == 1 and tally.files_written == 0
    assert len(errors) == 1 and "does not parse" in errors[0] and "left as it was" in errors[0]


def test_an_edited_part_overlapping_an_accepted_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS)
    second = review.Hunk.parse(result_hunk(result)).split()[1]
    edited = second.text().replace("     return 1\n", "-    return 1\n", 1)  # a shared line
    errors: list[str] = []
    script = Script("s", "y", "e", edits=(edited,))
    review.review([result], script.terminal(), keeper(tmp_path, errors))
    assert (tmp_path / "m.py").read_text() == NEIGHBOURS
    assert len(errors) == 1 and "change the same lines" in errors[0]


def result_hunk(result: FileResult) -> str:
    """Return the text of the only hunk of ``result``."""
    (hunk,) = file_hunks(result)
    return hunk.hunk


def test_an_edit_that_does_not_match_the_file_is_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS)
    wrong = result_hunk(result).replace(" def f():", " def F():")
    script = Script("e", "n", edits=(wrong,))
    review.review([result], script.terminal(), keeper(tmp_path))
    assert len(script.questions) == 2 and (tmp_path / "m.py").read_text() == NEIGHBOURS
    assert any("not the file's lines" in line for line in script.shown)


def test_ctrl_c_inside_a_file_keeps_the_files_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = fixed(tmp_path / "a.py", NEIGHBOURS)
    second = fixed(tmp_path / "b.py", NEIGHBOURS)
    kept = keeper(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        review.review([first, second], Script("s", "y", "n", "s", "n", "^C").terminal(), kept)
    assert (tmp_path / "a.py").read_text() == NEIGHBOURS.replace(
        "def f():\n", 'def f():\n    """Describe f."""\n'
    )
    assert (tmp_path / "b.py").read_text() == NEIGHBOURS
    assert [entry.path for entry in Baseline.load(tmp_path / BASELINE_FILE).entries] == ["a.py"]
    assert kept.stopped("interrupted by SIGINT") == (
        "interrupted by SIGINT: kept the answers for 1 file (1 hunk applied to 1 file, "
        f"1 declined fix recorded); {tmp_path / 'b.py'} was not fully answered and is as it was."
    )


def test_a_signal_while_a_file_is_kept_waits_until_it_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS)

    def apply_then_signal(patch: bytes, root: Path, guard: object = None) -> object:
        done = apply_patch(patch, root, guard)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGINT)  # arrives between the write and the tally
        return done

    monkeypatch.setattr(review, "apply_patch", apply_then_signal)
    kept = keeper(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        review.review([result], Script("a").terminal(), kept)
    assert kept.tally.files_kept == 1 and kept.tally.current is None
    assert (tmp_path / "m.py").read_bytes() == result.new_bytes()


def test_a_baseline_that_cannot_be_written_stops_the_review_before_the_file_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = fixed(tmp_path / "m.py", NEIGHBOURS)
    unwritable = review.Keeper(tmp_path, Baseline(tmp_path / "missing" / BASELINE_FILE), print)
    with pytest.raises(BaselineError):
        review.review([result], Script("s", "y", "n").terminal(), unwritable)
    assert (tmp_path / "m.py").read_text() == NEIGHBOURS  # neither its write nor its record
    assert unwritable.tally.current == str(tmp_path / "m.py")
