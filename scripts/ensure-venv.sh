#!/usr/bin/env bash
# Build the project (.venv) or engine (.venv-rasa) environment from pinned files,
# only when those files changed. Usage: scripts/ensure-venv.sh project|rasa
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
CACHE=${HALO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/halo-warga}
quiet_pip() { grep -v -e "is ignored: it is neither a file nor a directory" || true; }
pyver=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')

case "${1:-}" in
project)
    # Per clone (the project is installed editable into it); pip's cache makes a rebuild quick.
    key=$(cat requirements/project.txt pyproject.toml | sha256sum | cut -c1-16)-$pyver
    if [ "$(cat .venv/.halo-stamp 2>/dev/null)" = "$key" ]; then exit 0; fi
    echo ">> building .venv (project environment, $pyver)"
    rm -rf .venv
    "$PYTHON" -m venv .venv
    .venv/bin/pip install -q --upgrade pip 2>&1 | quiet_pip
    .venv/bin/pip install -q -r requirements/project.txt 2>&1 | quiet_pip
    .venv/bin/pip install -q --no-deps -e . 2>&1 | quiet_pip
    echo "$key" > .venv/.halo-stamp
    ;;
rasa)
    # Shared between clones, keyed on the pin list: TensorFlow and friends take minutes.
    key=$(cat requirements/rasa.txt | sha256sum | cut -c1-16)-$pyver
    target="$CACHE/venv-rasa-$key"
    mkdir -p "$CACHE"
    # Two clones building at once would delete each other's half-built environment:
    # one builds, the other waits for it (venvs cannot be moved, so no build-and-rename).
    exec 9>"$CACHE/venv-rasa.lock"
    flock 9
    if [ ! -f "$target/.complete" ]; then
        echo ">> building the Rasa engine environment in $target (a few minutes, once)"
        rm -rf "$target"
        "$PYTHON" -m venv "$target"
        "$target/bin/pip" install -q setuptools==70.3.0 wheel==0.45.1 2>&1 | quiet_pip
        "$target/bin/pip" install -q --no-deps --ignore-requires-python \
            -r requirements/rasa.txt 2>&1 | quiet_pip
        "$target/bin/rasa" --version >/dev/null 2>&1
        touch "$target/.complete"
    fi
    if [ "$(readlink .venv-rasa 2>/dev/null)" != "$target" ]; then
        rm -rf .venv-rasa
        ln -s "$target" .venv-rasa
    fi
    ;;
*)
    echo "usage: $0 project|rasa" >&2
    exit 2
    ;;
esac
