#!/usr/bin/env bash
# Throughput through RESP gateways in front of 1 and 3 local silos (scripts/cluster.sh:
# PostgreSQL membership, separate processes), next to the embedded single node and a real
# redis-server, all in the same run, as ratios. No persistence anywhere (appendonly no), so
# the numbers compare the request paths. Writes bench/results/cluster-latest.md.
#
#   bench/cluster.sh                           # about 6 minutes on 2 cores
#   ROUNDS=1 REQUESTS=20000 bench/cluster.sh   # a quick look
source "$(dirname "$0")/common.sh"
dotnet build src/Gateway -c Release -nologo -v quiet
ROUNDS=${ROUNDS:-2}
REQUESTS=${REQUESTS:-50000}
KEYSPACE=${KEYSPACE:-100000}
TESTS=set,get

chmod 755 "$work" # PostgreSQL runs as its own user (scripts/postgres.sh) and must reach its directory
export CLUSTER_DIR="$work/cluster1" GATEWAY_PORT=7411 SILO_PORT=11410 ORLEANS_GATEWAY_PORT=30410 POSTGRES_PORT=55410 SILO_ARGS="--appendonly no"
trap 'scripts/cluster.sh stop >/dev/null 2>&1 || true; cleanup' EXIT

"$(redis_server)" --port 7402 --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=("$!"); wait_ping 7402
dotnet src/Silo/bin/Release/net10.0/OrleansRedis.Silo.dll --port 7401 --silo-port 11401 --gateway-port 30401 --dir "$work/embedded" --appendonly no >"$work/embedded.log" 2>&1 &
pids+=("$!"); wait_ping 7401

echo "server,pipeline,round,test,rps,avg,min,p50,p95,p99,max" >"$work/raw.csv"
measure() { # name port
  local name=$1 port=$2 round pipeline
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -r "$KEYSPACE" -n "$REQUESTS" -t "$TESTS" -q >/dev/null 2>&1 # warm-up
  for round in $(seq "$ROUNDS"); do
    for pipeline in 1 16; do
      redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P "$pipeline" -r "$KEYSPACE" -n "$REQUESTS" -t "$TESTS" --csv 2>/dev/null \
        | tail -n +2 | tr -d '"' | sed "s/^/$name,$pipeline,$round,/" >>"$work/raw.csv"
      echo "$name: round $round -P $pipeline done" >&2
    done
  done
}

measure redis 7402
measure embedded 7401
# Each topology with a directory and PostgreSQL instance of its own.
scripts/cluster.sh start 1 1 >/dev/null
measure gateway-1-silo 7411
scripts/cluster.sh stop >/dev/null
export CLUSTER_DIR="$work/cluster3" POSTGRES_PORT=55411
scripts/cluster.sh start 3 1 >/dev/null
measure gateway-3-silos 7411
scripts/cluster.sh stop >/dev/null

python3 - "$work/raw.csv" "$ROUNDS" "$REQUESTS" "$KEYSPACE" "$(nproc)" "$(dotnet --version)" "$(redis-cli --version)" >bench/results/cluster-latest.md <<'PY'
import csv, statistics, sys, datetime, platform
raw, rounds, requests, keyspace, cores, dotnet, rediscli = sys.argv[1:8]
rows = list(csv.DictReader(open(raw)))
servers = ["redis", "embedded", "gateway-1-silo", "gateway-3-silos"]
def med(server, pipeline, test):
    vals = [float(r["rps"]) for r in rows if r["server"] == server and r["pipeline"] == pipeline and r["test"] == test]
    return statistics.median(vals) if vals else float("nan")
print("# Through gateways: 1 and 3 local silos\n")
print(f"{datetime.date.today()} · {cores} cores · .NET SDK {dotnet} · {rediscli} · {platform.machine()}\n")
print(f"redis-benchmark -c 50 -r {keyspace} -n {requests}, 3-byte values, median of {rounds} rounds, no persistence. "
      "embedded: one silo serving RESP itself. gateway-N: a separate gateway process (Orleans client) in front of N silo "
      "processes with PostgreSQL membership (scripts/cluster.sh), all on this machine. Ratios are to redis-server.\n")
for pipeline in ["1", "16"]:
    print(f"## -P {pipeline}\n")
    print("| test | " + " | ".join(f"{s} ops/s" for s in servers) + " | " + " | ".join(f"{s}/redis" for s in servers[1:]) + " |")
    print("|" + "---|" * (1 + len(servers) + len(servers) - 1))
    for test in ["SET", "GET"]:
        rps = [med(s, pipeline, test) for s in servers]
        print(f"| {test} | " + " | ".join(f"{v:,.0f}" for v in rps) + " | " + " | ".join(f"{v / rps[0]:.2f}" for v in rps[1:]) + " |")
    print()
PY
cp bench/results/cluster-latest.md "bench/results/$(date +%F)-cluster.md"
cat bench/results/cluster-latest.md
