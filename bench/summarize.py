#!/usr/bin/env python3
"""Turns bench/run.sh's raw.jsonl into the Markdown tables of bench/README.md (medians and ratios)."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float('nan')


def fmt(x, digits=0):
    return '—' if x != x else f'{x:,.{digits}f}'


print('### Client turns per message on a reused connection '
      f'({rows[0].get("rttMs", "?")} ms RTT through the delaying proxy)\n')
print('| server offers | recipients | client | turns/message (proxy) | turns/message (jsmtp\'s own count) '
      '| messages/s at this RTT | p50 latency ms |')
print('|---|---:|---|---:|---:|---:|---:|')
for r in rows:
    if r['kind'] != 'turns':
        continue
    own = r.get('clientTurnsPerMessage')
    lat = r.get('latencyMs', {}).get('p50')
    print(f'| {r["label"]} | {r["recipients"]} | {r["client"]} | {r["proxyTurnsPerMessage"]:.3f} '
          f'| {"—" if own is None else f"{own:.3f}"} | {fmt(r.get("messagesPerSecond", float("nan")), 1)} '
          f'| {"—" if lat is None else f"{lat:.2f}"} |')

small = [r for r in rows if r['kind'] == 'small']
for server, offer in (('smtp-sink', 'PIPELINING'), ('fast-sink', 'PIPELINING+CHUNKING')):
    rows_here = [r for r in small if r.get('server', 'smtp-sink') == server]
    if not rows_here:
        continue
    print(f'\n### Small messages ({rows_here[0].get("messageSize") or "?"} bytes) on loopback, one connection, '
          f'to {server} ({offer}); medians of {len({r["round"] for r in rows_here})} interleaved rounds\n')
    print('| client | messages/s (own clock) | messages/s (wall, JVM start included) | p50 ms | p99 ms |')
    print('|---|---:|---:|---:|---:|')
    by = {}
    for client in ('jsmtp', 'jsmtp-window', 'smtp-source', 'angus'):
        rs = [r for r in rows_here if r['client'] == client]
        if not rs:
            continue
        name = f'jsmtp --window {rs[0].get("window", "?")}' if client == 'jsmtp-window' else client
        own = med([r['messagesPerSecond'] for r in rs])
        wall = med([r['wallMessagesPerSecond'] for r in rs])
        p50 = med([r.get('latencyMs', {}).get('p50') for r in rs])
        p99 = med([r.get('latencyMs', {}).get('p99') for r in rs])
        by[client] = (own, wall)
        print(f'| {name} | {fmt(own)} | {fmt(wall)} | {fmt(p50, 3)} | {fmt(p99, 3)} |')
    for ours in ('jsmtp', 'jsmtp-window'):
        if ours not in by:
            continue
        label = 'jsmtp' if ours == 'jsmtp' else 'jsmtp --window'
        for peer in ('smtp-source', 'angus'):
            if peer in by:
                # smtp-source has no clock of its own: its rate is wall time, which for a C program is its run.
                own_ratio = by[ours][0] / (by[peer][1] if peer == 'smtp-source' else by[peer][0])
                wall_ratio = by[ours][1] / by[peer][1]
                print(f'\n{label} / {peer}: {own_ratio:.2f}x (own clocks'
                      f'{", smtp-source wall" if peer == "smtp-source" else ""}), '
                      f'{wall_ratio:.2f}x (both wall clock, JVM start-up included)')

big = [r for r in rows if r['kind'] == 'big']
if big:
    count = big[0].get('messages', 1)
    print(f'\n### {count} message(s) of {big[0]["messageSize"]:,} bytes on one connection, '
          f'medians of {len({r["round"] for r in big})} rounds\n')
    print('"median message" is the size over the median per-message time (MAIL to the final 250): a warm JVM; '
          '"whole run" includes the cold first message.\n')
    print('| server | client | MB/s, median message | MB/s, whole run | max RSS MiB | jsmtp / raw, median message '
          '| jsmtp / raw, whole run |')
    print('|---|---|---:|---:|---:|---:|---:|')
    for server, how in (('smtp-sink', 'DATA'), ('fast-sink', 'BDAT')):
        rate, warm = {}, {}
        for client in ('jsmtp', 'raw-copy'):
            rs = [r for r in big if r['client'] == client and r.get('server') == server]
            if not rs:
                continue
            rate[client] = med([r['bytesPerSecond'] for r in rs]) / 1e6
            warm[client] = med([r['messageSize'] / r['latencyMs']['p50'] / 1e3 for r in rs])
            rss = med([r.get('maxRssKiB') for r in rs]) / 1024 if any('maxRssKiB' in r for r in rs) else float('nan')
            both = client == 'raw-copy' and 'jsmtp' in rate
            ratio_warm = f'{100 * warm["jsmtp"] / warm["raw-copy"]:.0f}%' if both else ''
            ratio_all = f'{100 * rate["jsmtp"] / rate["raw-copy"]:.0f}%' if both else ''
            name = 'jsmtp load (-Xmx64m)' if client == 'jsmtp' else f'raw socket copy ({how})'
            print(f'| {server} ({how}) | {name} | {fmt(warm[client])} | {fmt(rate[client])} | {fmt(rss)} '
                  f'| {ratio_warm} | {ratio_all} |')
