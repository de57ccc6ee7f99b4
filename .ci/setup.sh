#!/usr/bin/env bash
# Idempotent installer of everything the build, the tests and the benchmark need, for a fresh
# Debian 12 machine (rust-svc kind: rustup, Node 20 + npm, PostgreSQL already there or not).
#
# Every step first checks whether it is already satisfied (with the exact version where a
# version matters) and skips itself then, so `make test` / `make run` / `make bench` can call
# this each time at the cost of a second or two. The expensive step is cargo-leptos (about
# 20 CPU-minutes to compile): it is installed once into ~/.cargo/bin, which outlives the
# repository's clone on the same machine.
#
# Only package registries are used (crates.io, npm, Debian): this workplace reaches nothing
# else, so nothing here may download a prebuilt binary from elsewhere.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=.ci/env.sh
source "$ROOT/.ci/env.sh"

# Runs as root on these machines; a developer's laptop may need sudo for apt.
SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  SUDO="sudo"
fi

log() { printf '[setup] %s\n' "$*"; }

# Two setups at once (say `make test` and `make bench` in two shells) would compile
# cargo-leptos twice and race on apt/npm: serialise them.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
mkdir -p "$CARGO_BIN"
exec 9>"${CARGO_HOME:-$HOME/.cargo}/.emporium-setup.lock"
if ! flock -n 9; then
  log "another setup is running; waiting for it"
  flock 9
fi

# ---------------------------------------------------------------------------------------
# 1. Debian packages
#    chromium      browser for Playwright and Lighthouse (their own downloads fail here)
#    postgresql    initdb/postgres binaries for .ci/with-postgres.sh's throwaway cluster
#    wrk           load generator of the benchmark
#    nginx-light   serves the same pages as static files: the benchmark's yardstick
#    brotli        measures the compressed size of what the home page loads
#    curl          health checks and page fetching in the scripts
# ---------------------------------------------------------------------------------------
missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# Any package that ships the PostgreSQL 15 server binaries will do (postgresql or postgresql-15).
[[ -x /usr/lib/postgresql/15/bin/initdb && -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql)
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v brotli >/dev/null || missing+=(brotli)
command -v curl >/dev/null || missing+=(curl)
command -v flock >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  # `apt-get update` only when something must be installed: it is slow and needs the network.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
  log "apt: chromium, postgresql, wrk, nginx, brotli, curl present"
fi
# Debian's binaryen (wasm-opt 108) breaks the wasm at run time. It may stay installed, since
# our npm copy comes first on PATH (.ci/env.sh), but say so loudly.
if have_pkg binaryen; then
  log "note: Debian's binaryen is installed; end2end/node_modules/.bin/wasm-opt shadows it"
fi

# ---------------------------------------------------------------------------------------
# 2. Rust: the browser target and the lint/format components.
# ---------------------------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rust: wasm32-unknown-unknown present"
else
  log "rust: adding wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed)"
for c in clippy rustfmt; do
  if ! grep -q "^${c}" <<<"$installed_components"; then
    log "rust: adding component $c"
    rustup component add "$c"
  fi
done

# ---------------------------------------------------------------------------------------
# 3. cargo-leptos 0.3.10 (0.3.11 --locked needs rustc 1.96). `no_downloads`: it must find
#    wasm-bindgen / wasm-opt on PATH instead of fetching them from GitHub.
# ---------------------------------------------------------------------------------------
cargo_leptos_ok() { cargo leptos --version 2>/dev/null | grep -q '0\.3\.10\b'; }
if ! cargo_leptos_ok; then
  # Someone (e.g. a machine's bootstrap job) may be compiling it already: a second build
  # would cost another 20 CPU-minutes on 2 cores. Wait for that one instead (read-only
  # process match, nothing is killed), then check again.
  waited=0
  while pgrep -f 'cargo install cargo-leptos' >/dev/null 2>&1; do
    if ((waited == 0)); then log "cargo-leptos: another 'cargo install cargo-leptos' is running; waiting"; fi
    if ((waited >= 5400)); then log "cargo-leptos: gave up waiting after ${waited}s"; break; fi
    sleep 15
    waited=$((waited + 15))
  done
fi
if cargo_leptos_ok; then
  log "cargo-leptos: $(cargo leptos --version 2>/dev/null | head -1)"
else
  log "cargo-leptos: installing 0.3.10 (slow: ~20 CPU-minutes)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
  cargo_leptos_ok || { log "cargo-leptos 0.3.10 still not found after install"; exit 1; }
fi

# ---------------------------------------------------------------------------------------
# 4. wasm-bindgen-cli 0.2.130: must equal the `wasm-bindgen = "=0.2.130"` of Cargo.toml.
#    WITHOUT --locked: its lockfile names a webpki-roots version the registry here lacks.
# ---------------------------------------------------------------------------------------
wasm_bindgen_ok() { wasm-bindgen --version 2>/dev/null | grep -q '0\.2\.130\b'; }
if wasm_bindgen_ok; then
  log "wasm-bindgen: $(wasm-bindgen --version)"
else
  log "wasm-bindgen: installing wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
  wasm_bindgen_ok || { log "wasm-bindgen 0.2.130 still not found after install"; exit 1; }
fi

# ---------------------------------------------------------------------------------------
# 5. npm packages of end2end/: @playwright/test, binaryen@132 (wasm-opt), lighthouse@12.
#    `npm ci` installs exactly package-lock.json; a stamp of the lock file's hash inside
#    node_modules tells whether the install is current.
# ---------------------------------------------------------------------------------------
command -v node >/dev/null || { log "node (>= 20) is required but missing"; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 20)); then
  log "node $(node --version) is too old: @playwright/test needs >= 20"
  exit 1
fi
E2E="$ROOT/end2end"
stamp="$E2E/node_modules/.emporium-lock.sha256"
want="$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)"
if [[ -d "$E2E/node_modules" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  log "npm: end2end/node_modules matches package-lock.json"
else
  log "npm: npm ci in end2end/"
  (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$want" >"$stamp"
fi

# The wasm-opt cargo-leptos will find must be binaryen 132 from npm.
if ! wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  log "wrong wasm-opt on PATH: $(command -v wasm-opt || echo none) $(wasm-opt --version 2>&1 || true)"
  exit 1
fi
log "wasm-opt: $(command -v wasm-opt) ($(wasm-opt --version))"
log "done"
