"""README.md and docs/usage.md followed to the letter, and action.yml's steps run in bash.

The pages are read as a new user reads them, on a copy of this working tree committed to a
throw-away git repository (what a fresh clone holds; in CI that is HEAD):

- the README's set-up line runs literally in a fresh virtual environment and must end as the
  README says; that environment is made once per session and reused below;
- every other shell line of both pages runs in it, in a small project that holds the paths the
  examples name, unless ``NOT_RUN`` gives the reason it cannot (a synopsis, a terminal, another
  program); a ``console`` block must print what it shows (the Nova triage runs on Nova's tree);
- every YAML and TOML block of README.md and docs/ parses, ``[tool.codemods]`` tables load, and
  workflows validate against GitHub's schema;
- each pre-commit snippet becomes ``.pre-commit-config.yaml`` (its repository URL pointed at the
  throw-away repository), is pinned with ``pre-commit autoupdate`` as the pages say, installed,
  and a commit that needs fixes fails, then passes once the fixes are added (the hooks
  themselves are also run by ``pre-commit try-repo`` in tests/test_pre_commit.py);
- action.yml validates against GitHub's action schema; its ``run:`` steps, inputs substituted,
  run in bash, and the SARIF they write validates against the official schema.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import corpora  # scripts/, put on sys.path by conftest.py
import jsonschema
import pytest
import yaml

from codemods.config import load_config

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("README.md", "docs/usage.md")
"""The pages whose shell blocks are run."""
DATA_PAGES = ("README.md", *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("docs/**/*.md")))
"""The pages whose YAML and TOML blocks are parsed."""
ACTION = ROOT / "action.yml"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
REPO_URL = "https://github.com/codemods/codemods"
SETUP = re.compile(r"^pip install \. && codemods ")
"""The README's set-up line: the ``tool`` fixture runs it."""
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or "pre-commit"

NOT_RUN = (
    (r"\b(PATHS|REPORT|ID)\b", "a synopsis: PATHS, REPORT and ID are placeholders"),
    (r"^codemods review\b", "asks on a terminal, hunk by hunk (tests/test_review.py runs it)"),
    (r"\breviewdog\b", "needs reviewdog, and a pull request on GitHub to post to"),
    (
        r"^pre-commit (autoupdate|install)\b",
        "needs the snippet's .pre-commit-config.yaml, whose repository is on GitHub: "
        "test_pre_commit_snippet_pinned_installed_and_committed runs it on the clone",
    ),
    (
        r"^pip install '\.\[test\]' && python -m pytest$",
        "the test suite, this test among them: CI runs exactly this line "
        "(.github/workflows/tests.yml and .ci/run; tests/test_workflow.py checks it)",
    ),
)
"""Shell lines of the pages that are not run, and why (first match wins)."""

NEEDS_FIXES = (
    "def mean(values):\n    count = len(values)\n    unused = 1\n    return sum(values) / count\n"
)
SANDBOX = {
    # the paths the pages' examples name
    "src/m.py": NEEDS_FIXES,
    "nova/tests/test_servers.py": "class ServersTest:\n\tdef test_list(self):\n\t\treturn []\n",
}
SANDBOX_BRANCH_CHANGE = "\n\ndef total(values):\n    extra = 2\n    return sum(values)\n"
"""Added to src/m.py after ``origin/main``, for ``--diff-base origin/main``."""


# Markdown


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # of the opening fence, 1-based
    lang: str
    text: str

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


@dataclass
class Command:
    line: str
    output: list[str] = field(default_factory=list)  # what a console block shows it print


def blocks(page: str) -> list[Block]:
    """Return the fenced code blocks of a page."""
    found: list[Block] = []
    lang: str | None = None
    start, body = 0, []
    for number, line in enumerate((ROOT / page).read_text(encoding="utf-8").splitlines(), 1):
        if lang is None:
            if match := re.match(r"```(\S*)\s*$", line):
                lang, start, body = match[1], number, []
        elif line.rstrip() == "```":
            found.append(Block(page, start, lang, "".join(f"{b}\n" for b in body)))
            lang = None
        else:
            body.append(line)
    assert lang is None, f"{page}:{start}: a code block is never closed"
    return found


def commands(block: Block) -> list[Command]:
    """Return a shell block's commands; in a ``console`` block, each with the output shown."""
    found: list[Command] = []
    for line in block.text.splitlines():
        if block.lang == "console":
            if line.startswith("$ "):
                found.append(Command(line[2:]))
            elif found:
                found[-1].output.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            if found and found[-1].line.endswith("\\"):
                found[-1].line += "\n" + line
            else:
                found.append(Command(line))
    return found


