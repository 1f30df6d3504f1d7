#!/usr/bin/env bash
# Regenerates src/Resp/Commands/Metadata/redis-commands.resp: the RESP3 replies of a real
# redis-server to COMMAND INFO and COMMAND DOCS for every command OrleansRedis implements.
# The command table reads arity, flags, key positions and documentation from this file, so
# COMMAND INFO/DOCS answer exactly as the Redis version named below does.
# Usage: tools/harvest-command-metadata.sh   (needs redis-server from Debian's redis-server package)
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/Resp/Commands/Metadata/redis-commands.resp
commands=$(grep -v '^#' src/Resp/Commands/Metadata/supported-commands.txt | tr '\n' ' ')
port=7398
dir=$(mktemp -d)
redis-server --port $port --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes --pidfile "$dir/pid" --logfile "$dir/log"
trap 'kill "$(cat "$dir/pid")" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.1; done
version=$(redis-cli -p $port info server | tr -d '\r' | sed -n 's/^redis_version://p')
raw=$(mktemp)
exec 3<>/dev/tcp/127.0.0.1/$port
printf 'HELLO 3\r\nCOMMAND INFO %s\r\nCOMMAND DOCS %s\r\nQUIT\r\n' "$commands" "$commands" >&3
cat <&3 >"$raw"
exec 3>&-
# Keep the two COMMAND replies: drop the HELLO map before them and QUIT's +OK after them.
python3 - "$raw" "$out" "$version" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
def skip(i):
    kind = data[i:i+1]; end = data.index(b'\r\n', i); head = data[i+1:end]; i = end + 2
    if kind in b'+-:,#_(': return i
    if kind in b'$=!': return i + int(head) + 2
    n = int(head) * (2 if kind == b'%' else 1)
    for _ in range(n): i = skip(i)
    return i
start = skip(0); end = skip(skip(start))
with open(sys.argv[2], 'wb') as f:
    f.write(b'# redis ' + sys.argv[3].encode() + b'\r\n' + data[start:end])
PY
rm -f "$raw"
echo "wrote $out from redis $version"

# The parameters CONFIG GET answers for, with Redis's defaults: name, a tab, the value.
defaults=src/Resp/Config/redis-config-defaults.tsv
# (save, dir, appendonly and the like are the harvest server's own; OrleansRedis sets its values for those.)
redis-cli -p $port --json config get '*' \
  | python3 -c '
import json, sys
d = json.load(sys.stdin)
# Put back the defaults of what the harvest server was started with.
d.update({"port": "6379", "bind": "* -::*", "dir": "", "logfile": "", "pidfile": "", "daemonize": "no",
          "save": "3600 1 300 100 60 10000", "appendonly": "no"})
print("\n".join(f"{k}\t{d[k]}" for k in sorted(d)))' >"$defaults"
echo "wrote $defaults"
