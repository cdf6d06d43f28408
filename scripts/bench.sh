#!/usr/bin/env bash
# Benchmarks: the client directory at scale (100k clients unless BENCH_CLIENTS says
# otherwise), and what live presence costs, on SQLite and on PostgreSQL
# (BENCH_SQLITE_ONLY=1 skips PostgreSQL). Prints figures; fails only if something breaks.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SWITCHBOARD_ROOT"

"$SWITCHBOARD_ROOT/scripts/setup.sh"
step "Release build"
cargo leptos build --release
step_done
if [ "${BENCH_SQLITE_ONLY:-0}" != 1 ]; then
  source "$SWITCHBOARD_ROOT/scripts/postgres.sh"
fi
step "Benchmark"
# `cargo bench` builds the package's binary again, without cargo-leptos' settings, over
# the release one: the server measured is a copy of what cargo-leptos built.
cp "$CARGO_TARGET_DIR/release/switchboard" "$CARGO_TARGET_DIR/switchboard-bench"
SWITCHBOARD_BIN="$CARGO_TARGET_DIR/switchboard-bench" cargo bench -p server --bench directory
SWITCHBOARD_BIN="$CARGO_TARGET_DIR/switchboard-bench" cargo bench -p server --bench presence
SWITCHBOARD_BIN="$CARGO_TARGET_DIR/switchboard-bench" cargo bench -p server --bench inbox
SWITCHBOARD_BIN="$CARGO_TARGET_DIR/switchboard-bench" cargo bench -p server --bench oncall
step_done
