"""Finding the project's Python environment without running it (codemods.environment).

Each test lays out a fake environment in ``tmp_path`` (``pyvenv.cfg``, ``lib/pythonX.Y/
site-packages``, a base Python's ``lib/pythonX.Y/os.py``...) and checks what is found and
how; hostile layouts (a FIFO as ``pyvenv.cfg``, symlinks out, loops, huge files) must give
"no environment" promptly.
"""

from __future__ import annotations

import os
import pickle
import sys
import sysconfig
from pathlib import Path

import pytest

from codemods.environment import (
    MAX_CONFIG_SIZE,
    Distribution,
    Environment,
    find_environment,
    installed_distributions,
)


def _base_python(tmp_path: Path, version: str = "3.11") -> Path:
    """Make a base Python's prefix with a standard library; return its ``bin``."""
    prefix = tmp_path / "base"
    stdlib = prefix / "lib" / f"python{version}"
    stdlib.mkdir(parents=True, exist_ok=True)
    (stdlib / "os.py").write_text("# os\n")
    (stdlib / "site-packages").mkdir(exist_ok=True)
    (prefix / "bin").mkdir(exist_ok=True)
    return prefix / "bin"


def _venv(
    root: Path,
    config: str | None,
    *,
    version: str = "3.11",
    layout: str = "posix",
) -> Path:
    """Make a virtual environment in ``root`` with ``config`` as its pyvenv.cfg."""
    if layout == "windows":
        site = root / "Lib" / "site-packages"
    else:
        site = root / "lib" / f"python{version}" / "site-packages"
    site.mkdir(parents=True)
    if config is not None:
        (root / "pyvenv.cfg").write_text(config)
    return site


def _running_stdlib() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


# --- reading a venv --------------------------------------------------------------------------


def test_a_venv_gives_its_site_packages_stdlib_and_version(tmp_path: Path) -> None:
    home = _base_python(tmp_path)
    site = _venv(tmp_path / "project" / ".venv", f"home = {home}\nversion = 3.11.7\n")
    found = find_environment(tmp_path / "project", None, {})
    assert found == Environment(
        tmp_path / "project" / ".venv",
        (site,),
        tmp_path / "base" / "lib" / "python3.11",
        (3, 11),
        ".venv beside the project root",
    )


def test_virtualenv_version_info_and_base_prefix(tmp_path: Path) -> None:
    _base_python(tmp_path, "3.12")
    root = tmp_path / "project" / "venv"
    config = f"home = {tmp_path / 'elsewhere'}\nversion_info = 3.12.1.final.0\nbase-prefix = {tmp_path / 'base'}\n"
    site = _venv(root, config, version="3.12")
    found = find_environment(tmp_path / "project", None, {})
    assert found is not None
    assert found.how == "venv beside the project root"
    assert found.site_packages == (site,)
    assert found.python_version == (3, 12)
    assert found.stdlib == tmp_path / "base" / "lib" / "python3.12"


def test_uv_style_version_info(tmp_path: Path) -> None:
    home = _base_python(tmp_path, "3.13")
    site = _venv(
        tmp_path / "p" / ".venv", f"home = {home}\nversion_info = 3.13.0\n", version="3.13"
    )
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None and found.python_version == (3, 13)
    assert found.site_packages == (site,)


def test_windows_layout(tmp_path: Path) -> None:
    prefix = tmp_path / "Python311"
    (prefix / "Lib").mkdir(parents=True)
    (prefix / "Lib" / "os.py").write_text("")
    root = tmp_path / "p" / ".venv"
    site = _venv(root, f"home = {prefix}\nversion = 3.11.4\n", layout="windows")
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None
    assert found.site_packages == (site,)
    assert found.stdlib == prefix / "Lib"


