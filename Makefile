# Emporium: the commands a developer and CI use. `make help` lists them.
#
# Every target that builds calls .ci/setup.sh first: it installs what is missing (the wasm
# target, cargo-leptos 0.3.10, wasm-bindgen-cli 0.2.130, chromium, postgresql, wrk, nginx,
# brotli, the npm packages of end2end/) and is a quick no-op when all is there.
#
# Never `cargo build --workspace`: `app` would get both its `ssr` and `hydrate` features.
# cargo-leptos builds `frontend` (wasm32, hydrate) and `server` (native, ssr) separately.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps share target/ and two cores: run them one after the other even under `make -j`.
.NOTPARALLEL:

ROOT := $(CURDIR)
# Put wasm-opt (binaryen 132 from npm, never Debian's 108) and ~/.cargo/bin on PATH for
# cargo-leptos, which looks its tools up there. The scripts in .ci/ do the same via .ci/env.sh.
export PATH := $(ROOT)/end2end/node_modules/.bin:$(PATH):$(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# `make run` settings (override on the command line: make run ADDR=0.0.0.0:8080).
ADDR ?= 127.0.0.1:3000
DATABASE_URL ?= sqlite://data/emporium.db

# Release build with content-hashed bundle names (long-lived caching of /pkg/*) and route
# code splitting. cargo-leptos reads LEPTOS_* settings from the environment as well as from
# Cargo.toml's [[workspace.metadata.leptos]]:
#   LEPTOS_HASH_FILES=true   hashed names; writes target/release/hash.txt beside the binary,
#                            which the server reads at run time (LEPTOS_HASH_FILES=true there too)
#   LEPTOS_BIN_TARGET=server the server package has a second binary (make_seed); without
#                            this cargo-leptos refuses to guess which one to build and run
LEPTOS_BUILD := LEPTOS_HASH_FILES=true LEPTOS_BIN_TARGET=server cargo leptos build --release --split --precompress

.PHONY: help setup build run test lint fmt fmt-check clippy unit e2e bench clean-db

help:
	@echo "make run        build the release and serve it on http://$(ADDR) with the demo catalogue"
	@echo "                (DATABASE_URL=$(DATABASE_URL); the server creates, migrates and seeds it)"
	@echo "make test       everything CI runs: fmt check, clippy (server + wasm), unit and"
	@echo "                integration tests (PostgreSQL too), release build, browser tests"
	@echo "make e2e        release build + browser tests only (.ci/e2e.sh; args: E2E_ARGS=...)"
	@echo "make bench      release build + throughput/Lighthouse/weight benchmark -> target/bench/results.json"
	@echo "make fmt        cargo fmt"
	@echo "make clean-db   delete the local demo database (data/emporium.db)"
	@echo "make setup      install the toolchain pieces (idempotent)"

setup:
	.ci/setup.sh

build: setup
	$(LEPTOS_BUILD)

# The release binary outside `cargo leptos serve` needs the LEPTOS_* variables that
# cargo-leptos would otherwise set for it: see emporium_server_env in .ci/env.sh.
run: build
	source .ci/env.sh && emporium_server_env && \
	  LEPTOS_SITE_ADDR='$(ADDR)' DATABASE_URL='$(DATABASE_URL)' \
	  EMPORIUM_CARRIER_SPEED="$${EMPORIUM_CARRIER_SPEED:-1440}" exec "$$EMPORIUM_BIN" --demo

test: setup lint unit build e2e

lint: fmt-check clippy

fmt-check:
	cargo fmt --all -- --check

# Server side: `server` pulls in `app` with `ssr`; naming `app/ssr` keeps that explicit for
# `app`'s own tests. Browser side: `frontend` pulls in `app` with `hydrate`. Clippy lints
# workspace members that are dependencies too, so `app` is linted under both features.
clippy: setup
	cargo clippy -p server -p app --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

# Unit tests and the integration tests (SQLite in temp files, PostgreSQL through
# EMPORIUM_TEST_PG_URL: given, or a throwaway cluster that .ci/with-postgres.sh starts).
# One cargo invocation so both packages share one build of their dependencies.
unit: setup
	.ci/with-postgres.sh cargo test -p app -p server --features app/ssr

e2e: build
	.ci/e2e.sh $(E2E_ARGS)

bench: build
	.ci/with-postgres.sh end2end/bench/run.sh

fmt:
	cargo fmt --all

clean-db:
	rm -f data/emporium.db data/emporium.db-wal data/emporium.db-shm
