#!/usr/bin/env bash
# evonas build entry point: ./build.sh [build|serve|test|bench]
#   build  native release build, and the crate compiled for wasm32 (the page's target)
#   serve  until the page lands: a live CLI run on spiral that prints its progress
#   test   installs what the tests need, then every test: cargo tests, clippy, the wasm build
#   bench  the trainer's throughput and the spiral time-to-90% (evonas bench)
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

ensure_rust() {
    command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup" >&2; exit 1; }
    if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
        log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy
}

build() {
    ensure_rust
    log "native release build"
    cargo build --release
    log "wasm32 build of the core (simd128)"
    RUSTFLAGS="-C target-feature=+simd128" cargo build --release --lib --target wasm32-unknown-unknown
}

serve() {
    build
    log "Backprop NEAT on spiral (the page arrives with the next milestone)"
    ./target/release/evonas run --link "${LINK:-dataset=spiral&noise=0.2&seed=1}" --generations "${GENERATIONS:-100}"
}

run_tests() {
    build
    log "cargo tests"
    cargo test --workspace 2>&1
    log "clippy"
    cargo clippy --workspace --all-targets -- -D warnings
    log "CLI smoke: a bad link fails with its message"
    if ./target/release/evonas run --link 'noise=NaN' --generations 1 2>/tmp/evonas-err.txt; then
        echo "a bad link was accepted" >&2; exit 1
    fi
    grep -q noise /tmp/evonas-err.txt
    log "benchmark smoke run (figures from a tiny workload; ./build.sh bench measures)"
    ./target/release/evonas bench --quick
    log "all tests passed"
}

bench() {
    ensure_rust
    cargo build --release
    ./target/release/evonas bench "$@"
}

case "${1:-build}" in
    build) build ;;
    serve) serve ;;
    test) run_tests ;;
    bench) shift; bench "$@" ;;
    *) echo "usage: ./build.sh [build|serve|test|bench]" >&2; exit 2 ;;
esac
