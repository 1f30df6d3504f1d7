#!/usr/bin/env bash
# The cost of persistence, and loading a large AOF, measured against a real redis-server in
# the same run. Writes bench/results/aof-latest.md.
#
#   bench/aof.sh                  # SET throughput under appendonly no/everysec/always; 1M-key load
#   KEYS=200000 bench/aof.sh      # a quicker load measurement
#   HASH_FIELDS=200000 bench/aof.sh   # a smaller big hash (default 1,000,000 fields)
source "$(dirname "$0")/common.sh"
REQUESTS=${REQUESTS:-100000}
KEYS=${KEYS:-1000000}
HASH_FIELDS=${HASH_FIELDS:-1000000}
start() { # name mode dir
  case $1 in
    ours) dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7311 --silo-port 11321 --gateway-port 30311 --dir "$3" $2 >"$work/ours.log" 2>&1 & ;;
    redis) "$(redis_server)" --port 7312 --bind 127.0.0.1 --save '' --dir "$3" --aof-use-rdb-preamble no $2 >"$work/redis.log" 2>&1 & ;;
  esac
  pid=$!; pids+=("$pid")
}
port_of() { [ "$1" = ours ] && echo 7311 || echo 7312; }
rps() { redis-benchmark -h 127.0.0.1 -p "$1" -c 50 -P "$2" -r 100000 -n "$REQUESTS" -t set --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2; }

echo "server,pipeline,mode,rps" >"$work/fsync.csv"
for mode in "--appendonly no" "--appendonly yes --appendfsync no" "--appendonly yes --appendfsync everysec" "--appendonly yes --appendfsync always"; do
  for server in ours redis; do
    rm -rf "$work/data"; mkdir -p "$work/data"
    start "$server" "$mode" "$work/data"; port=$(port_of "$server"); wait_ping "$port"
    # Warm-up: every key of the keyspace written once, so that throughput is measured on active keys.
    redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -r 100000 -n 400000 -t set -q >/dev/null 2>&1
    for pipeline in 1 16; do
      echo "$server,$pipeline,${mode// /_},$(rps "$port" "$pipeline")" >>"$work/fsync.csv"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$server $mode done" >&2
  done
done

# Loading: KEYS small keys written with appendfsync everysec, then a restart: seconds until
# PING answers, and resident memory with every key inactive (ours) or loaded (redis).
declare -A load
for server in ours redis; do
  rm -rf "$work/data"; mkdir -p "$work/data"
  start "$server" "--appendonly yes --appendfsync everysec" "$work/data"; port=$(port_of "$server"); wait_ping "$port"
  empty_rss=$(rss_kb "$pid")
  empty_used=$(redis-cli -p "$port" info memory | tr -d '\r' | sed -n 's/^used_memory://p')
  piping=$(date +%s.%N)
  awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$3\r\nval\r\n", length("key:" i), i }' | redis-cli -p "$port" --pipe >/dev/null
  piped=$(date +%s.%N)
  sleep 2
  kill "$pid"; wait "$pid" 2>/dev/null || true
  started=$(date +%s.%N)
  start "$server" "--appendonly yes --appendfsync everysec" "$work/data"; wait_ping "$port"
  ready=$(date +%s.%N)
  sleep 2
  rss=$(rss_kb "$pid")
  used=$(redis-cli -p "$port" info memory | tr -d '\r' | sed -n 's/^used_memory://p')
  keys=$(redis-cli -p "$port" dbsize)
  aof_bytes=$(du -sb "$work/data/appendonlydir" | cut -f1)
  load[$server]="$keys $(python3 -c "print($ready - $started)") $empty_rss $rss $aof_bytes $used $empty_used $(python3 -c "print($piped - $piping)")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$server load done" >&2
done

# One big hash written one HSET per command (redis-cli --pipe, in ten parts, each part's rate),
# then a restart: seconds to PING, and to the first HLEN (ours replays the hash's records when
# its grain activates; redis-server loaded it before PING).
declare -A bighash
for server in ours redis; do
  rm -rf "$work/data"; mkdir -p "$work/data"
  start "$server" "--appendonly yes --appendfsync everysec" "$work/data"; port=$(port_of "$server"); wait_ping "$port"
  rates=""
  for part in $(seq 0 9); do
    from=$((part * HASH_FIELDS / 10)); to=$(((part + 1) * HASH_FIELDS / 10))
    t0=$(date +%s.%N)
    awk -v a="$from" -v b="$to" 'BEGIN { for (i = a; i < b; i++) { f = "field:" i; v = "value:" i; printf "*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(f), f, length(v), v } }' \
      | redis-cli -p "$port" --pipe >/dev/null
    t1=$(date +%s.%N)
    rates="$rates $(python3 -c "print(round(($to - $from) / ($t1 - $t0)))")"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  started=$(date +%s.%N)
  start "$server" "--appendonly yes --appendfsync everysec" "$work/data"; wait_ping "$port"
  ready=$(date +%s.%N)
  fields=$(redis-cli -p "$port" hlen h)
  read_at=$(date +%s.%N)
  bighash[$server]="$fields $(python3 -c "print(round($ready - $started, 2), round($read_at - $ready, 2))")$rates"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$server big hash done" >&2
