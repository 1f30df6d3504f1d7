#!/usr/bin/env bash
# Measures OrleansRedis (the embedded single node, Release build) against a real redis-server
# in the same run, with redis-benchmark, alternating A/B over several rounds, and writes a
# Markdown table of medians and ratios to bench/results/latest.md: ops/s, latency, each
# server's CPU µs per request, and ours against the floor (one trivial Orleans grain call,
# bench/Floor).
#
#   bench/run.sh                 # full run (about 12 minutes on 2 cores)
#   ROUNDS=1 REQUESTS=20000 bench/run.sh   # a quick look
#   GARNET=1 bench/run.sh        # also measure Garnet (installs the garnet-server .NET tool)
source "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-100000}
KEYSPACE=${KEYSPACE:-100000}
MEMORY_KEYS=${MEMORY_KEYS:-1000000}
FLOOR_CALLS=${FLOOR_CALLS:-600000}
TESTS=ping,set,get,incr,hset,mset

start_ours() {
  # Like for like: no persistence on either side (bench/aof.sh measures persistence).
  dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7301 --silo-port 11311 --gateway-port 30301 --dir "$work/ours" --appendonly no >"$work/ours.log" 2>&1 &
  ours_pid=$!; pids+=("$ours_pid"); wait_ping 7301
}
start_redis() {
  "$(redis_server)" --port 7302 --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  redis_pid=$!; pids+=("$redis_pid"); wait_ping 7302
}
servers=("ours:7301" "redis:7302")
start_ours; start_redis
if [ "${GARNET:-0}" = 1 ]; then
  [ -x bench/.tools/garnet-server ] || dotnet tool install garnet-server --tool-path bench/.tools >/dev/null
  bench/.tools/garnet-server --port 7303 --bind 127.0.0.1 >"$work/garnet.log" 2>&1 &
  garnet_pid=$!; pids+=("$garnet_pid"); wait_ping 7303
  servers+=("garnet:7303")
fi

