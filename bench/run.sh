#!/usr/bin/env bash
# One benchmark run, everything on 127.0.0.1: jsmtp load vs Postfix's smtp-source vs Angus Mail, against
# Postfix's smtp-sink, interleaved and repeated; medians and ratios go to bench/results/<stamp>/summary.md.
#
#   bench/run.sh                      # the full run (about 5-8 minutes on 2 shared cores)
#   QUICK=1 bench/run.sh              # modest sizes, 2 rounds: a smoke test of the script
#
# Knobs (environment): ROUNDS (5), SMALL_MESSAGES (15000), SMALL_SIZE (1000), TURN_MESSAGES (40),
# RTT_MS (10), BIG_SIZE (1073741824), BIG_ROUNDS (3), BIG_MESSAGES (3), BASE_PORT (12525), WINDOW (16: jsmtp's pipelined row).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [[ -n "${QUICK:-}" ]]; then
  : "${ROUNDS:=2}" "${SMALL_MESSAGES:=3000}" "${TURN_MESSAGES:=10}" "${BIG_SIZE:=67108864}" "${BIG_ROUNDS:=1}" "${BIG_MESSAGES:=2}"
fi
ROUNDS=${ROUNDS:-5}
SMALL_MESSAGES=${SMALL_MESSAGES:-15000}
SMALL_SIZE=${SMALL_SIZE:-1000}
TURN_MESSAGES=${TURN_MESSAGES:-40}
RTT_MS=${RTT_MS:-10}
BIG_SIZE=${BIG_SIZE:-1073741824}
BIG_ROUNDS=${BIG_ROUNDS:-3}
BIG_MESSAGES=${BIG_MESSAGES:-3}
BASE_PORT=${BASE_PORT:-12525}
WINDOW=${WINDOW:-16}
SINK_PORT=$BASE_PORT                  # smtp-sink: PIPELINING, no CHUNKING
CHUNK_PORT=$((BASE_PORT + 1))         # chunking_sink.py: PIPELINING + CHUNKING
SINK_PROXY=$((BASE_PORT + 10))        # delay proxy -> smtp-sink
CHUNK_PROXY=$((BASE_PORT + 11))       # delay proxy -> chunking sink
FAST_PORT=$((BASE_PORT + 2))          # FastSink (Java): PIPELINING + CHUNKING, bulk reads

out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
raw="$out/raw.jsonl"
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/run.log" >&2; }

