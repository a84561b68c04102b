# Civic: two commands set everything up on a fresh machine.
#   make run    install what is missing, build, serve the app with demo data on http://127.0.0.1:8080
#   make test   install what is missing, run every check and test
# Server flags can be passed to `make run` as ARGS="--addr 0.0.0.0:8080 --staff-token …";
# the same settings are read from CIVIC_ADDR, DATABASE_URL, CIVIC_STATIC_DIR, … (see README).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
ARGS ?=

.PHONY: run test build tools size lighthouse e2e webkit bench chaos clean

## install the build tools that are missing (wasm target, Trunk, wasm-bindgen, wasm-opt)
tools:
	@scripts/install-tools.sh build

## build the release app (dist/) and the release server, without starting anything
build: tools
	@echo "==> Building the app with Trunk (release, split into page chunks, wasm-opt -Oz; about 5 minutes the first time on 2 cores, 2 after)"
	trunk build --release --offline
	@echo "==> Building civic-server (release; about 5 minutes the first time on 2 cores, 1 after a change)"
	cargo build --release --locked -p civic-server
	@echo "==> Compressing the app's files (seconds)"
	target/release/civic-server precompress dist

## build, then serve the app with demo data at http://127.0.0.1:8080
run: build
	@mkdir -p data
	@echo "==> Starting civic-server with demo data on http://127.0.0.1:8080 (seeding a new database takes seconds; Ctrl-C stops it)"
	CIVIC_DEMO=$${CIVIC_DEMO:-1} target/release/civic-server $(ARGS)

## install what is missing, then run every check and test
test:
	@scripts/test.sh

## print what a new visitor is sent, headers included: the first load and each deep link (at most 200 KiB each)
size: build
	target/release/civic-size dist --budget-kib 200 --deep-link-kib 200 --max-wasm-files 6

## Lighthouse's mobile preset (slow 4G, 4x CPU), 3 runs per route against the release build
## with demo data: a table of medians and spreads (a measurement, not a test; ~10 minutes)
lighthouse: build
	scripts/lighthouse.sh

## the server at a million cases on SQLite and on PostgreSQL, side by side: request rate and
## p50/p99 per public request and durable filings per second (not a test; seeding takes a
## quarter of an hour or so once per store, then target/bench/ keeps the SQLite file and the
## PostgreSQL cluster). CIVIC_BENCH_CASES=50000 for a quick look; CIVIC_BENCH_DB=sqlite|postgres for one store.
bench:
	CIVIC_PG_KEEP=target/bench/pg scripts/with-postgres.sh cargo bench --locked -p civic-server --bench scale

## the fault test: two processes on one PostgreSQL database, 16 clients filing across both,
## one process killed with SIGKILL under load and started again; prints acknowledged / lost
## answers / duplicates (about a minute with the build; CIVIC_CHAOS_SECONDS=30 for longer)
chaos:
	@scripts/install-tools.sh
	scripts/with-postgres.sh cargo test --locked -p civic-server --test chaos -- --ignored --nocapture

## only the Playwright suite (needs a built dist/ and a debug server)
e2e:
	@scripts/e2e.sh

## the walk in WebKit (the iOS engine), both languages (needs a built dist/)
webkit:
	@scripts/webkit.sh

clean:
	cargo clean
	rm -rf dist test-results
