#!/usr/bin/env bash
# JMH benchmarks of jsmtp-core's hot paths, short runs for a shared, noisy machine.
#   bench/jmh.sh                 # -wi 3 -i 5 -f 1, 1 s iterations; extra arguments go to JMH
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/results/jmh-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
# The JMH module resolves jsmtp-core from the local repository: install this worktree's (and the parent pom).
( cd "$root" && mvn -B -q -N install && mvn -B -q -pl jsmtp-core install -DskipTests ) >"$out/build.log" 2>&1
( cd "$here/jmh" && mvn -B -q package ) >>"$out/build.log" 2>&1
java -jar "$here/jmh/target/benchmarks.jar" -wi 3 -w 1 -i 5 -r 1 -f 1 -rf json -rff "$out/jmh.json" "$@" \
  | tee "$out/jmh.txt"
python3 - "$out/jmh.json" <<'PY' | tee "$out/summary.md"
import json, sys
rows = json.load(open(sys.argv[1]))
print('| benchmark | params | ops/s | ± (99.9%) | MB/s of input |')
print('|---|---|---:|---:|---:|')
for r in rows:
    name = r['benchmark'].rsplit('.', 2)
    name = name[-2] + '.' + name[-1]
    m = r['primaryMetric']
    # Every throughput benchmark but the reply parser handles 1 MiB per operation.
    mbs = '—' if 'ReplyReader' in name else f"{m['score'] * 1.048576:,.0f}"
    params = ','.join(f'{k}={v}' for k, v in r.get('params', {}).items()) or '—'
    print(f"| {name} | {params} | {m['score']:,.1f} | {m['scoreError']:,.1f} | {mbs} |")
PY
