# The test suite's phases, sourced by scripts/setup.sh ("test"), which has made .venv; run from
# the project's top folder. tests/unit/test_test_phases.py runs these on stand-in phases.
#
# Three phases (TECHCHECK_TEST_PHASE, tests/conftest.py): the "quiet" tests, which read or make
# processor load, in one process with the machine to themselves; then the "timed" ones, which
# time a shaped link or play sound in real time, in one process, while the rest ("shared", on
# the workers) runs beside them at idle priority, or after them where no idle cgroup can be made.

command -v say >/dev/null || say() { printf 'setup: %s\n' "$*" >&2; }

# How many test workers share the cores in the "shared" phase: two per core and one more, at
# most 5, and no more than one per GB of available memory (a worker with its app and servers
# peaks near 1 GB). Most of those tests wait on real time (a clip at its own pace, a server's
# timeout, an app starting), not on the processor: four workers kept 2 cores about 80 % busy;
# five kept them 87 % busy (1002 s of processor in 580 s) and the phase took 609 s against
# 654-671 s on four (docs/benchmarks.md, session 9). Six once made the sound tests through the
# private PipeWire server lose samples (a hum read 1 dB low); those now run in the timed phase.
# A run that selects tests (-m, -k: the quick tier) gets at most 4: its tests are short and
# use the processor, and a fifth worker's own start and collection cost more than it gained
# (quick tier 79.6 s on five, 72.8 s on four). The tests that read or make
# processor load run before them, alone; those that time something run while they wait at idle
# priority (tests/conftest.py, "quiet" and "timed").
# TECHCHECK_TEST_WORKERS overrides (0: one process).
test_workers() {
    if [ -n "${TECHCHECK_TEST_WORKERS:-}" ]; then echo "$TECHCHECK_TEST_WORKERS"; return; fi
    local n mem most=5 a
    for a in "$@"; do
        case "$a" in -m|-m*|-k|-k*) most=4 ;; esac
    done
    n=$(nproc 2>/dev/null || echo 2)
    n=$((n * 2 + 1))
    [ "$n" -gt "$most" ] && n=$most
    mem=$(awk '/^MemAvailable:/ {print int($2 / 1048576)}' /proc/meminfo 2>/dev/null || echo "")
    if [ -n "$mem" ] && [ "$mem" -lt "$n" ]; then n=$mem; fi
    [ "$n" -lt 1 ] && n=1
    echo "$n"
}

# A cgroup whose processes get the processor only when nothing outside it wants it (cpu.idle:
# SCHED_IDLE for a whole group, Linux 5.15 and later; a task outside it that wakes takes the
# processor at once, https://docs.kernel.org/scheduler/sched-design-CFS.html). Made under this
# process's own cgroup, in the cgroup-v1 "cpu" hierarchy or the unified (v2) one; its path is
# printed. Fails, printing nothing, where cgroups cannot be written (not root, read-only, an
# older kernel): the phases then run one after the other.
idle_cgroup() {
    local mount type opts rel cg
    while read -r _ mount type opts _; do
        case "$type" in
            cgroup) case ",$opts," in *,cpu,*) ;; *) continue ;; esac
                    rel=$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3; exit}' /proc/self/cgroup) ;;
            cgroup2) rel=$(awk -F: '$1 == "0" {print $3; exit}' /proc/self/cgroup) ;;
            *) continue ;;
        esac
        cg="$mount${rel%/}/techcheck-tests-$$"
        mkdir "$cg" 2>/dev/null || continue
        # Real-time threads (the private sound servers' PipeWire takes SCHED_FIFO) need a
        # budget of their own in a v1 group (sched-rt-group: a new group has none).
        if [ -e "$cg/cpu.rt_runtime_us" ] && ! echo 300000 >"$cg/cpu.rt_runtime_us" 2>/dev/null \
            || ! echo 1 >"$cg/cpu.idle" 2>/dev/null; then
            rmdir "$cg" 2>/dev/null
            continue
        fi
        echo "$cg"
        return 0
    done </proc/mounts
    return 1
}

