#!/usr/bin/env bash
# Run tests under other Pythons, each in a fresh virtual environment with `pip install '.[test]'`.
#
#   bash scripts/pythons.sh [PYTEST ARGS...]     # default: tests/test_start_methods.py
#
# The Pythons are $CODEMODS_PYTHONS (default "3.10 3.12 3.13": those this project's machine has
# besides the 3.11 that runs the main suite). Each is looked for as pythonX.Y on PATH, then in
# pyenv ($PYENV_ROOT, `pyenv root`, ~/.pyenv); one that is not installed is skipped with a notice.
# Exits non-zero if any run failed; every Python is run regardless.
set -euo pipefail
cd "$(dirname "$0")/.."

pythons="${CODEMODS_PYTHONS:-3.10 3.12 3.13}"
if [ "$#" -eq 0 ]; then
  set -- tests/test_start_methods.py
fi

# Print the path of a working interpreter for version $1 (X.Y), or nothing.
find_python() {
  local version="$1" candidate root
  local -a candidates=()
  candidate="$(command -v "python$version" 2>/dev/null || true)"
  [ -n "$candidate" ] && candidates+=("$candidate")
  local home
  home="$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6 || true)"
  for root in "${PYENV_ROOT:-}" "$(pyenv root 2>/dev/null || true)" "${HOME:-$home}/.pyenv" "$home/.pyenv"; do
    [ -n "$root" ] || continue
    # Several patch releases: the newest first.
    while IFS= read -r candidate; do
      candidates+=("$candidate")
    done < <(printf '%s\n' "$root/versions/$version".*/bin/python"$version" | sort -rV)
  done
  for candidate in "${candidates[@]+"${candidates[@]}"}"; do
    # A pyenv shim for a version that is not selected fails here, as does a broken install.
    if [ -x "$candidate" ] && [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]; then
      echo "$candidate"
      return
    fi
  done
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()
for version in $pythons; do
  python="$(find_python "$version")"
  if [ -z "$python" ]; then
    echo "== Python $version: not installed on this machine, skipped"
    continue
  fi
  echo "== Python $version ($python): fresh venv, pip install '.[test]', pytest $*"
  venv="$work/venv-$version"
  started=$SECONDS
  if "$python" -m venv "$venv" \
    && "$venv/bin/python" -m pip install -qq --upgrade pip \
    && "$venv/bin/python" -m pip install -qq '.[test]' \
    && PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" "$venv/bin/python" -m pytest -p no:cacheprovider "$@"; then
    echo "== Python $version: passed ($((SECONDS - started)) s)"
  else
    echo "== Python $version: FAILED ($((SECONDS - started)) s)"
    failed+=("$version")
  fi
  rm -rf "$venv"
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "== FAILED under Python ${failed[*]}: pytest $*" >&2
  exit 1
fi
