#!/usr/bin/env bash
# Installs everything TechCheck needs on Debian 12 / Ubuntu and then either starts the app
# ("start", the default) or runs the whole test suite ("test"). Safe to run again: it only
# installs what is missing. Extra arguments after "test" go to pytest.
set -euo pipefail

cd "$(dirname "$0")/.."
mode="${1:-start}"
shift || true

say() { printf 'setup: %s\n' "$*" >&2; }

install_debian_packages() {
    command -v apt-get >/dev/null 2>&1 || { say "not a Debian/Ubuntu system: install the packages in scripts/debian-packages.txt yourself"; return 0; }
    local wanted missing=()
    mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/debian-packages.txt)
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && { say "Debian packages: all present"; return 0; }
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            say "missing Debian packages and no root or sudo: ${missing[*]}"; return 1; fi
    fi
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

python_for_venv() {
    for py in python3.11 python3.12 python3.13 python3; do
        if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"; return 0
        fi
    done
    say "Python 3.11 or newer with venv is needed (apt-get install python3-venv)"; return 1
}

install_python() {
    local extras="$1"
    if [ ! -x .venv/bin/python ]; then
        say "creating the virtual environment in .venv"
        "$(python_for_venv)" -m venv .venv
        .venv/bin/python -m pip install -q --upgrade pip
    fi
    say "installing TechCheck${extras:+ with $extras}"
    .venv/bin/python -m pip install -q -e ".${extras}"
}

case "$mode" in
    start)
        install_debian_packages
        install_python ""
        exec .venv/bin/techcheck "$@"
        ;;
    test)
        install_debian_packages
        install_python "[dev]"
        exec .venv/bin/python -m pytest "$@"
        ;;
    *)
        say "usage: scripts/setup.sh [start|test] [arguments]"; exit 3 ;;
esac