done

python3 - "$work/fsync.csv" "$REQUESTS" "$(nproc)" "$(dotnet --version)" "${load[ours]}" "${load[redis]}" "${bighash[ours]}" "${bighash[redis]}" >bench/results/aof-latest.md <<'PY'
import csv, sys, datetime
rows = list(csv.DictReader(open(sys.argv[1])))
requests, cores, dotnet = sys.argv[2:5]
load = {"ours": sys.argv[5].split(), "redis": sys.argv[6].split()}
bighash = {"ours": sys.argv[7].split(), "redis": sys.argv[8].split()}
def rps(server, pipeline, mode): return next(float(r["rps"]) for r in rows if r["server"] == server and r["pipeline"] == pipeline and r["mode"] == mode)
modes = ["--appendonly_no", "--appendonly_yes_--appendfsync_no", "--appendonly_yes_--appendfsync_everysec", "--appendonly_yes_--appendfsync_always"]
names = ["appendonly no", "appendfsync no", "appendfsync everysec", "appendfsync always"]
print(f"# Persistence: OrleansRedis vs redis-server\n\n{datetime.date.today()} · {cores} cores · .NET SDK {dotnet}\n")
print(f"redis-benchmark -t set -c 50 -r 100000 -n {requests}, one run each after a warm-up; ours is the embedded single node (Release).\n")
for pipeline in ["1", "16"]:
    print(f"## SET, -P {pipeline}\n")
    print("| mode | ours ops/s | ours vs appendonly no | redis ops/s | redis vs appendonly no | ours/redis |")
    print("|---|---|---|---|---|---|")
    for mode, name in zip(modes, names):
        o, r = rps("ours", pipeline, mode), rps("redis", pipeline, mode)
        print(f"| {name} | {o:,.0f} | {o / rps('ours', pipeline, modes[0]):.2f} | {r:,.0f} | {r / rps('redis', pipeline, modes[0]):.2f} | {o / r:.2f} |")
    print()
print("## Loading small keys, and the AOF they make\n")
print("| server | keys | seconds to load them with redis-cli --pipe | seconds to answer PING after a restart | RSS empty (MiB) | RSS after restart (MiB) | RSS bytes per key | used_memory bytes per key | AOF bytes |")
print("|---|---|---|---|---|---|---|---|---|")
for s in ["ours", "redis"]:
    keys, seconds, empty, rss, aof, used, empty_used, piped = load[s]
    per = (int(rss) - int(empty)) * 1024 / max(int(keys), 1)
    used_per = (int(used) - int(empty_used)) / max(int(keys), 1)
    print(f"| {s} | {int(keys):,} | {float(piped):.1f} | {float(seconds):.1f} | {int(empty)/1024:.0f} | {int(rss)/1024:.0f} | {per:.0f} | {used_per:.0f} | {int(aof):,} |")
print(f"\nThe --pipe load: ours/redis {float(load['ours'][7]) / float(load['redis'][7]):.1f} × the time.")
print("\nused_memory is INFO's (what maxmemory limits). Ours keeps every key inactive after a restart (an index entry each: type, expiry, where its records are); redis-server holds every value in memory.\n")
print("## One big hash, one HSET per command\n")
print("Written with redis-cli --pipe in ten parts (HSET/s of each), then a restart: seconds until PING answers, then until the first HLEN does (ours replays the hash's records when its grain activates).\n")
print("| server | fields | HSET/s, first part | HSET/s, last part | last/first | seconds to PING after a restart | then seconds to the first HLEN |")
print("|---|---|---|---|---|---|---|")
for s in ["ours", "redis"]:
    fields, ping, first_read, *rates = bighash[s]
    print(f"| {s} | {int(fields):,} | {int(rates[0]):,} | {int(rates[-1]):,} | {int(rates[-1]) / int(rates[0]):.2f} | {float(ping):.2f} | {float(first_read):.2f} |")
PY
cat bench/results/aof-latest.md
