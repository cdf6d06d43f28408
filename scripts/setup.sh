#!/usr/bin/env bash
# Installs what building and testing Switchboard needs, skipping what is present.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SWITCHBOARD_ROOT"

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
  step_done
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores)"
  # no_downloads: sass and wasm-opt come from npm (below), nothing from GitHub.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked \
    --features no_downloads --ignore-rust-version
  step_done
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal the crate's version)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --no-default-features
  step_done
fi

if [ ! -x /usr/bin/chromium ]; then
  step "Installing Chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  step_done
fi

stamp=end2end/node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s end2end/package-lock.json "$stamp"; then
  step "Installing npm packages (Playwright, sass, wasm-opt)"
  (cd end2end && npm ci --no-audit --no-fund)
  cp end2end/package-lock.json "$stamp"
  step_done
fi

# A real SMTP server for the mail delivery tests (app/tests/mail.rs), in its own venv.
if ! "$SWITCHBOARD_SMTPD_PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
  step "Installing aiosmtpd (the SMTP server the mail tests deliver to)"
  python3 -m venv "$(dirname "$(dirname "$SWITCHBOARD_SMTPD_PYTHON")")"
  "$SWITCHBOARD_SMTPD_PYTHON" -m pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
  step_done
fi
