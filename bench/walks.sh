#!/usr/bin/env bash
# Commands over the whole keyspace, for OrleansRedis (embedded node, AOF on, keys idle in the
# index and active) next to redis-server, in the same run: one SCAN COUNT 10 call, DBSIZE,
# RANDOMKEY, KEYS, and the walks redis-cli does (--scan, --bigkeys). Each row gives wall time
# and the server's own CPU time (user+system from /proc) per call. Writes
# bench/results/walks-latest.md.
#
#   bench/walks.sh              # 200,000 keys
#   KEYS=1000000 bench/walks.sh
source "$(dirname "$0")/common.sh"
KEYS=${KEYS:-200000}
CALLS=${CALLS:-2000}

# name port pid label calls command...: runs the command `calls` times; wall ms and CPU µs per call.
measure() {
  local name=$1 port=$2 pid=$3 label=$4 calls=$5; shift 5
  local ticks0 start end ticks1
  ticks0=$(cpu_ticks "$pid"); start=$(date +%s%N)
  for _ in $(seq "$calls"); do "$@" >/dev/null; done
  end=$(date +%s%N); ticks1=$(cpu_ticks "$pid")
  local hz; hz=$(getconf CLK_TCK)
  echo "$name|$label|$(( (end - start) / calls / 1000 ))|$(( (ticks1 - ticks0) * 1000000 / hz / calls ))" >>"$work/walks.txt"
}
# name port pid label command...: CALLS calls on one connection (redis-benchmark -c 1), per call.
measure_one() {
  local name=$1 port=$2 pid=$3 label=$4; shift 4
  local ticks0 start end ticks1 hz
  hz=$(getconf CLK_TCK); ticks0=$(cpu_ticks "$pid"); start=$(date +%s%N)
  redis-benchmark -p "$port" -c 1 -n "$CALLS" -q "$@" >/dev/null
  end=$(date +%s%N); ticks1=$(cpu_ticks "$pid")
  echo "$name|$label|$(( (end - start) / CALLS / 1000 ))|$(( (ticks1 - ticks0) * 1000000 / hz / CALLS ))" >>"$work/walks.txt"
}
run_all() { # name port pid
  local name=$1 port=$2 pid=$3
  measure_one "$name" "$port" "$pid" "SCAN 0 COUNT 10" scan 0 count 10
  measure_one "$name" "$port" "$pid" "SCAN <middle> COUNT 100" scan 4611686018427387904 count 100
  measure_one "$name" "$port" "$pid" "SCAN 0 COUNT 10 MATCH nothing*" scan 0 count 10 match 'nothing*'
  measure_one "$name" "$port" "$pid" "DBSIZE" dbsize
  measure_one "$name" "$port" "$pid" "RANDOMKEY" randomkey
  measure "$name" "$port" "$pid" "KEYS key:1234*" 5 redis-cli -p "$port" keys 'key:1234*'
  measure "$name" "$port" "$pid" "redis-cli --scan (all keys)" 1 redis-cli -p "$port" --scan
  measure "$name" "$port" "$pid" "redis-cli --bigkeys" 1 redis-cli -p "$port" --bigkeys
}

"$(redis_server)" --port 7602 --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!; pids+=("$redis_pid"); wait_ping 7602; load_keys 7602 "$KEYS"
run_all redis 7602 "$redis_pid"
kill "$redis_pid"

dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7601 --silo-port 11601 --gateway-port 30601 --dir "$work/on" --key-idle-seconds 5 >"$work/ours.log" 2>&1 &
ours_pid=$!; pids+=("$ours_pid"); wait_ping 7601; load_keys 7601 "$KEYS"
sleep 15 # the key grains go idle: the walks read the index only
run_all ours-idle 7601 "$ours_pid"

python3 - "$work/walks.txt" "$KEYS" "$(nproc)" "$(dotnet --version)" "$(redis-cli --version)" >bench/results/walks-latest.md <<'PY'
import sys, datetime, platform
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
print("# Commands over the whole keyspace\n")
print(f"{datetime.date.today()} · {int(sys.argv[2]):,} keys · {sys.argv[3]} cores · .NET SDK {sys.argv[4]} · {sys.argv[5]} · {platform.machine()}\n")
print("Single commands: CALLS calls on one connection (redis-benchmark -c 1); KEYS and the walks: redis-cli. "
      "Wall time per call; CPU µs is the server's own user+system time (from /proc) per call. Our keys are idle "
      "(their grains deactivated), so the walks read the node index; --bigkeys also reads every key's length, "
      "which activates its grain.\n")
print("| command | redis ms | redis CPU µs | ours ms | ours CPU µs | ours/redis wall | ours/redis CPU |")
print("|---|---|---|---|---|---|---|")
by = {}
for name, label, wall, cpu in rows:
    by.setdefault(label, {})[name] = (int(wall), int(cpu))
for label, servers in by.items():
    r = servers.get("redis", (0, 0)); o = servers.get("ours-idle", (0, 0))
    ratio = f"{o[0] / r[0]:.1f}" if r[0] else "-"
    cpu = f"{o[1] / r[1]:.1f}" if r[1] else "-"
    print(f"| {label} | {r[0] / 1000:.2f} | {r[1]} | {o[0] / 1000:.2f} | {o[1]} | {ratio} | {cpu} |")
PY
cp bench/results/walks-latest.md "bench/results/$(date +%F)-walks.md"
cat bench/results/walks-latest.md
