#!/bin/sh
# `npm run playground`: the Microsoft 365 Agents Playground (Teams-like chat in the
# browser, offline) against the anonymous local bot on PLAYGROUND_BOT_URL, default
# http://127.0.0.1:3978/api/messages. Start the bot first (`npm start` with no
# MicrosoftAppId), then open the URL the playground prints.
#
# The playground opens a browser with xdg-open and exits right after "Listening" when
# there is none (servers, containers, CI). A stub xdg-open first on PATH keeps it
# running there; on a desktop the real browser still opens.
set -eu
endpoint="${PLAYGROUND_BOT_URL:-http://127.0.0.1:3978/api/messages}"
stub_dir="$(mktemp -d)"
trap 'rm -rf "$stub_dir"' EXIT INT TERM
if ! command -v xdg-open >/dev/null 2>&1; then
  printf '#!/bin/sh\necho "open $* in your browser"\n' >"$stub_dir/xdg-open"
  chmod +x "$stub_dir/xdg-open"
  PATH="$stub_dir:$PATH"
  export PATH
fi
npx --no-install agentsplayground start -e "$endpoint" -c msteams --dt "$@"
