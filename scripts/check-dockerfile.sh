#!/usr/bin/env bash
# Replays the Dockerfile's runtime stage without a Docker engine (none runs here):
# production-only install into a scratch folder, the build output and questions copied
# in, the service started as an unprivileged user, and the HEALTHCHECK command run.
set -euo pipefail
cd "$(dirname "$0")/.."

grep -q '^FROM .* AS runtime' Dockerfile || { echo "Dockerfile: no runtime stage"; exit 1; }
grep -q '^USER node' Dockerfile || { echo "Dockerfile: runtime must not run as root"; exit 1; }
grep -q 'npm ci --omit=dev' Dockerfile || { echo "Dockerfile: runtime must install production dependencies only"; exit 1; }
HEALTH=$(sed -n 's/.*CMD \["node", "-e", "\(.*\)"\]$/\1/p' Dockerfile | head -1)
[ -n "$HEALTH" ] || { echo "Dockerfile: HEALTHCHECK must use node -e"; exit 1; }

npm run build --silent
APP=$(mktemp -d /tmp/sc-runtime-XXXXXX)
trap 'kill "${PID:-0}" 2>/dev/null || true; rm -rf "$APP"' EXIT
cp package.json package-lock.json .npmrc "$APP/"
(cd "$APP" && npm ci --omit=dev --no-audit --no-fund --silent)
cp -r dist questions "$APP/"
if [ -d "$APP/node_modules/typescript" ] || [ -d "$APP/node_modules/jest" ]; then
  echo "runtime stage: dev dependencies were installed"; exit 1
fi
chmod -R a+rX "$APP"
RUNAS=()
if [ "$(id -u)" = "0" ]; then RUNAS=(runuser -u nobody --); fi
PORT=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
(cd "$APP" && PORT=$PORT NODE_ENV=production LOG_LEVEL=warn "${RUNAS[@]}" node dist/src/main.js) &
PID=$!
for _ in $(seq 1 50); do
  if PORT=$PORT node -e "$HEALTH"; then
    echo "runtime stage OK: production dependencies only, unprivileged user, HEALTHCHECK passed on port $PORT"
    exit 0
  fi
  sleep 0.2
done
echo "HEALTHCHECK failed: the service did not answer /healthz"; exit 1