def not_run(line: str) -> str | None:
    """Return why a shell line of the pages is not run, or ``None``."""
    for pattern, reason in NOT_RUN:
        if re.search(pattern, line):
            return reason
    return None


def shell_blocks() -> list[Block]:
    return [b for page in PAGES for b in blocks(page) if b.lang in ("sh", "bash", "console")]


def data_blocks() -> list[Block]:
    return [b for page in DATA_PAGES for b in blocks(page) if b.lang in ("yaml", "yml", "toml")]


def pre_commit_snippets() -> list[Block]:
    return [
        b
        for page in PAGES
        for b in blocks(page)
        if b.lang == "yaml" and b.text.startswith("# .pre-commit-config.yaml")
    ]


def workflow_blocks() -> list[Block]:
    return [b for b in data_blocks() if b.lang in ("yaml", "yml") and "jobs" in _yaml(b.text)]


def _yaml(text: str) -> dict:
    loaded = yaml.safe_load(text)
    return loaded if isinstance(loaded, dict) else {}


# The user's side: a clone, a fresh virtual environment, a project


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=check
    )


GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,  # no signing, hooks or templates of the user's
}


@dataclass(frozen=True)
class Clone:
    path: Path
    sha: str


@pytest.fixture(scope="session")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Clone:
    """Return this working tree (tracked and untracked files, not ignored ones) committed to a
    new repository on branch ``main``: HEAD in CI, what is about to be committed locally."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    path = tmp_path_factory.mktemp("clone") / "codemods"
    for name in sorted(set(listed.stdout.split("\0")) - {""}):
        source = ROOT / name
        if source.is_file() or source.is_symlink():  # a deleted file is still in the index
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path / name, follow_symlinks=False)
    git("init", "-q", "-b", "main", cwd=path)
    git("add", "-A", cwd=path)
    git("commit", "-q", "--no-verify", "-m", "snapshot", cwd=path)
    return Clone(path, git("rev-parse", "HEAD", cwd=path).stdout.strip())


@dataclass(frozen=True)
class Tool:
    venv: Path
    setup: subprocess.CompletedProcess[str]  # the README's set-up line, run in the clone
    setup_line: str
    env: dict[str, str]  # the venv activated


def _base_env() -> dict[str, str]:
    """The environment with this interpreter's directory first on PATH (``python3`` is ours)
    and no other virtual environment or import path."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runner's temporary directory for action.yml (``runner.temp``); it holds the venv."""
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture(scope="session")
def tool(clone: Clone, runner_temp: Path, request: pytest.FixtureRequest) -> Tool:
    """Make a fresh virtual environment and run the README's set-up line in the clone with it
    activated, as the README says (``python3 -m venv .venv && . .venv/bin/activate``).

    The environment is where action.yml makes its own (``runner.temp/codemods-venv``), so its
    steps reuse it instead of installing the dependencies a second time.
    """
    if sys.platform == "win32":
        pytest.skip("the README's set-up is for a POSIX shell (.venv/bin/activate)")
    if any("pre_commit_home" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("pre_commit_home")  # start its build now, alongside this one
    (line,) = [c.line for b in blocks("README.md") for c in commands(b) if SETUP.match(c.line)]
    venv = runner_temp / "codemods-venv"
    setup = subprocess.run(
        ["bash", "-c", f'python3 -m venv "$1" && . "$1/bin/activate" && {line}', "-", venv],
        cwd=clone.path,
        env=_base_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    env = _base_env()
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env["PATH"]])
    return Tool(venv, setup, line, env)


def make_sandbox(path: Path) -> Path:
    """A git repository holding the paths the pages' examples name, with ``origin/main`` one
    commit behind the working tree."""
    for name, text in SANDBOX.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=path)
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", "start", cwd=path)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=path)
    with (path / "src" / "m.py").open("a", encoding="utf-8") as changed:
        changed.write(SANDBOX_BRANCH_CHANGE)
    return path


def make_nova_root(path: Path, clone: Clone) -> Path:
    """Nova's source root (its package from the Nova wheel, as tests/test_triage.py uses it),
    with this repository's ``examples/`` copied in for the README's relative path."""
    corpora.nova_tree(path)
    shutil.copytree(clone.path / "examples", path / "examples")
    return path


