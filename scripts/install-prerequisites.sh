#!/usr/bin/env bash
# Installs what the tests and the benchmark need besides the .NET SDK, from Debian's packages:
# redis-tools (redis-cli, redis-benchmark, redis-check-aof, and the Redis server binary, which
# the tests run under the name redis-server), tmux (interactive redis-cli tests) and
# postgresql (the membership store of the local-process cluster, scripts/cluster.sh; the
# scripts run their own PostgreSQL instance, not the system service) and docker-compose
# (to validate docker-compose.yml; running it needs a Docker engine, the tests do not), and
# nodejs with npm (the ioredis and node-redis tests; their packages come from npm, pinned by
# tests/node/package-lock.json).
# The redis-server package is not needed, so no system Redis service is installed or started.
set -euo pipefail
missing=()
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
