#!/usr/bin/env bash
# The docker-compose topology as local processes on loopback, for machines without Docker and
# for the tests: a PostgreSQL membership store (scripts/postgres.sh), silos that only host
# grains, and RESP gateways in front of them.
#
#   scripts/cluster.sh start [SILOS] [GATEWAYS]   build, then start PostgreSQL, SILOS silos (3) and GATEWAYS gateways (2)
#   scripts/cluster.sh stop                       stop everything (SIGTERM, then kill)
#   scripts/cluster.sh status                     what runs, and the node set as NODE LIST reports it
#   scripts/cluster.sh silo N                     start silo N (node name nodeN); a new N joins the node set
#   scripts/cluster.sh kill N                     kill -9 silo N (a crash: it stays in the node set)
#   scripts/cluster.sh remove N                   move silo N's keys to the others (NODE REMOVE), then stop it
#
# Environment: CLUSTER_DIR (state, logs and data; default .cluster), GATEWAY_PORT (first
# gateway's RESP port; 6379, the next one +1), SILO_PORT (11111; silo N uses +N),
# ORLEANS_GATEWAY_PORT (30000; +N), POSTGRES_PORT (55432), CONFIGURATION (Release),
# SILO_ARGS (extra silo flags, e.g. "--appendfsync always").
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(mkdir -p "${CLUSTER_DIR:-.cluster}" && cd "${CLUSTER_DIR:-.cluster}" && pwd)"
gateway_port="${GATEWAY_PORT:-6379}"
silo_port="${SILO_PORT:-11111}"
orleans_gateway_port="${ORLEANS_GATEWAY_PORT:-30000}"
postgres_port="${POSTGRES_PORT:-55432}"
configuration="${CONFIGURATION:-Release}"
connection="Host=127.0.0.1;Port=$postgres_port;Database=orleansredis;Username=postgres"
cluster=(--clustering postgres --postgres "$connection" --cluster-id orleansredis)

assembly() { echo "src/$1/bin/$configuration/net10.0/OrleansRedis.$1.dll"; }

# Starts a process in the background, its pid in $dir/NAME.pid and its output in $dir/NAME.log.
launch() {
  local name=$1; shift
  nohup dotnet "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 240); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "cluster: $what did not come up; see $dir" >&2; return 1
}

start_silo() {
  local n=$1
  running "silo$n" && return 0
  launch "silo$n" "$(assembly Silo)" "${cluster[@]}" --node-name "node$n" --serve-resp no \
    --silo-port $((silo_port + n)) --gateway-port $((orleans_gateway_port + n)) \
    --dir "$dir/data/node$n" ${SILO_ARGS:-}
  wait_for "silo $n" grep -q "is in the node set" "$dir/silo$n.log"
}

start_gateway() {
  local n=$1
  running "gateway$n" && return 0
  launch "gateway$n" "$(assembly Gateway)" "${cluster[@]}" --port $((gateway_port + n - 1))
  wait_for "gateway $n" redis-cli -p $((gateway_port + n - 1)) ping
}

stop_process() {
  local name=$1 signal=${2:-TERM}
  running "$name" || { rm -f "$dir/$name.pid"; return 0; }
  local pid; pid=$(cat "$dir/$name.pid")
  kill -"$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/$name.pid"
}

case "${1:-}" in
  start)
    silos=${2:-3}; gateways=${3:-2}
    scripts/install-prerequisites.sh
    [ -f "$(assembly Silo)" ] && [ -f "$(assembly Gateway)" ] || dotnet build OrleansRedis.sln -c "$configuration" -v quiet -nologo
    scripts/postgres.sh start "$dir/postgres" "$postgres_port" >/dev/null
    for n in $(seq "$silos"); do start_silo "$n"; done
    for n in $(seq "$gateways"); do start_gateway "$n"; done
    echo "cluster: $silos silos, $gateways gateways (redis-cli -p $gateway_port)"
    ;;
  silo) start_silo "${2:?silo number}" ;;
  kill) stop_process "silo${2:?silo number}" 9 ;;
  remove)
    n=${2:?silo number}
    reply=$(redis-cli -p "$gateway_port" node remove "node$n")
    [ "$reply" = OK ] || { echo "cluster: NODE REMOVE node$n: $reply" >&2; exit 1; }
    stop_process "silo$n"
    ;;
  status)
    for pidfile in "$dir"/*.pid; do
      [ -f "$pidfile" ] || continue
      name=$(basename "$pidfile" .pid)
      if running "$name"; then echo "$name: running (pid $(cat "$pidfile"))"; else echo "$name: not running"; fi
    done
    redis-cli -p "$gateway_port" info nodes 2>/dev/null | grep -E '^(node|# )' || true
    ;;
  stop)
    for pidfile in "$dir"/gateway*.pid "$dir"/silo*.pid; do
      [ -f "$pidfile" ] && stop_process "$(basename "$pidfile" .pid)"
    done
    scripts/postgres.sh stop "$dir/postgres"
    ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
