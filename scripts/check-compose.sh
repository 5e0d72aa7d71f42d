#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (none runs here): the compose file
# and the HAProxy configuration against the app's configuration (scripts/check-compose.ts),
# then the tools' own checks where they happen to be installed. The images are not built.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsx scripts/check-compose.ts

if command -v haproxy >/dev/null 2>&1; then
  # The replicas' names resolve only inside Docker; init-addr lets the check pass without them.
  haproxy -c -f deploy/haproxy.cfg
else
  echo "haproxy is not installed here: deploy/haproxy.cfg was checked by script only, not by haproxy -c"
fi

if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config --quiet
  echo "docker compose config: OK"
else
  echo "docker compose is not available here: docker-compose.yml was checked by script only"
fi
