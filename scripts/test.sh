#!/usr/bin/env bash
# The test command: installs the prerequisites, builds the solution and runs every test
# (unit tests, a two-silo Orleans test cluster, a real redis-server to compare with, and the
# built server driven by redis-cli and redis-benchmark). Results go to TestResults/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh
rm -rf TestResults
dotnet build OrleansRedis.sln -c Release -warnaserror -nologo -v quiet
dotnet test OrleansRedis.sln -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory TestResults --blame-hang-timeout 10m