def validate_sarif(path: Path) -> dict:
    log = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(log)
    ]
    assert not errors, f"{path} is not valid SARIF 2.1.0:\n" + "\n".join(errors[:10])
    return log


def tail(*texts: str, lines: int = 40) -> str:
    """The end of a command's output, for a failure message."""
    return "\n".join("".join(texts).splitlines()[-lines:])


# The README's set-up


def test_readme_setup_line_ends_as_the_readme_says(tool: Tool, clone: Clone) -> None:
    """``pip install . && codemods diff SAMPLE``: the docstrings as a diff, then the summary
    and the exit code the README's next sentence states; the sample is not written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"It ends with `([^`]+)` and exit code (\d+)", readme)
    assert said, "README.md no longer says how its set-up line ends: update this test"
    sample = tool.setup_line.split()[-1]
    output = tail(tool.setup.stdout, tool.setup.stderr)
    assert tool.setup.returncode == int(said[2]), output
    assert tool.setup.stderr.rstrip().splitlines()[-1] == said[1], output
    assert "Traceback" not in tool.setup.stderr, output
    assert f"--- a/{sample}\n" in tool.setup.stdout, output
    diff = tool.setup.stdout[tool.setup.stdout.index(f"--- a/{sample}\n") :]
    assert f"+++ b/{sample}\n" in diff
    assert re.search(r'^\+\s+"""\S.*"""$', diff, re.M), diff  # a docstring is added
    assert git("status", "--porcelain", "--untracked-files=no", cwd=clone.path).stdout == ""


# Every other shell line of the pages


@pytest.mark.parametrize("block", shell_blocks(), ids=lambda b: b.name)
def test_shell_block_runs_as_written(
    block: Block, tool: Tool, clone: Clone, tmp_path: Path
) -> None:
    """Each line runs in bash, in order, in the same project: no traceback, no error line,
    the exit code documented for its command; a console block prints what it shows."""
    todo = [c for c in commands(block) if not SETUP.match(c.line) and not not_run(c.line)]
    if not todo:
        reasons = {
            not_run(c.line) or "the set-up line: the tool fixture runs it" for c in commands(block)
        }
        pytest.skip("; ".join(sorted(reasons)))
    if "Nova's source root" in block.text:
        where = make_nova_root(tmp_path / "nova-root", clone)
    else:
        where = make_sandbox(tmp_path / "project")
    for command in todo:
        done = subprocess.run(
            ["bash", "-c", command.line],
            cwd=where,
            env=tool.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        said = f"{block.name}: $ {command.line}\n{done.stdout}{done.stderr}"
        # exit codes: 0 or 1 (changes found, or findings to fix), and apply's 0
        expected = {0} if re.match(r"codemods apply\b", command.line) else {0, 1}
        assert done.returncode in expected, said
        assert "Traceback" not in done.stderr, said
        assert not re.search(r"(?im)^(error\b|.*: error: )", done.stderr), said
        if command.output:
            assert done.stdout.splitlines() == command.output, said
    for report in sorted(where.glob("*.sarif")):
        validate_sarif(report)


def test_no_page_installs_codemods_from_an_index() -> None:
    """No package index serves codemods: the pages install it from the repository."""
    for page in DATA_PAGES:
        text = (ROOT / page).read_text(encoding="utf-8")
        assert not re.search(r"pip install( -\S+)* ['\"]?codemods\b", text), page


def test_every_line_not_run_says_why() -> None:
    """The lines left out are the few ``NOT_RUN`` names; each rule still matches a line."""
    lines = [c.line for b in shell_blocks() for c in commands(b)]
    for pattern, reason in NOT_RUN:
        assert any(re.search(pattern, line) for line in lines), f"unused rule: {reason}"
    assert sum(bool(SETUP.match(line)) for line in lines) == 1


# YAML and TOML blocks


@pytest.mark.parametrize("block", data_blocks(), ids=lambda b: b.name)
def test_data_block_parses(block: Block, tmp_path: Path) -> None:
    if block.lang == "toml":
        table = tomllib.loads(block.text)
        if "codemods" in table.get("tool", {}):
            (tmp_path / "pyproject.toml").write_text(block.text, encoding="utf-8")
            load_config(tmp_path / "pyproject.toml")  # an unknown key or a wrong type raises
    else:
        assert yaml.safe_load(block.text) is not None


def _check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
    return subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, timeout=120
    )


def test_workflow_blocks_validate_against_the_github_workflow_schema(tmp_path: Path) -> None:
    """A fragment that starts at ``jobs:`` is validated with ``on: push`` added."""
    found = workflow_blocks()
    assert found, "docs/usage.md shows GitHub workflows"
    files = []
    for block in found:
        text = block.text if re.search(r"(?m)^on:", block.text) else "on: push\n" + block.text
        files.append(tmp_path / f"{block.name.replace('/', '_').replace(':', '_')}.yml")
        files[-1].write_text(text, encoding="utf-8")
    done = _check_jsonschema("vendor.github-workflows", *files)
    assert done.returncode == 0, done.stdout + done.stderr


# pre-commit


def _manifest_ids() -> set[str]:
    return {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def _snippet_ids(block: Block) -> list[str]:
    """The hook ids of a snippet, the commented-out alternatives included, in order."""
    return re.findall(r"(?m)^\s*(?:#\s*)?- id: (\S+)", block.text)


@pytest.mark.parametrize("block", pre_commit_snippets(), ids=lambda b: b.name)
def test_pre_commit_snippet_names_this_repository_and_its_hooks(
    block: Block, clone: Clone
) -> None:
    """The snippet works as written, before ``pre-commit autoupdate`` too: its ``rev`` names a
    commit of this repository (no release is tagged: ``main``), its hooks exist."""
    (repo,) = _yaml(block.text)["repos"]
    assert repo["repo"] == REPO_URL
    resolved = git(
        "rev-parse", "--verify", f"{repo['rev']}^{{commit}}", cwd=clone.path, check=False
    )
    assert resolved.returncode == 0, f"rev: {repo['rev']} is no commit of this repository"
    ids = _snippet_ids(block)
    assert len(ids) == 3 and set(ids) <= _manifest_ids(), ids


@dataclass(frozen=True)
class PreCommitHome:
    path: Path
    building: subprocess.Popen[bytes]

    def ready(self) -> Path:
        self.building.wait(timeout=600)  # a failed build is built again, and reported, later
        return self.path


@pytest.fixture(scope="session")
def pre_commit_home(
    tmp_path_factory: pytest.TempPathFactory, clone: Clone
) -> Iterator[PreCommitHome]:
    """pre-commit's cache for the session, where the hook environment of the clone at its sha
    is built once, in the background (``pre-commit install-hooks``) while the ``tool`` fixture
    installs the package: the snippet's tests find it ready after ``pre-commit autoupdate``."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    project = tmp_path_factory.mktemp("pre-commit-warm")
    git("init", "-q", cwd=project)
    config = {
        "repos": [{"repo": str(clone.path), "rev": clone.sha, "hooks": [{"id": "codemods"}]}]
    }
    (project / ".pre-commit-config.yaml").write_text(json.dumps(config), encoding="utf-8")
    building = subprocess.Popen(
        [PRE_COMMIT, "install-hooks"],
        cwd=project,
        env={**GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield PreCommitHome(home, building)
    finally:
        if building.poll() is None:
            building.kill()
        building.wait()


def _variants() -> list[tuple[Block, str]]:
    """Each snippet as written; the README's also with each commented-out hook instead."""
    found = []
    for block in pre_commit_snippets():
        ids = _snippet_ids(block)
        found.append((block, ids[0]))
        if block.page == "README.md":
            found += [(block, other) for other in ids[1:]]
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("block", "hook"), _variants(), ids=lambda v: v.name if isinstance(v, Block) else v
)
def test_pre_commit_snippet_pinned_installed_and_committed(
    block: Block,
    hook: str,
    clone: Clone,
    pre_commit_home: PreCommitHome,
    tmp_path: Path,
) -> None:
    """As a user does: the snippet as .pre-commit-config.yaml, ``pre-commit autoupdate``,
    ``pre-commit install``, then ``git commit`` of a file that needs fixes."""
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(pre_commit_home.ready()), "NO_COLOR": "1"}
    text = block.text.replace(f"repo: {REPO_URL}", f"repo: {clone.path}")
    if hook != _snippet_ids(block)[0]:  # the alternative instead of the hook as written
        text = re.sub(r"(?m)^(\s*)- id: ", r"\1# - id: ", text)
        text = re.sub(rf"(?m)^(\s*)#\s*- id: {re.escape(hook)}(?=\s)", r"\1- id: " + hook, text)
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", "-b", "main", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(text, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=project, env=env, capture_output=True, text=True, timeout=600
        )

    page = (ROOT / block.page).read_text(encoding="utf-8")
    assert "`pre-commit autoupdate`" in page and "pre-commit install" in page
    updated = run(PRE_COMMIT, "autoupdate")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    assert config["repos"][0]["rev"] == clone.sha, updated.stdout
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [hook]
    installed = run(PRE_COMMIT, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (project / "stats.py").write_text(NEEDS_FIXES, encoding="utf-8")
    git("add", "-A", cwd=project)
    first = run("git", "commit", "-m", "stats")
    said = first.stdout + first.stderr
    assert first.returncode == 1, said
    assert git("rev-parse", "--verify", "HEAD", cwd=project, check=False).returncode != 0
    if hook == "codemods-check":  # prints the diffs, changes nothing
        assert "--- a/stats.py\n+++ b/stats.py\n" in said
        assert (project / "stats.py").read_text(encoding="utf-8") == NEEDS_FIXES
        return
    assert "files were modified by this hook" in said
    assert "unused = 1" not in (project / "stats.py").read_text(encoding="utf-8")
    git("add", "-u", cwd=project)  # review (git diff), then commit again
    second = run("git", "commit", "-m", "stats")
    assert second.returncode == 0, second.stdout + second.stderr
    assert git("status", "--porcelain", cwd=project).stdout == ""


# action.yml


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _substitute(text: str, context: dict[str, str]) -> str:
    """Replace each ``${{ name }}`` with its value; an unknown name fails the test."""

    def value(match: re.Match[str]) -> str:
        assert match[1] in context, f"action.yml: no local value for ${{{{ {match[1]} }}}}"
        return context[match[1]]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", value, text)


@dataclass
class ActionRun:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


_STEPS_DONE: set[str] = set()
"""Steps that read no input and succeeded this session (the install): not run again."""


def run_action(
    inputs: dict[str, str], workspace: Path, action_path: Path, temp: Path
) -> ActionRun:
    """Run action.yml's steps in bash as the runner does (``bash --noprofile --norc -eo
    pipefail``, in the workspace), the inputs substituted; stop at the first failing step."""
    action = _action()
    assert set(inputs) <= set(action["inputs"]), inputs
    context = {
        "github.action_path": str(action_path),
        "runner.temp": str(temp),
        **{
            f"inputs.{name}": str(inputs.get(name, spec.get("default", "")))
            for name, spec in action["inputs"].items()
        },
    }
    github_output = temp / "github-output"
    github_output.write_text("")
    base = {
        **_base_env(),
        "RUNNER_TEMP": str(temp),
        "GITHUB_OUTPUT": str(github_output),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_WORKSPACE": str(workspace),
    }
    stdout = stderr = ""
    steps: dict[str, dict[str, str]] = {}
    returncode = 0
    for number, step in enumerate(action["runs"]["steps"]):
        assert set(step) <= {"name", "id", "shell", "env", "run"}, f"not run locally: {step}"
        assert step["shell"] == "bash"
        env = {k: _substitute(str(v), context) for k, v in step.get("env", {}).items()}
        script = _substitute(step["run"], context)
        key = json.dumps([script, env])
        if key in _STEPS_DONE:
            continue
        (temp / f"step-{number}.sh").write_text(script, encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(temp / f"step-{number}.sh")],
            cwd=workspace,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        stdout += done.stdout
        stderr += done.stderr
        written = dict(
            line.split("=", 1) for line in github_output.read_text().splitlines() if line
        )
        steps[step.get("id", str(number))] = written
        github_output.write_text("")
        if done.returncode:
            returncode = done.returncode
            break
        if "${{ inputs." not in step["run"] + json.dumps(step.get("env", {})):
            _STEPS_DONE.add(key)
    outputs_context = {
        f"steps.{step_id}.outputs.{name}": value
        for step_id, values in steps.items()
        for name, value in values.items()
    }
    outputs = {}
    for name, spec in action.get("outputs", {}).items():
        names = re.findall(r"\$\{\{\s*([\w.-]+)\s*\}\}", spec["value"])
        if all(n in outputs_context for n in names):
            outputs[name] = _substitute(spec["value"], outputs_context)
    return ActionRun(returncode, stdout, stderr, outputs)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checked-out project: one file that needs fixes, one that needs none."""
    path = tmp_path / "workspace"
    (path / "pkg").mkdir(parents=True)
    (path / "pkg" / "stats.py").write_text(NEEDS_FIXES, encoding="utf-8")
    (path / "clean.py").write_text('"""Clean."""\n', encoding="utf-8")
    git("init", "-q", cwd=path)
    return path


def test_action_validates_against_the_github_action_schema() -> None:
    done = _check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_action_schema_check_catches_a_misspelled_key(tmp_path: Path) -> None:
    text = ACTION.read_text(encoding="utf-8")
    assert "using: composite" in text
    (tmp_path / "action.yml").write_text(text.replace("using: composite", "usin: composite"))
    done = _check_jsonschema("vendor.github-actions", tmp_path / "action.yml")
    assert done.returncode != 0


def test_every_input_of_the_action_is_documented() -> None:
    """Each input has a description and a row in docs/usage.md's table."""
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    section = usage[usage.index("\n## GitHub Actions\n") :]
    section = section[: section.find("\n## ", 1)]
    for name, spec in _action()["inputs"].items():
        assert spec.get("description"), name
        assert re.search(rf"(?m)^\| `{re.escape(name)}` \|", section), name


@pytest.mark.slow
def test_action_sarif_validates(
    tool: Tool, clone: Clone, runner_temp: Path, workspace: Path
) -> None:
    """``format: sarif``: the step fails as ``check`` does (fixes pending), and the file named
    by the ``sarif-file`` output validates and points at the file to fix."""
    assert tool.venv == runner_temp / "codemods-venv"
    (runner_temp / "codemods.sarif").unlink(missing_ok=True)
    done = run_action({"format": "sarif"}, workspace, clone.path, runner_temp)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.outputs["sarif-file"] == str(runner_temp / "codemods.sarif")
    log = validate_sarif(Path(done.outputs["sarif-file"]))
    located = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for location in result["locations"]
    }
    assert located == {"pkg/stats.py"}


