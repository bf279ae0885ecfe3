#!/usr/bin/env bash
# Posts a signed, encrypted WeCom group callback "@小灵通 TEXT" to a running server and prints the bot's reply.
# Needs Node.js and `(cd tests/wecom-interop && npm ci)`; the server must run with the same Token and key:
#   export WeCom__Token=localtoken WeCom__EncodingAESKey=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)
#   dotnet run --project bot &
#   eval/wecom-send.sh "物业电话多少" http://localhost:3978
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if [[ ! -d "$here/tests/wecom-interop/node_modules/@wecom/crypto" ]]; then
  echo "Run (cd tests/wecom-interop && npm ci) first." >&2
  exit 1
fi
cd "$here/tests/wecom-interop"
exec node send.js "${1:-物业电话多少}" "${2:-http://localhost:3978}"
