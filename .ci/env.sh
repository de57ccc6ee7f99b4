# shellcheck shell=bash
# Sourced (never executed) by the .ci/ scripts, the benchmark and the Makefile's recipes.
# It sets variables and defines helper functions, so sourcing it twice is harmless.
#
# Why a PATH snippet at all: cargo-leptos looks up `wasm-opt` and `wasm-bindgen` on PATH
# before it tries to download them (and downloads fail on these machines). wasm-opt must be
# binaryen 132 from npm (end2end/node_modules/.bin): Debian's binaryen 108 emits wasm that
# fails at run time, so our copy goes FIRST on PATH in case Debian's is installed too.
# ~/.cargo/bin holds cargo-leptos and wasm-bindgen-cli (`cargo install`).

EMPORIUM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EMPORIUM_ROOT

case ":${PATH}:" in
  *":${EMPORIUM_ROOT}/end2end/node_modules/.bin:"*) ;;
  *) PATH="${EMPORIUM_ROOT}/end2end/node_modules/.bin:${PATH}" ;;
esac
case ":${PATH}:" in
  *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
  *) PATH="${PATH}:${CARGO_HOME:-$HOME/.cargo}/bin" ;;
esac
export PATH

# Browsers: Debian's chromium; Playwright and Lighthouse must never download their own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

# Where cargo puts the server binary. The site (site-root = "target/site" in Cargo.toml) is
# always under the repository, whatever CARGO_TARGET_DIR says.
# (EMPORIUM_BIN may be preset, e.g. to try the scripts against a stand-in server.)
export EMPORIUM_BIN="${EMPORIUM_BIN:-${CARGO_TARGET_DIR:-${EMPORIUM_ROOT}/target}/release/server}"
export EMPORIUM_SITE_ROOT="${EMPORIUM_ROOT}/target/site"

# Everything a release `server` binary started outside `cargo leptos serve` needs.
# cargo-leptos sets these for the processes it starts itself; leptos_config's
# `get_configuration(None)` reads them back at run time (LeptosOptions::try_from_env).
#   - LEPTOS_OUTPUT_NAME: names /pkg/<name>.js|.wasm|.css (must match [[workspace.metadata.leptos]] name).
#   - LEPTOS_SITE_ROOT / LEPTOS_SITE_PKG_DIR: where the static site (pkg/, public assets) is.
#   - LEPTOS_ENV=PROD: production mode (cargo-leptos's hot-reload snippet is tied to
#     LEPTOS_WATCH, which is never set here).
#   - LEPTOS_HASH_FILES=true: the build is made with hashed bundle names (see the Makefile);
#     the server then reads `hash.txt` (LEPTOS_HASH_FILE_NAME) from the directory of its own
#     executable — `target/release/hash.txt`, written there by `cargo leptos build`. We run
#     the binary in place, so the default name is right; LEPTOS_HASH_FILE_NAME may be set to
#     an absolute path if the binary is ever moved without its hash.txt.
# LEPTOS_SITE_ADDR is set by each caller (the port differs per use).
emporium_server_env() {
  export LEPTOS_OUTPUT_NAME=emporium
  export LEPTOS_SITE_ROOT="${EMPORIUM_SITE_ROOT}"
  export LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_ENV=PROD
  export LEPTOS_HASH_FILES=true
}

# A TCP port on 127.0.0.1 that nobody listens on right now (asks the kernel for one).
# There is a tiny race between closing it here and the server binding it; acceptable for
# tests on one machine, and callers wait for *their* process to answer, not just the port.
emporium_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Poll URL until it answers with any HTTP status (curl exit 0) or PID dies / TIMEOUT passes.
# usage: emporium_wait_http URL PID TIMEOUT_SECONDS
emporium_wait_http() {
  local url="$1" pid="$2" timeout="$3" waited=0
  until curl -s -o /dev/null --max-time 2 "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited before $url answered" >&2
      return 1
    fi
    if (( waited >= timeout * 5 )); then
      echo "$url did not answer within ${timeout}s" >&2
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
}
