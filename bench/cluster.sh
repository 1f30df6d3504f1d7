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

hz=$(getconf CLK_TCK)
echo "server,pipeline,round,test,rps,avg,min,p50,p95,p99,max,cpu_us" >"$work/raw.csv"
cluster_pids() { cat "$CLUSTER_DIR"/silo*.pid "$CLUSTER_DIR"/gateway*.pid; }
measure() { # name port pid... (the processes whose CPU time a request costs: the server, or silos and gateway)
  local name=$1 port=$2 round pipeline test ticks0 ticks1 line; shift 2
  local processes=("$@")
  total_ticks() { local sum=0 pid; for pid in "${processes[@]}"; do sum=$((sum + $(cpu_ticks "$pid"))); done; echo "$sum"; }
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -r "$KEYSPACE" -n "$REQUESTS" -t "$TESTS" -q >/dev/null 2>&1 # warm-up
  for round in $(seq "$ROUNDS"); do
    for pipeline in 1 16; do
      for test in ${TESTS//,/ }; do
        ticks0=$(total_ticks)
        line=$(redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P "$pipeline" -r "$KEYSPACE" -n "$REQUESTS" -t "$test" --csv 2>/dev/null | tail -n +2 | tr -d '"')
        ticks1=$(total_ticks)
        echo "$name,$pipeline,$round,$line,$(awk -v t=$((ticks1 - ticks0)) -v hz="$hz" -v n="$REQUESTS" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')" >>"$work/raw.csv"
      done
      echo "$name: round $round -P $pipeline done" >&2
    done
  done
}

measure redis 7402 "${pids[0]}"
measure embedded 7401 "${pids[1]}"
# Each topology with a directory and PostgreSQL instance of its own.
scripts/cluster.sh start 1 1 >/dev/null
measure gateway-1-silo 7411 $(cluster_pids)
scripts/cluster.sh stop >/dev/null
export CLUSTER_DIR="$work/cluster3" POSTGRES_PORT=55411
scripts/cluster.sh start 3 1 >/dev/null
measure gateway-3-silos 7411 $(cluster_pids)
scripts/cluster.sh stop >/dev/null

# The floor: one trivial Orleans grain call made inside the silo's process (as the embedded
# node calls key grains) and through an Orleans client from another process (as a gateway does).
dotnet build bench/Floor -c Release -nologo -v quiet
for pipeline in 1 16; do
  for mode in cohosted client; do
    FLOOR_SILO_PORT=11415 FLOOR_GATEWAY_PORT=30415 dotnet bench/Floor/bin/Release/net10.0/OrleansRedis.Bench.Floor.dll "$mode" "$pipeline" 600000 | grep '^floor,' >>"$work/floor.csv"
  done
done

python3 - "$work/raw.csv" "$work/floor.csv" "$ROUNDS" "$REQUESTS" "$KEYSPACE" "$(nproc)" "$(dotnet --version)" "$(redis-cli --version)" >bench/results/cluster-latest.md <<'PY'
import csv, statistics, sys, datetime, platform
raw, floor_csv, rounds, requests, keyspace, cores, dotnet, rediscli = sys.argv[1:9]
rows = list(csv.DictReader(open(raw)))
servers = ["redis", "embedded", "gateway-1-silo", "gateway-3-silos"]
floor = {}
for line in open(floor_csv):
    _, mode, pipeline, calls, rate, silo_cpu, client_cpu = line.strip().split(",")
    floor[(mode, pipeline)] = float(silo_cpu) + float(client_cpu)
def med(server, pipeline, test, field="rps"):
    vals = [float(r[field]) for r in rows if r["server"] == server and r["pipeline"] == pipeline and r["test"] == test]
    return statistics.median(vals) if vals else float("nan")
print("# Through gateways: 1 and 3 local silos\n")
print(f"{datetime.date.today()} · {cores} cores · .NET SDK {dotnet} · {rediscli} · {platform.machine()}\n")
print(f"redis-benchmark -c 50 -r {keyspace} -n {requests}, 3-byte values, median of {rounds} rounds, no persistence. "
      "embedded: one silo serving RESP itself. gateway-N: a separate gateway process (Orleans client) in front of N silo "
      "processes with PostgreSQL membership (scripts/cluster.sh), all on this machine. Ratios are to redis-server. "
      "CPU µs/op: the user+system time (/proc) of every process serving the request (the server; or the silos and "
      "the gateway) per request. Floor: one trivial Orleans grain call in a silo set up as ours (bench/Floor), made "
      "inside the silo's process (for embedded) or through an Orleans client from another process (for the gateways; "
      "silo and client CPU added).\n")
print("| floor CPU µs per call | -P 1 | -P 16 |\n|---|---|---|")
for mode, label in [("cohosted", "inside the silo"), ("client", "through a client")]:
    print(f"| {label} | {floor.get((mode, '1'), float('nan')):.2f} | {floor.get((mode, '16'), float('nan')):.2f} |")
print()
for pipeline in ["1", "16"]:
    print(f"## -P {pipeline}\n")
    print("| test | " + " | ".join(f"{s} ops/s" for s in servers) + " | " + " | ".join(f"{s}/redis" for s in servers[1:])
          + " | " + " | ".join(f"{s} CPU µs/op" for s in servers) + " | embedded/floor | gateway-1-silo/floor |")
    print("|" + "---|" * (1 + len(servers) * 3 - 1 + 2))
    for test in ["SET", "GET"]:
        rps = [med(s, pipeline, test) for s in servers]
        cpu = [med(s, pipeline, test, "cpu_us") for s in servers]
        print(f"| {test} | " + " | ".join(f"{v:,.0f}" for v in rps) + " | " + " | ".join(f"{v / rps[0]:.2f}" for v in rps[1:])
              + " | " + " | ".join(f"{v:.1f}" for v in cpu)
              + f" | {cpu[1] / floor.get(('cohosted', pipeline), float('nan')):.2f} | {cpu[2] / floor.get(('client', pipeline), float('nan')):.2f} |")
    print()
PY
cp bench/results/cluster-latest.md "bench/results/$(date +%F)-cluster.md"
cat bench/results/cluster-latest.md
