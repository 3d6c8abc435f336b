"""Triage real reports: ruff's and pylint's findings on Nova and stdlib files, with counts.

Usage: ``python scripts/triage_reports.py [--files N]``.

N Nova files (every 37th of the 34.0.0 wheel) and N standard-library modules are copied
into a temporary tree; ``ruff check --select F841,D1,E1,W191`` (JSON and SARIF) and
``pylint --enable W0612,C0114,C0115,C0116,W0311`` (JSON) report on it; ``codemods triage``
judges every finding. The script prints the verdicts per tool and rule, then applies
``--findings`` with the ruff report and checks that ruff then reports exactly the fixed
findings as gone. It exits 1 if a finding got no verdict or the check fails.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora  # noqa: E402  (scripts/ is not a package)

BIN = Path(sys.executable).parent
RUFF_SELECT = "F841,D1,E1,W191"
PYLINT_ENABLE = "W0612,C0114,C0115,C0116,W0311"


def main(argv: list[str]) -> int:
    """Build the tree, run the tools and triage; return 0 when every check holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=30, help="files per corpus")
    count = parser.parse_args(argv).files
    with tempfile.TemporaryDirectory(prefix="triage-") as directory:
        root = Path(directory) / "tree"
        _build_tree(root, count)
        status = 0
        reports = {
            "ruff json": _ruff(root, "json"),
            "ruff sarif": _ruff(root, "sarif"),
            "pylint json": _pylint(root),
        }
        for name, report in reports.items():
            verdicts = _triage(root, report)
            status |= _print_counts(name, verdicts)
        before = _ruff_counts(root)
        ruff_verdicts = _triage(root, reports["ruff json"])
        _run([str(BIN / "codemods"), "apply", "--findings", str(reports["ruff json"])], root)
        fixed = Counter(v["rule"] for v in ruff_verdicts if v["verdict"] == "fixed")
        after = _ruff_counts(root)
        exact = after == before - fixed
        print(f"ruff after apply --findings: {sum(after.values())} findings "
              f"(before {sum(before.values())}, fixed {sum(fixed.values())}): "
              f"{'exactly the fixed ones are gone' if exact else 'MISMATCH'}")  # fmt: skip
        return status | (not exact)


def _build_tree(root: Path, count: int) -> None:
    for corpus_file in corpora.nova_files(step=37)[:count]:
        target = root / "nova" / corpus_file.name.replace("/", "__")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(corpus_file.data)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    modules = sorted(p for p in stdlib.glob("*.py") if 2_000 < p.stat().st_size < 60_000)
    for path in modules[:: max(1, len(modules) // count)][:count]:
        target = root / "stdlib" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def _ruff(root: Path, output_format: str) -> Path:
    report = root.parent / f"ruff.{output_format}"
    done = _run([str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
                 "--select", RUFF_SELECT, "--output-format", output_format, "."], root)  # fmt: skip
    report.write_text(done.stdout)
    return report


def _ruff_counts(root: Path) -> Counter[str]:
    done = _run([str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
                 "--select", RUFF_SELECT, "--output-format", "json", "."], root)  # fmt: skip
    return Counter(item["code"] for item in json.loads(done.stdout))


def _pylint(root: Path) -> Path:
    report = root.parent / "pylint.json"
    files = [str(p.relative_to(root)) for p in sorted(root.rglob("*.py"))]
    done = _run([str(BIN / "pylint"), "--disable=all", f"--enable={PYLINT_ENABLE}",
                 "--output-format=json", "--persistent=n", *files], root)  # fmt: skip
    report.write_text(done.stdout)
    return report


def _triage(root: Path, report: Path) -> list[dict]:
    done = _run([str(BIN / "codemods"), "triage", "--format", "json", "--root", ".",
                 str(report)], root)  # fmt: skip
    if done.returncode not in (0, 1):
        raise SystemExit(f"triage failed: {done.stderr.strip()}")
    return json.loads(done.stdout)["verdicts"]


def _print_counts(name: str, verdicts: list[dict]) -> int:
    by_rule: dict[str, Counter[str]] = {}
    for verdict in verdicts:
        by_rule.setdefault(verdict["rule"], Counter())[verdict["verdict"]] += 1
    total = Counter(verdict["verdict"] for verdict in verdicts)
    print(f"{name}: {len(verdicts)} findings: " + ", ".join(f"{n} {v}" for v, n in total.items()))
    for rule, counts in sorted(by_rule.items()):
        print(f"  {rule}: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
    reasons = Counter(v["reason"].split(":")[-1].strip()[:70] for v in verdicts
                      if v["verdict"] in ("not fixed", "refuted"))  # fmt: skip
    for reason, number in reasons.most_common(6):
        print(f"    {number} x {reason}")
    return int(any(not verdict["reason"] for verdict in verdicts))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