@pytest.mark.slow
def test_action_github_annotations_with_paths_and_args(
    tool: Tool, clone: Clone, runner_temp: Path, workspace: Path
) -> None:
    inputs = {"paths": "pkg clean.py", "args": "--select unused-variables"}
    done = run_action(inputs, workspace, clone.path, runner_temp)
    assert done.returncode == 1, done.stdout + done.stderr
    annotations = done.stdout.splitlines()
    assert annotations and all(
        a.startswith("::warning file=pkg/stats.py,") and "unused-variables" in a
        for a in annotations
    ), done.stdout
    (workspace / "pkg" / "stats.py").write_text('"""Stats."""\n', encoding="utf-8")
    clean = run_action(inputs, workspace, clone.path, runner_temp)
    assert (clean.returncode, clean.stdout) == (0, ""), clean.stderr


@pytest.mark.slow
def test_action_refuses_an_unknown_format(
    tool: Tool, clone: Clone, runner_temp: Path, workspace: Path
) -> None:
    done = run_action({"format": "json"}, workspace, clone.path, runner_temp)
    assert done.returncode == 2
    assert done.stdout.startswith("::error"), done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "block", [b for b in workflow_blocks() if "codemods/codemods@" in b.text], ids=lambda b: b.name
)
def test_workflow_examples_run_the_action_with_their_inputs(
    block: Block, tool: Tool, clone: Clone, runner_temp: Path, workspace: Path
) -> None:
    """Each documented workflow's codemods step runs with its ``with:`` (a matrix takes its
    first value); a SARIF file it writes is the one the next step uploads."""
    (job,) = _yaml(block.text)["jobs"].values()
    matrix = job.get("strategy", {}).get("matrix", {})
    context = {f"matrix.{k}": str(v[0]) for k, v in matrix.items()}
    steps = job["steps"]
    (index,) = [
        i for i, s in enumerate(steps) if s.get("uses", "").startswith("codemods/codemods@")
    ]
    assert steps[index]["uses"] == "codemods/codemods@main"
    inputs = {k: _substitute(str(v), context) for k, v in steps[index].get("with", {}).items()}
    done = run_action(inputs, workspace, clone.path, runner_temp)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # a shard may hold no fix
    if inputs.get("format") == "sarif":
        upload = steps[index + 1]
        assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
        assert upload["with"]["sarif_file"] == inputs["sarif-file"]
        validate_sarif(workspace / inputs["sarif-file"])
    else:
        assert all(a.startswith("::warning file=") for a in done.stdout.splitlines()), done.stdout
