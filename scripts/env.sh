# Sourced by the other scripts: the tool paths and settings every build uses.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# wasm-opt 132 from npm comes first: Debian's binaryen (108) builds a wasm that
# crashes in the browser, and Trunk would pick /usr/bin/wasm-opt up by itself.
export PATH="$ROOT/.tools/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk never reaches out: no update check (and Trunk.toml sets offline = true).
export TRUNK_SKIP_VERSION_CHECK=true
# The WebAssembly client builds in its own target dir, so client and server
# builds never wait on each other's lock.
export CLIENT_TARGET_DIR="$ROOT/target/client"
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