# --- Postfix's smtp-sink and smtp-source ------------------------------------------------------------------
if ! [[ -x /usr/sbin/smtp-sink && -x /usr/sbin/smtp-source ]]; then
  log "installing postfix (for smtp-sink and smtp-source)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string bench.invalid" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >"$out/apt.log" 2>&1 \
    || { apt-get update -q >>"$out/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >>"$out/apt.log" 2>&1; }
  # The package may start the system daemon; the benchmark needs only the two test programs.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet postfix 2>/dev/null; then
    systemctl stop postfix || true
  fi
  postfix stop >/dev/null 2>&1 || true
fi

# --- build --------------------------------------------------------------------------------------------------
log "building jsmtp-cli (with jsmtp-core) and the Angus/raw drivers"
( cd "$root" && { mvn -B -q -o -pl jsmtp-cli -am package -DskipTests dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >"$out/build.log" 2>&1 \
    || mvn -B -q -pl jsmtp-cli -am package -DskipTests dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >"$out/build.log" 2>&1; } )
( cd "$here/drivers" && { mvn -B -q -o package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
      >>"$out/build.log" 2>&1 \
    || mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >>"$out/build.log" 2>&1; } )
JSMTP_CP="$root/jsmtp-cli/target/classes:$root/jsmtp-core/target/classes:$(cat "$root/jsmtp-cli/target/classpath.txt")"
DRIVER_CP="$here/drivers/target/classes:$(cat "$here/drivers/target/classpath.txt")"

jsmtp_load() { java -cp "$JSMTP_CP" dev.jsmtp.cli.LoadCommand "$@"; }
angus() { java -cp "$DRIVER_CP" dev.jsmtp.bench.AngusDriver "$@"; }

# --- servers ------------------------------------------------------------------------------------------------
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
smtp-sink -u nobody -m 64 127.0.0.1:$SINK_PORT 256 2>"$out/smtp-sink.log" & pids+=($!)
python3 "$here/chunking_sink.py" $CHUNK_PORT 2>"$out/chunking-sink.log" & pids+=($!)
python3 "$here/delay_proxy.py" $SINK_PROXY 127.0.0.1 $SINK_PORT $((RTT_MS / 2)) "$out/proxy-sink.jsonl" \
  2>"$out/proxy.log" & pids+=($!)
python3 "$here/delay_proxy.py" $CHUNK_PROXY 127.0.0.1 $CHUNK_PORT $((RTT_MS / 2)) "$out/proxy-chunk.jsonl" \
  2>>"$out/proxy.log" & pids+=($!)
for port in $SINK_PORT $CHUNK_PORT $SINK_PROXY $CHUNK_PROXY; do
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done
# The readiness probes above are connections too: start the proxies' counts afresh.
sleep 0.3; : >"$out/proxy-sink.jsonl"; : >"$out/proxy-chunk.jsonl"

# record KIND CLIENT JSON: one line of raw.jsonl
record() { python3 -c 'import json,sys; d=json.loads(sys.argv[3]); d.update(kind=sys.argv[1], client=sys.argv[2]); print(json.dumps(d))' "$1" "$2" "$3" >>"$raw"; }

# proxy_turns FILE CONNECTIONS: waits for the proxy's lines and prints the sum of client turns
proxy_turns() {
  for _ in $(seq 100); do [[ $(wc -l <"$1") -ge $2 ]] && break; sleep 0.05; done
  python3 -c 'import json,sys; print(sum(json.loads(l)["client_turns"] for l in open(sys.argv[1])))' "$1"
}

# --- 1. client turns per message on a reused connection, RTT_MS round trip --------------------------------
# Each client sends N and 2N messages on one connection; (turns(2N) - turns(N)) / N removes the opening and QUIT.
turns_case() {  # LABEL CLIENT PROXYPORT STATSFILE RECIPIENTS [extra jsmtp flags]
  local label=$1 client=$2 port=$3 stats=$4 r=$5; shift 5
  local t=() n json base=$TURN_MESSAGES
  # A peer without pipelining needs 53 round trips per 50-recipient message: fewer messages keep it short.
  [[ $r -gt 1 ]] && base=8  # a multiple of --window 8, so no flight is left partly filled
  for n in $base $((base * 2)); do
    : >"$stats"
    case $client in
      jsmtp) json=$(jsmtp_load --server 127.0.0.1:$port --tls none --messages $n --recipients $r \
                 --size $SMALL_SIZE --json "$@") ;;
      smtp-source)
        local s0 s1; s0=$(date +%s%N)
        smtp-source -d -s 1 -m $n -r $r -l $SMALL_SIZE -f load@example.org -t rcpt@example.org \
          127.0.0.1:$port
        s1=$(date +%s%N)
        json=$(python3 -c 'import sys; n=int(sys.argv[1]); s=(int(sys.argv[3])-int(sys.argv[2]))/1e9; print("{\"messages\":%d,\"seconds\":%f,\"messagesPerSecond\":%f}" % (n, s, n/s))' $n $s0 $s1) ;;
      angus) json=$(angus 127.0.0.1 $port $n 1 $r $SMALL_SIZE) ;;
    esac
    t+=("$(proxy_turns "$stats" 1)")
  done
  local per
  per=$(python3 -c 'import sys; a,b,n=map(int,sys.argv[1:]); print("%.3f" % ((b-a)/n))' "${t[0]}" "${t[1]}" $base)
  record turns "$client" "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(label=sys.argv[2], recipients=int(sys.argv[3]), proxyTurnsPerMessage=float(sys.argv[4]), rttMs=int(sys.argv[5])); print(json.dumps(d))' "$json" "$label" "$r" "$per" "$RTT_MS")"
  log "turns: $label r=$r $client: $per per message (proxy)"
}

log "1/3 client turns per message at ${RTT_MS} ms RTT"
for r in 1 50; do
  turns_case "PIPELINING+CHUNKING" jsmtp $CHUNK_PROXY "$out/proxy-chunk.jsonl" $r
  turns_case "PIPELINING+CHUNKING, --window 8" jsmtp $CHUNK_PROXY "$out/proxy-chunk.jsonl" $r --window 8
  turns_case "PIPELINING" jsmtp $SINK_PROXY "$out/proxy-sink.jsonl" $r
  turns_case "PIPELINING, --window 8" jsmtp $SINK_PROXY "$out/proxy-sink.jsonl" $r --window 8
  turns_case "PIPELINING" smtp-source $SINK_PROXY "$out/proxy-sink.jsonl" $r
  turns_case "PIPELINING" angus $SINK_PROXY "$out/proxy-sink.jsonl" $r
done

