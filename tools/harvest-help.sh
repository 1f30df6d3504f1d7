#!/usr/bin/env bash
# Regenerates src/Resp/Commands/Metadata/redis-help.resp: a real redis-server's replies to
# CONFIG/CLIENT/COMMAND/OBJECT/MEMORY/PUBSUB/ACL HELP, which OrleansRedis answers verbatim
# (the subcommands listed there that OrleansRedis lacks are named in docs/compatibility.md).
# Usage: tools/harvest-help.sh   (needs the redis-server binary: Debian's redis-server, or redis-tools' redis-check-rdb under that name)
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/Resp/Commands/Metadata/redis-help.resp
containers="config client command object memory pubsub acl"
port=7399
dir=$(mktemp -d)
server=$(command -v redis-server || true)
if [ -z "$server" ]; then mkdir -p "$dir/bin"; ln -s "$(command -v redis-check-rdb)" "$dir/bin/redis-server"; server="$dir/bin/redis-server"; fi
"$server" --port $port --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes --pidfile "$dir/pid" --logfile "$dir/log"
trap 'kill "$(cat "$dir/pid")" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.1; done
version=$(redis-cli -p $port info server | tr -d '\r' | sed -n 's/^redis_version://p')
{
  printf '# redis %s\r\n' "$version"
  for c in $containers; do
    exec 3<>/dev/tcp/127.0.0.1/$port
    printf '%s HELP\r\nQUIT\r\n' "$c" >&3
    # The HELP array, without QUIT's +OK after it.
    python3 -c '
import sys
data = sys.stdin.buffer.read()
assert data.endswith(b"+OK\r\n")
sys.stdout.buffer.write(b"$%d\r\n%s\r\n" % (len(sys.argv[1]), sys.argv[1].encode()) + data[:-5])' "$c" <&3
    exec 3>&-
  done
} >"$out"
echo "wrote $out from redis $version"