# The "timed" phase in this process and, beside it in an idle cgroup, the "shared" phase on
# the workers: the timed tests mostly wait on shaped links and real-time sound, so the workers
# use the processor they leave. When the timed phase ends the cgroup is made ordinary again
# and the shared phase's output, kept in a file until then, follows. Sets $timed and $shared.
# TECHCHECK_TEST_OVERLAP=0, or no idle cgroup: one after the other. $1: the JUnit report's
# path, or empty (each phase writes $1.timed, $1.shared); the rest: pytest's arguments.
run_timed_and_shared() {
    local junit=$1 shared_cmd timed_args cg out pid
    shift
    timed_args=("$@" ${junit:+"--junitxml=$junit.timed"})
    set -- "$@" ${junit:+"--junitxml=$junit.shared"}
    # A worker that crashes ends the run with its test named: pytest-xdist 3.8's loadgroup
    # scheduler gives a replaced worker's tests to nobody, and the run then waits forever.
    shared_cmd=(.venv/bin/python -m pytest -n "$(test_workers "$@")" --dist loadgroup
                --no-loadscope-reorder --max-worker-restart 0 "$@")
    cg=""
    [ "${TECHCHECK_TEST_OVERLAP:-1}" != 0 ] && cg=$(idle_cgroup)
    if [ -z "$cg" ]; then
        TECHCHECK_TEST_PHASE=timed .venv/bin/python -m pytest -n 0 "${timed_args[@]}"
        timed=$?
        TECHCHECK_TEST_PHASE=shared "${shared_cmd[@]}"
        shared=$?
        return
    fi
    out=$(mktemp)
    (
        echo "$BASHPID" >"$cg/cgroup.procs" || say "could not lower the shared phase's priority"
        TECHCHECK_TEST_PHASE=shared exec "${shared_cmd[@]}"
    ) >"$out" 2>&1 &
    pid=$!
    # A background job ignores Ctrl-C in a script: pass it on.
    trap 'kill -TERM "$pid" 2>/dev/null' INT TERM
    TECHCHECK_TEST_PHASE=timed .venv/bin/python -m pytest -n 0 "${timed_args[@]}"
    timed=$?
    echo 0 >"$cg/cpu.idle"
    tail -n +1 -f --pid="$pid" "$out"
    wait "$pid"
    shared=$?
    trap - INT TERM
    rm -f "$out"
    stop_leftovers "$cg"
}

# Processes the shared phase left running in its cgroup (a server a crashed worker never
# stopped): named, so that the leak is seen, and stopped; then the cgroup is removed.
stop_leftovers() {
    local cg=$1 pids p names=""
    pids=$(tr '\n' ' ' <"$cg/cgroup.procs" 2>/dev/null)
    if [ -n "${pids// /}" ]; then
        for p in $pids; do  # /proc, not ps: a minimal Debian has no procps
            names+="${names:+, }$(cat "/proc/$p/comm" 2>/dev/null || echo '?') ($p)"
        done
        say "the tests left these running; stopping them: $names"
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            [ -n "$(cat "$cg/cgroup.procs" 2>/dev/null)" ] || break  # sysfs files have no size
            sleep 0.2
        done
    fi
    rmdir "$cg" 2>/dev/null || say "could not remove $cg: $(wc -l <"$cg/cgroup.procs") processes still in it"
}

# Runs the three phases with pytest's arguments "$@"; returns the first failing phase's
# status, or 5 (no test collected) only when no phase ran one. A JUnit report asked for with
# --junitxml=PATH (.github/workflows/test.yml) is written per phase and the three merged into
# PATH at the end: the phases run at the same time, and each would replace the other's.
run_tests() {
    local quiet rc a junit="" args=()
    # pytest keeps the test modules it rewrote for its asserts as bytecode (__pycache__); with
    # PYTHONDONTWRITEBYTECODE set, as some shells and CI images have it, every pytest process
    # (each worker) rewrote all ~110 of them again: 9.8 s of processor to collect the suite,
    # against 3.9 s from the cache (session 9, docs/benchmarks.md).
    unset PYTHONDONTWRITEBYTECODE
    for a in "$@"; do
        case "$a" in
            --junitxml=*|--junit-xml=*) junit=${a#*=} ;;
            *) args+=("$a") ;;
        esac
    done
    TECHCHECK_TEST_PHASE=quiet .venv/bin/python -m pytest -n 0 "${args[@]}" \
        ${junit:+"--junitxml=$junit.quiet"}
    quiet=$?
    run_timed_and_shared "$junit" "${args[@]}"
    if [ -n "$junit" ]; then merge_junit "$junit"; fi
    for rc in "$quiet" "$timed" "$shared"; do
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then return "$rc"; fi
    done
    if [ "$quiet" -eq 5 ] && [ "$timed" -eq 5 ] && [ "$shared" -eq 5 ]; then return 5; fi
    return 0
}

# The phases' JUnit reports ($1.quiet, $1.timed, $1.shared) as one report at $1: every
# phase's test suites under one <testsuites>.
merge_junit() {
    .venv/bin/python - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

out = Path(sys.argv[1])
merged = ET.Element("testsuites")
for phase in ("quiet", "timed", "shared"):
    part = out.with_name(f"{out.name}.{phase}")
    if not part.is_file():
        continue
    root = ET.parse(part).getroot()
    merged.extend(root.iter("testsuite"))
    part.unlink()
tmp = out.with_name(out.name + ".tmp")
ET.ElementTree(merged).write(tmp, encoding="utf-8", xml_declaration=True)
tmp.replace(out)
PY
}
