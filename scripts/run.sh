#!/usr/bin/env bash
# Builds Switchboard, fills the database with demo data and serves it.
#   DATABASE_URL   sqlite:… (default: data/switchboard.db) or postgres://…
#   SWITCHBOARD_ADDR   listen address (default 127.0.0.1:3000)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SWITCHBOARD_ROOT"

"$SWITCHBOARD_ROOT/scripts/setup.sh"

step "Building (release)"
cargo leptos build --release
step_done

binary="$CARGO_TARGET_DIR/release/switchboard"
"$binary" migrate
"$binary" seed --demo
# Plain http on this machine: cookies cannot be Secure here.
export SWITCHBOARD_INSECURE_COOKIES=1
exec "$binary" serve --addr "${SWITCHBOARD_ADDR:-127.0.0.1:3000}"
