#!/usr/bin/env bash
# The data-structure tests of redis-benchmark (lists, sets, sorted sets) against OrleansRedis
# (embedded node, Release build, no persistence) and a real redis-server in the same run,
# alternating over ROUNDS: median ops/s, ratio, and each server's CPU µs per request (user +
# system from /proc). Every test works on one key (redis-benchmark's mylist, myset, myzset),
# so on our side one key grain serializes it. Writes bench/results/types-latest.md.
#
#   bench/types.sh                       # 3 rounds of 100,000 requests (about 5 minutes)
#   ROUNDS=1 REQUESTS=20000 bench/types.sh
source "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-100000}
TESTS=(lpush rpush lpop rpop sadd spop zadd zpopmin lrange_100 lrange_300 lrange_600)

dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7321 --silo-port 11321 --gateway-port 30321 --dir "$work/ours" --appendonly no >"$work/ours.log" 2>&1 &
ours_pid=$!; pids+=("$ours_pid"); wait_ping 7321
"$(redis_server)" --port 7322 --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!; pids+=("$redis_pid"); wait_ping 7322
servers=("ours:7321:$ours_pid" "redis:7322:$redis_pid")

# Warm-up, not recorded.
for server in "${servers[@]}"; do
  IFS=: read -r _ port _ <<<"$server"
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -n 20000 -t "$(IFS=,; echo "${TESTS[*]}")" -q >/dev/null 2>&1
done

hz=$(getconf CLK_TCK)
echo "server,pipeline,round,test,rps,cpu_us" >"$work/raw.csv"
for round in $(seq "$ROUNDS"); do
  for pipeline in 1 16; do
    for server in "${servers[@]}"; do
      IFS=: read -r name port pid <<<"$server"
      for test in "${TESTS[@]}"; do
        redis-cli -p "$port" flushall >/dev/null
        # LPOP, RPOP, SPOP and ZPOPMIN pop what a fill of the same size pushed first.
        case $test in
          lpop|rpop) redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -n "$REQUESTS" -t lpush -q >/dev/null 2>&1 ;;
          spop) redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -r 100000000 -n "$REQUESTS" -t sadd -q >/dev/null 2>&1 ;;
          zpopmin) redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -r 100000000 -n "$REQUESTS" -t zadd -q >/dev/null 2>&1 ;;
        esac
        t0=$(cpu_ticks "$pid")
        rps=$(redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P "$pipeline" -r 100000000 -n "$REQUESTS" -t "$test" --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2)
        t1=$(cpu_ticks "$pid")
        cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v n="$REQUESTS" 'BEGIN { printf "%.2f", (b - a) * 1e6 / hz / n }')
        echo "$name,$pipeline,$round,$test,$rps,$cpu" >>"$work/raw.csv"
      done
    done
  done
done

python3 - "$work/raw.csv" >bench/results/types-latest.md <<'PY'
import csv, statistics, sys, collections
rows = list(csv.DictReader(open(sys.argv[1])))
med = collections.defaultdict(list)
for r in rows:
    med[(r['server'], r['pipeline'], r['test'])].append((float(r['rps']), float(r['cpu_us'])))
tests = list(dict.fromkeys(r['test'] for r in rows))
print("# Lists, sets, sorted sets: OrleansRedis against redis-server\n")
print("redis-benchmark -c 50, one key per test (redis-benchmark's own), --appendonly no on both; medians of", len({r['round'] for r in rows}), "rounds.\n")
print("| test | -P | ours ops/s | redis ops/s | ours/redis | CPU µs/op ours | redis |")
print("|---|---|---|---|---|---|---|")
for p in ('1', '16'):
    for t in tests:
        o = med[('ours', p, t)]; r = med[('redis', p, t)]
        ors = statistics.median(x[0] for x in o); rrs = statistics.median(x[0] for x in r)
        print(f"| {t.upper()} | {p} | {ors:,.0f} | {rrs:,.0f} | {ors / rrs:.2f} | {statistics.median(x[1] for x in o):.1f} | {statistics.median(x[1] for x in r):.1f} |")
PY
cat bench/results/types-latest.md
