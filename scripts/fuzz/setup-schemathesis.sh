#!/usr/bin/env bash
# Idempotent: a Python venv holding a pinned schemathesis from PyPI, cached beside the Temporal binaries
# (${SUPPORTFLOW_CACHE_DIR:-~/.cache/supportflow}/venv/schemathesis-<version>) so every clone on this
# machine reuses it. A venv whose install did not finish (no .complete marker) is rebuilt.
# Prints the path of the `schemathesis` executable on its last line; progress goes to stderr.
set -euo pipefail

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
cache="${SUPPORTFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/supportflow}"
venv="$cache/venv/schemathesis-$SCHEMATHESIS_VERSION"
bin="$venv/bin/schemathesis"

if [ -f "$venv/.complete" ] && [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "[fuzz] installing python3-venv" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv >/dev/null
  python=python3
fi

started=$(date +%s)
echo "[fuzz] creating $venv (schemathesis $SCHEMATHESIS_VERSION from PyPI)" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
"$bin" --version >&2
touch "$venv/.complete"
echo "[fuzz] schemathesis ready in $(($(date +%s) - started))s" >&2
echo "$bin"
