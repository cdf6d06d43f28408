#!/usr/bin/env bash
# Serves the release build on a fresh seeded SQLite database and runs Playwright
# against it. Expects `cargo leptos build --release` to have run.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SWITCHBOARD_ROOT"

work=$(mktemp -d)
port=${E2E_PORT:-3917}
export DATABASE_URL="sqlite://$work/e2e.db?mode=rwc"
export E2E_PASSWORD="e2e-Password-2026!"
export BASE_URL="http://127.0.0.1:$port"
# Email the server sends lands here, where the browser tests can open it.
export SWITCHBOARD_MAIL_DIR="$work/mail"
# And text messages here, as the SMS webhook would receive them.
export SWITCHBOARD_SMS_DIR="$work/sms"
# The server's secret, made at its first start, with the rest of this run.
export SWITCHBOARD_SECRET_FILE="$work/secret.key"
# Call recordings, the demo one included.
export SWITCHBOARD_RECORDINGS_DIR="$work/recordings"
binary="$CARGO_TARGET_DIR/release/switchboard"

"$binary" migrate
# The seeding prints a demo API key for Harbor Dental: the inbox tests post with it.
E2E_API_KEY=$("$binary" seed --demo --password "$E2E_PASSWORD" | awk '$1 ~ /^sbk_/ { print $1 }')
export E2E_API_KEY
# One admin with a temporary password per Playwright project: each changes it once.
for project in desktop mobile; do
  password=$("$binary" create-admin --email "temp.$project@switchboard.test" --name "Temp Admin" |
    awk '/^One-time password:/ { print $3 }')
  export "TEMP_PASSWORD_${project^^}=$password"
done

SWITCHBOARD_INSECURE_COOKIES=1 "$binary" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 120); do
  curl -fs "$BASE_URL/healthz" >/dev/null 2>&1 && break
  if ! kill -0 $server 2>/dev/null; then
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fs "$BASE_URL/healthz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

cd end2end
if ! npx playwright test "$@"; then
  echo "--- server log ---" >&2
  tail -n 50 "$work/server.log" >&2
  exit 1
fi