# Warm-up, not recorded: JIT, thread pool, and the keyspace's grains.
for server in "${servers[@]}"; do
  port=${server##*:}
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -r "$KEYSPACE" -n "$REQUESTS" -t "$TESTS" -q >/dev/null 2>&1
done

# Throughput, latency and the server's own CPU time per request (user + system from /proc,
# steadier than ops/s on a shared machine): every workload on every server, alternating,
# ROUNDS times, one redis-benchmark run per test so that each test has its CPU time.
hz=$(getconf CLK_TCK)
echo "server,pipeline,size,round,test,rps,avg,min,p50,p95,p99,max,cpu_us" >"$work/raw.csv"
for round in $(seq "$ROUNDS"); do
  for pipeline in 1 16; do
    for size in 3 1024; do
      for server in "${servers[@]}"; do
        name=${server%%:*}; port=${server##*:}
        pid_var="${name}_pid"; pid=${!pid_var}
        redis-cli -p "$port" flushall >/dev/null
        # Active keys: an unrecorded pass fills the keyspace first (the measured tests then hit
        # keys that exist, their grains active); new keys are bench/aof.sh's and the issue's cold rows.
        redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -d "$size" -r "$KEYSPACE" -n $((KEYSPACE * 3)) -t set,incr -q >/dev/null 2>&1
        for test in ${TESTS//,/ }; do
          ticks0=$(cpu_ticks "$pid")
          lines=$(redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P "$pipeline" -d "$size" -r "$KEYSPACE" -n "$REQUESTS" -t "$test" --csv 2>/dev/null | tail -n +2 | tr -d '"')
          ticks1=$(cpu_ticks "$pid")
          # -t ping runs two tests (inline and multibulk): the time is shared by their requests.
          cpu=$(awk -v t=$((ticks1 - ticks0)) -v hz="$hz" -v n="$REQUESTS" -v k="$(echo "$lines" | wc -l)" 'BEGIN { printf "%.2f", t * 1e6 / hz / (n * k) }')
          echo "$lines" | sed "s/^/$name,$pipeline,$size,$round,/; s/$/,$cpu/" >>"$work/raw.csv"
        done
        echo "round $round: $name -P $pipeline -d $size done" >&2
      done
    done
  done
done

# The floor (issue: what one trivial Orleans grain call costs in a silo set up as ours, called
# from inside the silo's process as the embedded node calls key grains): bench/Floor, same
# load shape as redis-benchmark (50 callers, 1 or 16 calls at once each).
dotnet build bench/Floor -c Release -nologo -v quiet
for pipeline in 1 16; do
  for round in $(seq "$ROUNDS"); do
    FLOOR_SILO_PORT=11315 FLOOR_GATEWAY_PORT=30315 dotnet bench/Floor/bin/Release/net10.0/OrleansRedis.Bench.Floor.dll cohosted "$pipeline" "$FLOOR_CALLS" | grep '^floor,' >>"$work/floor.csv"
  done
done

# Memory: resident memory growth for MEMORY_KEYS small keys, loaded with redis-cli --pipe
# into freshly started servers.
kill "$ours_pid" "$redis_pid"; wait "$ours_pid" "$redis_pid" 2>/dev/null || true
start_ours; start_redis
declare -A memory
for server in "${servers[@]}"; do
  name=${server%%:*}; port=${server##*:}
  pid_var="${name}_pid"; pid=${!pid_var}
  redis-cli -p "$port" flushall >/dev/null
  sleep 2
  before=$(rss_kb "$pid")
  awk -v n="$MEMORY_KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$3\r\nval\r\n", length("key:" i), i }' \
    | redis-cli -p "$port" --pipe >/dev/null
  sleep 2
  after=$(rss_kb "$pid")
  keys=$(redis-cli -p "$port" dbsize)
  memory[$name]="$keys $before $after"
done

python3 - "$work/raw.csv" "$work/floor.csv" "$ROUNDS" "$REQUESTS" "$KEYSPACE" "$(nproc)" "$(dotnet --version)" "$(redis-cli --version)" \
  "${memory[ours]}" "${memory[redis]}" "${memory[garnet]:-}" >bench/results/latest.md <<'PY'
import csv, statistics, sys, datetime, platform
raw, floor_csv, rounds, requests, keyspace, cores, dotnet, rediscli = sys.argv[1:9]
mem = {"ours": sys.argv[9], "redis": sys.argv[10], "garnet": sys.argv[11]}
floor = {}
for line in open(floor_csv):
    _, mode, pipeline, calls, rate, cpu, _ = line.strip().split(",")
    floor.setdefault(pipeline, []).append(float(cpu))
floor = {p: statistics.median(v) for p, v in floor.items()}
rows = list(csv.DictReader(open(raw)))
servers = [s for s in ["ours", "redis", "garnet"] if any(r["server"] == s for r in rows)]
def med(server, pipeline, size, test, field):
    vals = [float(r[field]) for r in rows if r["server"] == server and r["pipeline"] == pipeline and r["size"] == size and r["test"] == test]
    return statistics.median(vals) if vals else float("nan")
print(f"# OrleansRedis vs redis-server\n")
print(f"{datetime.date.today()} · {cores} cores · .NET SDK {dotnet} · {rediscli} · {platform.machine()}\n")
print(f"redis-benchmark -c 50 -r {keyspace} -n {requests}, median of {rounds} alternating rounds; "
      "ours is the embedded single node (src/Silo, Release). Ratio = ours / redis. CPU µs/op: the "
      "server process's own user+system time (/proc) divided by requests. Floor: the CPU µs of one "
      "trivial Orleans grain call in a silo set up as ours, called from inside its process with the "
      "same load shape (bench/Floor); ours/floor is how far a command is above it.\n")
print("| floor | -P 1 | -P 16 |\n|---|---|---|")
print(f"| CPU µs per trivial grain call | {floor.get('1', float('nan')):.2f} | {floor.get('16', float('nan')):.2f} |\n")
tests = []
for r in rows:
    if r["test"] not in tests: tests.append(r["test"])
for pipeline in ["1", "16"]:
    for size in ["3", "1024"]:
        print(f"## -P {pipeline}, {size}-byte values\n")
        head = ("| test | " + " | ".join(f"{s} ops/s" for s in servers) + " | ours/redis | "
                + " | ".join(f"{s} CPU µs/op" for s in servers) + " | ours/floor | "
                + " | ".join(f"{s} p50/p99 ms" for s in servers) + " |")
        print(head); print("|" + "---|" * (3 + 3 * len(servers)))
        for t in tests:
            rps = [med(s, pipeline, size, t, "rps") for s in servers]
            lat = [f"{med(s, pipeline, size, t, 'p50'):.3f} / {med(s, pipeline, size, t, 'p99'):.3f}" for s in servers]
            cpu = [med(s, pipeline, size, t, "cpu_us") for s in servers]
            ratio = rps[0] / rps[1] if rps[1] else float("nan")
            over = cpu[0] / floor[pipeline] if floor.get(pipeline) else float("nan")
            print(f"| {t} | " + " | ".join(f"{v:,.0f}" for v in rps) + f" | {ratio:.2f} | "
                  + " | ".join(f"{v:.1f}" for v in cpu) + f" | {over:.2f} | " + " | ".join(lat) + " |")
        print()
print("## Memory for small keys\n")
print("Resident memory growth after loading keys `key:N` = `val` with redis-cli --pipe.\n")
print("| server | keys | RSS before (MiB) | RSS after (MiB) | bytes per key |")
print("|---|---|---|---|---|")
per = {}
for s in servers:
    if not mem.get(s): continue
    keys, before, after = (int(x) for x in mem[s].split())
    per[s] = (after - before) * 1024 / max(keys, 1)
    print(f"| {s} | {keys:,} | {before/1024:.0f} | {after/1024:.0f} | {per[s]:.0f} |")
if "ours" in per and "redis" in per:
    print(f"\nours/redis bytes per key: {per['ours']/per['redis']:.1f}")
PY
cat bench/results/latest.md
