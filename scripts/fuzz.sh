#!/usr/bin/env bash
# Runs each Jazzer fuzz target of jsmtp-core in its own JVM for the given number of seconds (default 60) and
# prints, per target, how many inputs it executed and whether it found anything.
#
#   scripts/fuzz.sh [seconds] [TestClass ...]
#
# Plain `mvn test` only replays the committed seeds (regression mode); this script sets JAZZER_FUZZ=1 to fuzz.
# A finding is written by Jazzer as a reproducer next to the seeds, in
# jsmtp-core/src/test/resources/dev/jsmtp/fuzz/<TestClass>Inputs/<method>/crash-*, where `mvn test` replays it.
# The corpus Jazzer grows is kept in jsmtp-core/target/fuzz-corpus between runs (a `mvn clean` drops it).
set -euo pipefail

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(ReplyFuzzTest ExtensionsFuzzTest PathFuzzTest DotStuffingFuzzTest)
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
core="$root/jsmtp-core"
logs="$core/target/fuzz-logs"
kept="$core/target/fuzz-corpus"
mkdir -p "$logs"

offline=()
if [ "${FUZZ_OFFLINE:-1}" = "1" ]; then
    offline=(-o)
fi

# Compile once, so that each target's time goes to fuzzing.
(cd "$root" && mvn -B -q "${offline[@]}" -pl jsmtp-core test-compile)

printf '%-22s %10s %8s %10s  %s\n' target executions seconds exec/s result
status=0
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    # Jazzer keeps its generated corpus in <module>/.cifuzz-corpus; keep it under target/ instead of the tree.
    if [ -d "$kept" ]; then
        rm -rf "$core/.cifuzz-corpus"
        cp -r "$kept" "$core/.cifuzz-corpus"
    fi
    set +e
    (cd "$root" && JAZZER_FUZZ=1 mvn -B "${offline[@]}" -pl jsmtp-core surefire:test -Dtest="$target" \
        -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1=-max_total_time="$seconds" \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1)
    rc=$?
    set -e
    if [ -d "$core/.cifuzz-corpus" ]; then
        rm -rf "$kept"
        mv "$core/.cifuzz-corpus" "$kept"
    fi
    # Greps that find nothing are normal here (a finding during start-up prints no statistics).
    summary=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
    runs=$(echo "$summary" | awk '{print $2}')
    secs=$(echo "$summary" | awk '{print $5}')
    if [ -z "$runs" ]; then
        # libFuzzer prints no summary when it stops on a finding: take the last status line instead.
        runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    fi
    runs="${runs:-0}"
    rate=$(grep -Eo 'exec/s: [0-9]+' "$log" | tail -1 | awk '{print $2}' || true)
    if [ $rc -eq 0 ]; then
        result="ok, no finding"
    else
        status=1
        finding=$(grep -E '^(== Java Exception|java\.lang\.[A-Za-z]+Error|Caused by)' "$log" | head -1 || true)
        reproducer=$(grep -Eo "crash-[0-9a-f]+" "$log" | head -1 || true)
        result="FAILED (rc $rc): ${finding:-see log} ${reproducer}"
    fi
    printf '%-22s %10s %8s %10s  %s\n' "$target" "$runs" "${secs:--}" "${rate:--}" "$result"
    echo "    log: $log"
done
exit $status