# --- 2. small-message throughput on loopback, interleaved rounds -------------------------------------------
# Against smtp-sink (PIPELINING only) and against FastSink (PIPELINING + CHUNKING, which jsmtp then uses; the
# peers send DATA to it), one connection each, no added delay. jsmtp is measured twice: as configured by default,
# and with --window $WINDOW (pipelined transactions: one flight of W with CHUNKING, one turn a message with DATA).
java -cp "$DRIVER_CP" dev.jsmtp.bench.FastSink $FAST_PORT 2>"$out/fast-sink.log" & pids+=($!)
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$FAST_PORT) 2>/dev/null && break; sleep 0.1; done
log "2/3 small messages: $ROUNDS rounds of $SMALL_MESSAGES x $SMALL_SIZE bytes, 1 connection, no added delay"
for round in $(seq "$ROUNDS"); do
  for server in smtp-sink fast-sink; do
    port=$SINK_PORT; [[ $server == fast-sink ]] && port=$FAST_PORT
    for client in jsmtp jsmtp-window smtp-source angus; do
      s0=$(date +%s%N)
      case $client in
        jsmtp) json=$(jsmtp_load --server 127.0.0.1:$port --tls none --messages $SMALL_MESSAGES \
                   --size $SMALL_SIZE --json) ;;
        jsmtp-window) json=$(jsmtp_load --server 127.0.0.1:$port --tls none --messages $SMALL_MESSAGES \
                   --size $SMALL_SIZE --window $WINDOW --json) ;;
        smtp-source) smtp-source -d -s 1 -m $SMALL_MESSAGES -l $SMALL_SIZE -f load@example.org \
                   -t rcpt@example.org 127.0.0.1:$port; json='{}' ;;
        angus) json=$(angus 127.0.0.1 $port $SMALL_MESSAGES 1 1 $SMALL_SIZE) ;;
      esac
      s1=$(date +%s%N)
      json=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); w=(int(sys.argv[3])-int(sys.argv[2]))/1e9; n=int(sys.argv[4]); d.update(round=int(sys.argv[5]), server=sys.argv[6], window=int(sys.argv[7]), wallSeconds=w, wallMessagesPerSecond=n/w); d.setdefault("messagesPerSecond", n/w); print(json.dumps(d))' "$json" $s0 $s1 $SMALL_MESSAGES $round $server \
        "$([[ $client == jsmtp-window ]] && echo $WINDOW || echo 1)")
      record small "$client" "$json"
      log "small round $round $server $client: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%.0f msg/s (wall %.0f)" % (d["messagesPerSecond"], d["wallMessagesPerSecond"]))' "$json")"
    done
  done
done

# --- 3. one large message vs a raw socket copy of the same octets, client heap capped at 64 MiB -------------
# Against smtp-sink (DATA; it parses line by line) and against FastSink (CHUNKING, reads in 256 KiB gulps), so
# that the client's own ceiling shows as well as the sink's.
# Each round sends BIG_MESSAGES of them one after another on one connection, so the median message shows a warm
# JVM (what an application that embeds the core sees) and the whole run includes the cold first one.
log "3/3 large message: $BIG_ROUNDS rounds of $BIG_MESSAGES x $BIG_SIZE bytes, jsmtp with -Xmx64m vs raw copy"
big_case() {  # SERVER PORT MODE ROUND
  local json
  json=$(/usr/bin/time -f '%M' -o "$out/rss.txt" java -Xmx64m -cp "$JSMTP_CP" dev.jsmtp.cli.LoadCommand \
           --server 127.0.0.1:$2 --tls none --messages "$BIG_MESSAGES" --connections 1 --size "$BIG_SIZE" --json)
  record big jsmtp "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(server=sys.argv[2], mode=sys.argv[3], round=int(sys.argv[4]), maxRssKiB=int(open(sys.argv[5]).read().split()[-1]), xmx="64m"); print(json.dumps(d))' "$json" $1 $3 $4 "$out/rss.txt")"
  json=$(java -Xmx64m -cp "$DRIVER_CP" dev.jsmtp.bench.RawCopy 127.0.0.1 $2 "$BIG_SIZE" $3 "$BIG_MESSAGES")
  record big raw-copy "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(server=sys.argv[2], mode=sys.argv[3], round=int(sys.argv[4])); print(json.dumps(d))' "$json" $1 $3 $4)"
}
for round in $(seq "$BIG_ROUNDS"); do
  big_case smtp-sink $SINK_PORT data $round
  big_case fast-sink $FAST_PORT bdat $round
  log "big round $round done"
done

python3 "$here/summarize.py" "$raw" >"$out/summary.md"
{ echo; echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), Postfix $(dpkg-query -W -f '${Version}' postfix 2>/dev/null || echo '?')."; } >>"$out/summary.md"
cat "$out/summary.md"
log "results in $out"
