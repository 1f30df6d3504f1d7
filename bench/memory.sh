#!/usr/bin/env bash
# Memory per key and how well INFO's used_memory (what maxmemory limits) tracks the process's
# real growth, for OrleansRedis (embedded node; AOF off with keys written once, parked by the
# node, and twice, each an active grain; AOF on: keys only in the index) next to redis-server,
# in the same run.
# Writes bench/results/memory-latest.md.
#
#   bench/memory.sh             # 200,000 keys (about 2 minutes)
#   KEYS=1000000 bench/memory.sh
source "$(dirname "$0")/common.sh"
KEYS=${KEYS:-200000}

field() { redis-cli -p "$1" info memory | tr -d '\r' | sed -n "s/^$2://p"; }
measure() { # name port pid [settle-seconds] [loads]
  local name=$1 port=$2 pid=$3 settle=${4:-2} loads=${5:-1}
  sleep 2
  local rss0 used0 rss1 used1
  rss0=$(rss_kb "$pid"); used0=$(field "$port" used_memory)
  for _ in $(seq "$loads"); do load_keys "$port" "$KEYS"; done
  sleep "$settle"
  redis-cli -p "$port" memory purge >/dev/null # both: return freed pages before RSS is read
  sleep 1
  rss1=$(rss_kb "$pid"); used1=$(field "$port" used_memory)
  echo "$name $(redis-cli -p "$port" dbsize) $(( (rss1 - rss0) * 1024 )) $(( used1 - used0 ))" >>"$work/memory.txt"
}

"$(redis_server)" --port 7502 --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=("$!"); wait_ping 7502; measure redis 7502 "$!"
dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7501 --silo-port 11501 --gateway-port 30501 --dir "$work/off" --appendonly no >"$work/off.log" 2>&1 &
pids+=("$!"); wait_ping 7501; measure "ours-aof-off-parked" 7501 "$!"
kill "${pids[-1]}"
# Each key written twice: the node writes a new key without its grain, the second write activates it.
dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7504 --silo-port 11504 --gateway-port 30504 --dir "$work/active" --appendonly no >"$work/active.log" 2>&1 &
pids+=("$!"); wait_ping 7504; measure "ours-aof-off-active" 7504 "$!" 2 2
kill "${pids[-1]}"
dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7503 --silo-port 11503 --gateway-port 30503 --dir "$work/on" --key-idle-seconds 5 >"$work/on.log" 2>&1 &
pids+=("$!"); wait_ping 7503; measure "ours-aof-on-idle" 7503 "$!" 20

python3 - "$work/memory.txt" "$(nproc)" "$(dotnet --version)" "$(redis-cli --version)" >bench/results/memory-latest.md <<'PY'
import sys, datetime, platform
rows = [line.split() for line in open(sys.argv[1])]
print("# Memory per key, and used_memory against RSS\n")
print(f"{datetime.date.today()} · {sys.argv[2]} cores · .NET SDK {sys.argv[3]} · {sys.argv[4]} · {platform.machine()}\n")
print("Keys `key:N` with 100-byte values loaded with redis-cli --pipe into a fresh server. RSS growth and "
      "INFO used_memory growth per key; the last column is how much of the real growth used_memory (what "
      "maxmemory limits) accounts for. ours-aof-off-parked: each key written once, which the node keeps "
      "parked without a grain; ours-aof-off-active: each key written twice, the second write activating its grain; "
      "ours-aof-on-idle: written once with the AOF on (the node logs and indexes a new key, no grain). Both servers run MEMORY PURGE before RSS is read.\n")
print("| server | keys | RSS bytes/key | used_memory bytes/key | used_memory / RSS growth |")
print("|---|---|---|---|---|")
per = {}
for name, keys, rss, used in rows:
    keys, rss, used = int(keys), int(rss), int(used)
    per[name] = rss / keys
    print(f"| {name} | {keys:,} | {rss / keys:.0f} | {used / keys:.0f} | {used / rss:.2f} |")
if "redis" in per:
    print()
    for name in per:
        if name != "redis":
            print(f"- {name}: {per[name] / per['redis']:.1f}× redis-server's RSS per key")
PY
cp bench/results/memory-latest.md "bench/results/$(date +%F)-memory.md"
cat bench/results/memory-latest.md
