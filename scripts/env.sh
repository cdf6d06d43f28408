# Sourced by the other scripts: where tools and build output live.
# shellcheck shell=bash

SWITCHBOARD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SWITCHBOARD_ROOT

# npm's sass and wasm-opt first: cargo-leptos looks them up on PATH, and Debian's
# binaryen is too old (its wasm-opt silently breaks the wasm).
export PATH="$SWITCHBOARD_ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Build output outside the clone, so a fresh clone on a machine that built before
# starts warm. cargo-leptos writes the site under <target dir>/site.
export CARGO_TARGET_DIR="${SWITCHBOARD_TARGET_DIR:-$HOME/.cache/switchboard/target}"
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site"
export LEPTOS_ENV=PROD
# The Python with aiosmtpd that the mail tests start an SMTP server with (setup.sh).
export SWITCHBOARD_SMTPD_PYTHON="${SWITCHBOARD_SMTPD_PYTHON:-$HOME/.cache/switchboard/venv/bin/python}"

step_started=0
step() {
  step_started=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}
step_done() {
  printf '    done in %ss\n' "$((SECONDS - step_started))"
}