def test_lib64_symlink_is_not_a_second_site_packages(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    site = _venv(root, "version = 3.11.2\n")
    (root / "lib64").symlink_to("lib")
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None and found.site_packages == (site,)


def test_lib64_only(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    root.mkdir(parents=True)
    (root / "pyvenv.cfg").write_text("version = 3.11.2\n")
    site = root / "lib64" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None and found.site_packages == (site,)


def test_version_from_the_layout_when_pyvenv_cfg_has_none(tmp_path: Path) -> None:
    home = _base_python(tmp_path, "3.10")
    site = _venv(tmp_path / "p" / ".venv", f"home = {home}\n", version="3.10")
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None
    assert found.python_version == (3, 10)
    assert found.site_packages == (site,)
    assert found.stdlib == tmp_path / "base" / "lib" / "python3.10"


def test_include_system_site_packages_adds_the_base_ones_last(tmp_path: Path) -> None:
    home = _base_python(tmp_path)
    config = f"home = {home}\nversion = 3.11.7\ninclude-system-site-packages = true\n"
    site = _venv(tmp_path / "p" / ".venv", config)
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None
    assert found.site_packages == (
        site,
        tmp_path / "base" / "lib" / "python3.11" / "site-packages",
    )


def test_system_site_packages_are_left_out_by_default(tmp_path: Path) -> None:
    home = _base_python(tmp_path)
    site = _venv(tmp_path / "p" / ".venv", f"home = {home}\nversion = 3.11.7\n")
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None and found.site_packages == (site,)


def test_the_running_stdlib_when_home_is_gone(tmp_path: Path) -> None:
    _venv(tmp_path / "p" / ".venv", f"home = {tmp_path / 'gone' / 'bin'}\nversion = 3.11.7\n")
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None
    assert found.stdlib == _running_stdlib()
    assert found.python_version == (3, 11)  # the environment's, not the running one's


# --- which environment ---------------------------------------------------------------------


def test_the_order_setting_then_virtual_env_then_dot_venv(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _venv(project / ".venv", "version = 3.11.1\n")
    _venv(project / "venv", "version = 3.11.1\n")
    _venv(tmp_path / "active", "version = 3.11.1\n")
    _venv(tmp_path / "chosen", "version = 3.11.1\n")
    environ = {"VIRTUAL_ENV": str(tmp_path / "active")}

    chosen = find_environment(project, str(tmp_path / "chosen"), environ)
    assert chosen is not None and chosen.root == tmp_path / "chosen"
    assert chosen.how == f"configured: {tmp_path / 'chosen'}"

    active = find_environment(project, None, environ)
    assert active is not None and active.root == tmp_path / "active"
    assert active.how == f"VIRTUAL_ENV={tmp_path / 'active'}"

    beside = find_environment(project, None, {})
    assert beside is not None and beside.root == project / ".venv"

    (project / ".venv" / "pyvenv.cfg").unlink()  # not a venv any more: venv/ is next
    other = find_environment(project, None, {})
    assert other is not None and other.root == project / "venv"
    assert other.how == "venv beside the project root"


def test_a_relative_setting_is_taken_from_the_project_root(tmp_path: Path) -> None:
    _venv(tmp_path / "project" / "envs" / "dev", "version = 3.11.1\n")
    found = find_environment(tmp_path / "project", "envs/dev", {})
    assert found is not None and found.root == tmp_path / "project" / "envs" / "dev"


def test_a_setting_naming_the_python_executable_keeps_the_venv(tmp_path: Path) -> None:
    root = tmp_path / "env"
    site = _venv(root, "version = 3.11.1\n")
    (root / "bin").mkdir()
    (root / "bin" / "python").symlink_to(sys.executable)  # resolving it would leave the venv
    found = find_environment(tmp_path, str(root / "bin" / "python"), {})
    assert found is not None
    assert found.root == root and found.site_packages == (site,)
    assert "bin/python" in found.how


def test_a_setting_naming_a_conda_like_prefix_is_read_by_its_layout(tmp_path: Path) -> None:
    prefix = tmp_path / "conda"
    site = prefix / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (prefix / "lib" / "python3.11" / "os.py").write_text("")
    found = find_environment(tmp_path, str(prefix), {})
    assert found is not None
    assert found.site_packages == (site,)
    assert found.stdlib == prefix / "lib" / "python3.11"
    assert found.python_version == (3, 11)


def test_a_setting_that_names_nothing_is_not_replaced_by_a_guess(tmp_path: Path) -> None:
    _venv(tmp_path / "project" / ".venv", "version = 3.11.1\n")
    assert find_environment(tmp_path / "project", str(tmp_path / "missing"), {}) is None
    (tmp_path / "empty").mkdir()
    assert find_environment(tmp_path / "project", str(tmp_path / "empty"), {}) is None


def test_a_stale_virtual_env_falls_through_to_dot_venv(tmp_path: Path) -> None:
    _venv(tmp_path / "project" / ".venv", "version = 3.11.1\n")
    found = find_environment(tmp_path / "project", None, {"VIRTUAL_ENV": str(tmp_path / "gone")})
    assert found is not None and found.root == tmp_path / "project" / ".venv"


def test_a_dot_venv_without_pyvenv_cfg_is_not_an_environment(tmp_path: Path) -> None:
    _venv(tmp_path / "project" / ".venv", None)
    (tmp_path / "project" / "venv").write_text("not a directory")
    assert find_environment(tmp_path / "project", None, {}) is None


# --- hostile environments --------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_pyvenv_cfg_is_no_environment_and_does_not_block(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    _venv(root, None)
    os.mkfifo(root / "pyvenv.cfg")
    assert find_environment(tmp_path / "p", None, {}) is None  # a blocking read would hang
    assert find_environment(tmp_path, str(root), {}) is None
    assert find_environment(tmp_path, None, {"VIRTUAL_ENV": str(root)}) is None


def test_a_pyvenv_cfg_linking_out_of_the_environment_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.cfg"
    outside.write_text("version = 3.11.1\n")
    root = tmp_path / "p" / ".venv"
    _venv(root, None)
    (root / "pyvenv.cfg").symlink_to(outside)
    assert find_environment(tmp_path / "p", None, {}) is None


def test_a_pyvenv_cfg_linking_to_a_device_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    _venv(root, None)
    (root / "pyvenv.cfg").symlink_to("/dev/zero")
    assert find_environment(tmp_path / "p", None, {}) is None


def test_a_huge_pyvenv_cfg_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    _venv(root, "version = 3.11.1\n" + "#" * MAX_CONFIG_SIZE)
    assert find_environment(tmp_path / "p", None, {}) is None


def test_a_directory_as_pyvenv_cfg_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    _venv(root, None)
    (root / "pyvenv.cfg").mkdir()
    assert find_environment(tmp_path / "p", None, {}) is None


def test_symlink_loops_are_no_environment(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / ".venv").symlink_to(project / ".venv")
    (project / "venv").symlink_to(project / "venv2")
    (project / "venv2").symlink_to(project / "venv")
    assert find_environment(project, None, {}) is None
    assert find_environment(project, ".venv", {}) is None
    assert find_environment(project, None, {"VIRTUAL_ENV": str(project / "venv")}) is None


def test_a_nul_byte_in_a_setting_or_virtual_env_is_no_environment(tmp_path: Path) -> None:
    assert find_environment(tmp_path, "a\0b", {}) is None
    assert find_environment(tmp_path, None, {"VIRTUAL_ENV": "a\0b"}) is None


def test_a_site_packages_symlink_loop_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "p" / ".venv"
    (root / "lib" / "python3.11").mkdir(parents=True)
    (root / "pyvenv.cfg").write_text("version = 3.11.1\n")
    (root / "lib" / "python3.11" / "site-packages").symlink_to(
        root / "lib" / "python3.11" / "site-packages"
    )
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None and found.site_packages == ()
    assert found.distributions() == ()


# --- distributions and the fingerprint -----------------------------------------------------


def test_installed_distributions_from_directory_names(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name in (
        "Twisted-24.3.0.dist-info",
        "zope_interface-6.2.dist-info",
        "legacy-1.0-py3.11.egg-info",
        "twisted",
    ):
        (site / name).mkdir(parents=True)
    (site / "notes.txt").write_text("")
    found = sorted(installed_distributions(site), key=lambda item: item.name)
    assert found == [
        Distribution("Twisted", "24.3.0", site / "Twisted-24.3.0.dist-info"),
        Distribution("legacy", "1.0", site / "legacy-1.0-py3.11.egg-info"),
        Distribution("zope_interface", "6.2", site / "zope_interface-6.2.dist-info"),
    ]
    assert installed_distributions(tmp_path / "missing") == ()


def test_the_fingerprint_follows_the_installed_distributions(tmp_path: Path) -> None:
    site = _venv(tmp_path / "p" / ".venv", "version = 3.11.1\n")
    (site / "twisted-24.3.0.dist-info").mkdir()

    def fingerprint() -> str:
        found = find_environment(tmp_path / "p", None, {})
        assert found is not None
        return found.fingerprint()

    first = fingerprint()
    assert first == fingerprint()
    (site / "twisted").mkdir()  # a package's files are not in the key
    assert fingerprint() == first
    (site / "twisted-24.3.0.dist-info").rename(site / "twisted-24.7.0.dist-info")
    upgraded = fingerprint()
    assert upgraded != first
    (site / "attrs-23.2.0.dist-info").mkdir()
    assert fingerprint() not in (first, upgraded)


def test_the_fingerprint_follows_the_paths(tmp_path: Path) -> None:
    _venv(tmp_path / "a" / ".venv", "version = 3.11.1\n")
    _venv(tmp_path / "b" / ".venv", "version = 3.11.1\n")
    first = find_environment(tmp_path / "a", None, {})
    second = find_environment(tmp_path / "b", None, {})
    assert first is not None and second is not None
    assert first.fingerprint() != second.fingerprint()


def test_an_environment_is_plain_data(tmp_path: Path) -> None:
    _venv(tmp_path / "p" / ".venv", "version = 3.11.1\n")
    found = find_environment(tmp_path / "p", None, {})
    assert found is not None
    assert pickle.loads(pickle.dumps(found)) == found
