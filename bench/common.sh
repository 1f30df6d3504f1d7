# Shared by the benchmark scripts: a work directory cleaned up on exit with every server
# started in it, the prerequisites, the Release build, and helpers.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
scripts/install-prerequisites.sh
dotnet build src/Silo -c Release -nologo -v quiet

# The redis-server binary: Debian's redis-server package, else redis-tools' copy of it (redis-check-rdb) under that name.
redis_server() {
  if command -v redis-server >/dev/null; then command -v redis-server; return; fi
  mkdir -p "$work/bin"; ln -sf "$(command -v redis-check-rdb)" "$work/bin/redis-server"; echo "$work/bin/redis-server"
}
# Until PONG: a node loading its AOF answers LOADING meanwhile.
wait_ping() { for _ in $(seq 2400); do [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.05; done; echo "no PING on $1" >&2; return 1; }
rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }
# A process's own CPU time so far (user + system), in clock ticks of 10 ms.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# port count: `count` keys `key:N` = a 100-byte value, through redis-cli --pipe.
load_keys() {
  awk -v n="$2" 'BEGIN { v = sprintf("%0100d", 0); for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$100\r\n%s\r\n", length("key:" i), i, v }' \
    | redis-cli -p "$1" --pipe >/dev/null
}
