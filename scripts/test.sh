#!/usr/bin/env bash
# Runs every check and test: formatting, lints, unit and integration tests on SQLite
# and PostgreSQL, a release build, and the Playwright suite in Chromium at desktop
# and phone sizes. Stops at the first failure.
#   TEST_POSTGRES_URL  a PostgreSQL server where tests may create databases; when unset,
#                      the local PostgreSQL 15 cluster is started and used if it can be.
#   REQUIRE_POSTGRES=1 fail instead of skipping PostgreSQL when it cannot be reached.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SWITCHBOARD_ROOT"
started=$SECONDS

"$SWITCHBOARD_ROOT/scripts/setup.sh"

step "Formatting"
cargo fmt --all --check
step_done

step "Lints (server, browser)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
step_done

step "PostgreSQL for the integration tests"
source "$SWITCHBOARD_ROOT/scripts/postgres.sh"
step_done

step "Unit and integration tests"
cargo test -p app --features ssr
cargo test -p server
step_done

step "Release build"
cargo leptos build --release
step_done

step "Browser tests (Playwright, Chromium, desktop and mobile)"
"$SWITCHBOARD_ROOT/scripts/e2e.sh"
step_done

printf '\nAll checks passed in %ss.\n' "$((SECONDS - started))"
