#!/usr/bin/env bash
# Installs every tool the build and the tests need, each only when it is missing
# at the pinned version, so a second run costs seconds. Nothing here downloads a
# prebuilt binary: everything comes from crates.io, npm or Debian's packages.
#
# Usage: scripts/install-tools.sh [build|test]
#   build  the Rust wasm target, Trunk, wasm-bindgen CLI, wasm-split-cli and wasm-opt (npm)
#   test   all of the above, plus Chromium, chromedriver, the CJK fonts, nginx, schemathesis
#          and the WebKit walk's tools
#   schemathesis-path  only schemathesis (PyPI, pinned in tests/schemathesis/requirements.txt,
#          in a virtualenv under ~/.cache/civic), then print its command
#   webkit-python  only WebKitGTK's WebDriver, Xvfb and selenium (tests/webkit), then print
#          the virtualenv's python
#   lighthouse-path  only Chromium (Debian) and Lighthouse (npm, pinned below, in its own
#          folder under ~/.cache/civic), then print the lighthouse command
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_SPLIT_VERSION=0.2.4
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-build}"
SCHEMATHESIS_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/civic/schemathesis-$(sha256sum "$ROOT/tests/schemathesis/requirements.txt" | cut -c1-12)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

# A Python tool in its own virtualenv under ~/.cache/civic, named by the hash of its pinned
# requirements: `install_venv NAME DIR REQUIREMENTS`.
install_venv() {
  local name="$1" dir="$2" requirements="$3"
  if [ -f "$dir/.installed" ]; then
    say "$name: present"
    return
  fi
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    say "Installing python3-venv from Debian"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv
  fi
  say "Installing $name from PyPI into $dir (about a minute)"
  # (A virtualenv cannot be moved once made: a marker says it is complete.)
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check -r "$requirements" >&2
  touch "$dir/.installed"
}
install_schemathesis() {
  install_venv schemathesis "$SCHEMATHESIS_DIR" "$ROOT/tests/schemathesis/requirements.txt"
}
# WebKitGTK (the engine of iOS Safari and WeChat on iOS) with its WebDriver, Xvfb, and
# selenium to drive it (tests/webkit/walk.py).
WEBKIT_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/civic/webkit-$(sha256sum "$ROOT/tests/webkit/requirements.txt" | cut -c1-12)"
install_webkit() {
  if ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
    say "Installing WebKitGTK's WebDriver and Xvfb from Debian (about a minute)"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq webkit2gtk-driver xvfb
  else
    say "WebKitWebDriver and Xvfb: present"
  fi
  install_venv "selenium (WebKit walk)" "$WEBKIT_DIR" "$ROOT/tests/webkit/requirements.txt"
}
# Lighthouse for `make lighthouse` (measurements, not tests), with Debian's Chromium.
LIGHTHOUSE_VERSION=12.8.2
LIGHTHOUSE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/civic/lighthouse-$LIGHTHOUSE_VERSION"
install_lighthouse() {
  if ! command -v chromium >/dev/null; then
    say "Installing Chromium from Debian"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
  fi
  if [ -x "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" ]; then
    say "Lighthouse $LIGHTHOUSE_VERSION: present"
  else
    say "Installing Lighthouse $LIGHTHOUSE_VERSION from npm into $LIGHTHOUSE_DIR (seconds)"
    mkdir -p "$LIGHTHOUSE_DIR"
    npm install --no-audit --no-fund --silent --prefix "$LIGHTHOUSE_DIR" "lighthouse@$LIGHTHOUSE_VERSION" >&2
  fi
}
if [ "$what" = "lighthouse-path" ]; then
  install_lighthouse
  echo "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse"
  exit 0
fi
if [ "$what" = "schemathesis-path" ]; then
  install_schemathesis
  echo "$SCHEMATHESIS_DIR/bin/st"
  exit 0
fi
if [ "$what" = "webkit-python" ]; then
  install_webkit
  echo "$WEBKIT_DIR/bin/python"
  exit 0
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "Adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
else
  say "Rust target wasm32-unknown-unknown: present"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "Installing Trunk $TRUNK_VERSION from crates.io (about 5 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
else
  say "Trunk $TRUNK_VERSION: present"
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  # Without --locked: the CLI's own lock file names a crate version the registry lacks.
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
else
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
fi

# wasm-split cuts the app's wasm into on-demand chunks (scripts/split-wasm.mjs).
if ! cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "Installing wasm-split-cli $WASM_SPLIT_VERSION from crates.io (about 1 minute)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
else
  say "wasm-split-cli $WASM_SPLIT_VERSION: present"
fi

# npm packages: binaryen's wasm-opt for Trunk, Playwright and axe for the tests.
if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/@playwright/test" ] \
  || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  say "Installing npm packages (wasm-opt, Playwright, axe) with npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
else
  say "npm packages: present"
fi

if [ "$what" = "test" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  [ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
  # The deployment's nginx site is checked and run in front of two servers by the tests.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing from Debian: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
  else
    say "Chromium, chromedriver, CJK fonts and nginx: present"
  fi
  install_schemathesis
  install_webkit
fi
