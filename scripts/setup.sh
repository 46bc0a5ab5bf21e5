#!/usr/bin/env bash
# Installs everything TechCheck needs on Debian 12 / Ubuntu and then either starts the app
# ("start", the default) or runs the whole test suite ("test"). Safe to run again: it only
# installs what is missing. Extra arguments after "start" go to techcheck, after "test" to pytest
# (`bash scripts/setup.sh test -m "not slow"` is the quick tier).
#
# "start" installs only the Debian packages running the app needs (the [start] section of
# scripts/debian-packages.txt); "test" installs those and the [test] section (X server, sound
# server, STUN server, speech synthesis, accessibility bus, bundle build tools).
# `bash scripts/setup.sh packages start|test` lists them without installing anything.
#
# The tests run in three phases: first those that read or make processor load, alone in one
# process; then those that time something in real time, in one process, while the rest runs
# beside them at idle priority on two pytest-xdist workers per core and one more (at most 5,
# 4 for a selection; TECHCHECK_TEST_WORKERS overrides, 0 runs them in this one process). Tests
# that share a server or a namespace lab stay on one worker (--dist loadgroup;
# tests/conftest.py groups them), in the order tests/conftest.py gives: the quick tier first.
#
# Quiet and fast when there is nothing to do: a second run prints nothing of its own and adds
# well under 2 s before the app starts. It checks the Debian packages with one dpkg-query, and
# installs TechCheck into .venv again only when pyproject.toml changed since the last install
# (its SHA-256 is kept in .venv/techcheck-install.stamp). A first run shows one line per stage;
# the installers' own output goes to .venv/setup.log (apt-get's to a temporary file) and is
# shown only when a step fails.
set -euo pipefail

cd "$(dirname "$0")/.."
mode="${1:-start}"
shift || true

STAMP=.venv/techcheck-install.stamp
LOG=.venv/setup.log

say() { printf 'setup: %s\n' "$*" >&2; }

# Runs "$@" with its output in the file $1; on failure shows that output's end and stops.
quietly() {
    local log="$1"; shift
    if ! "$@" >>"$log" 2>&1; then
        say "failed: $*"
        tail -n 40 "$log" >&2
        say "(full output: $log)"
        exit 1
    fi
}

# The packages of scripts/debian-packages.txt that "$1" needs: "start" its [start] section
# (running the app), "test" both sections (the tests and the bundle build need the rest). A
# package outside the two sections stops the set-up rather than be skipped unnoticed.
debian_packages() {
    awk -v mode="$1" '
        /^[[:space:]]*(#|$)/ { next }
        /^\[/ { section = $1
                 if (section != "[start]" && section != "[test]") { bad = NR; exit 1 }
                 next }
        section == "" { bad = NR; exit 1 }
        section == "[start]" || mode == "test" { print $1 }
        END { if (bad) { printf "setup: scripts/debian-packages.txt line %d: not in a " \
                         "[start] or [test] section\n", bad > "/dev/stderr"; exit 1 } }
    ' scripts/debian-packages.txt
}

install_debian_packages() {
    local mode="$1"     # start or test: which sections of the list
    local verbose="$2"  # print the stage line even when nothing is missing (a first run)
    if ! command -v apt-get >/dev/null 2>&1; then
        [ -n "$verbose" ] && say "[1/3] Debian packages: not a Debian/Ubuntu system; install" \
            "scripts/debian-packages.txt yourself ([start] to run the app, [test] too for the tests)"
        return 0
    fi
    local wanted missing list
    list=$(debian_packages "$mode") || exit 1
    mapfile -t wanted <<<"$list"
    # One dpkg-query for all of them; a package it does not know is missing too.
    missing=$(comm -23 <(printf '%s\n' "${wanted[@]}" | sort -u) \
        <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null \
          | awk '$2 == "ii" {print $1}' | sort -u))
    if [ -z "$missing" ]; then
        [ -n "$verbose" ] && say "[1/3] Debian packages: all ${#wanted[@]} present"
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            say "missing Debian packages and no root or sudo: $(echo $missing)"
            say "install them (scripts/debian-packages.txt says why each is needed) and run again"
            return 1
        fi
    fi
    say "[1/3] Debian packages: installing $(echo "$missing" | wc -w) ($(echo $missing))…"
    local log
    log=$(mktemp -t techcheck-apt.XXXXXX)
    # shellcheck disable=SC2086  # one word per package
    quietly "$log" $sudo apt-get update -q
    # shellcheck disable=SC2086
    quietly "$log" $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends $missing
    rm -f "$log"
}

python_for_venv() {
    for py in python3.11 python3.12 python3.13 python3; do
        if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"; return 0
        fi
    done
    say "Python 3.11 or newer with venv is needed (apt-get install python3-venv)"; return 1
}

pyproject_hash() {
    sha256sum pyproject.toml | cut -d' ' -f1
}

# Whether the stamp says TechCheck was installed from this pyproject.toml with these extras.
installed_already() {
    local extras="$1" hash extras_done
    [ -x .venv/bin/python ] && [ -f "$STAMP" ] || return 1
    read -r hash extras_done <"$STAMP" || return 1
    [ "$hash" = "$(pyproject_hash)" ] || return 1
    # "[dev]" includes everything "start" needs.
    [ -z "$extras" ] || [ "$extras_done" = "$extras" ]
}

install_python() {
    local extras="$1"
    installed_already "$extras" && return 0
    if [ ! -x .venv/bin/python ]; then
        local py
        py=$(python_for_venv)
        say "[2/3] Python environment: creating .venv with $("$py" -V 2>&1)…"
        "$py" -m venv .venv
        : >"$LOG"
        quietly "$LOG" .venv/bin/python -m pip install --upgrade pip
    else
        say "[2/3] Python environment: .venv with $(.venv/bin/python -V 2>&1)"
        : >"$LOG"
    fi
    say "[3/3] TechCheck${extras:+ with $extras}: installing into .venv (a few minutes the first time)…"
    rm -f "$STAMP"
    quietly "$LOG" .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras}"
    printf '%s %s\n' "$(pyproject_hash)" "${extras:-}" >"$STAMP"
}

# A run that installs anything shows every stage; one that finds all in place prints nothing.
first_run=""
case "$mode" in start) installed_already "" || first_run=1 ;;
                test) installed_already "[dev]" || first_run=1 ;; esac

case "$mode" in
    start)
        install_debian_packages start "$first_run"
        install_python ""
        # Not "ready": the window takes a few seconds more to show, and a server session runs
        # the check in the terminal instead; techcheck says what it does from here.
        [ -n "$first_run" ] && say "installed; starting TechCheck…"
        exec .venv/bin/techcheck "$@"
        ;;
    test)
        install_debian_packages test "$first_run"
        install_python "[dev]"
        [ -n "$first_run" ] && say "installed; running the tests…"
        # The test phases (run_tests): kept apart so that tests/unit/test_test_phases.py can
        # run them on stand-in phases.
        # shellcheck source=scripts/test-phases.sh
        . scripts/test-phases.sh
        set +e
        run_tests "$@"
        status=$?
        set -e
        exit "$status"
        ;;
    packages)
        # What "start" or "test" installs, one package a line (nothing is installed).
        case "${1:-}" in start|test) debian_packages "$1" ;;
            *) say "usage: scripts/setup.sh packages start|test"; exit 3 ;; esac
        ;;
    *)
        say "usage: scripts/setup.sh [start|test|packages] [arguments]"; exit 3 ;;
esac
