#!/usr/bin/env bash
# evonas build entry point: ./build.sh [build|serve|test|bench]
#   build  native release build, and the page: the crate for wasm32 (simd128) through
#          wasm-bindgen (and wasm-opt where installed) into www/pkg/
#   serve  builds, then serves the page on http://localhost:8000 (PORT to change)
#   test   installs what the tests need, then every test: cargo tests, clippy, browser tests
#   bench  native throughput and spiral time-to-90% (evonas bench), then the in-browser figure
#   bench-gpu  CPU against GPU throughput at several population sizes (for a real GPU)
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

# Must equal the wasm-bindgen crate version pinned in crate/Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

ensure_wasm_bindgen() {
    if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
        log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
}

apt_install() {
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    else
        echo "missing: $* (install with apt-get as root)" >&2; exit 1
    fi
}

ensure_vulkan() {
    # Mesa's lavapipe gives wgpu a (software) Vulkan device, so the GPU trainer is tested here.
    if ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
        log "installing Mesa's Vulkan drivers (lavapipe) for the GPU trainer's tests"
        apt_install mesa-vulkan-drivers
    fi
}

ensure_numpy() {
    # tests/export.rs runs the exported Python; it tries python3, then the system python3 that
    # Debian's python3-numpy installs into (a version manager's python3 may shadow it).
    if ! python3 -c 'import numpy' 2>/dev/null && ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
        log "installing NumPy for the Python export's tests"
        apt_install python3-numpy
    fi
}

ensure_node() {
    # cargo test runs the exported JavaScript in node; the browser tests drive chromium from it.
    command -v node >/dev/null || { log "installing node"; apt_install nodejs npm; }
}

ensure_browser() {
    [ -x /usr/bin/chromium ] || { log "installing Debian's chromium"; apt_install chromium; }
    ensure_node
    if [ ! -d node_modules/playwright-core ]; then
        log "installing npm packages (playwright-core drives /usr/bin/chromium; no browser download)"
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
    fi
}

ensure_rust() {
    command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup" >&2; exit 1; }
    if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
        log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy
}

build_page() {
    ensure_wasm_bindgen
    log "wasm32 build of the core (simd128)"
    cargo build --release --lib --target wasm32-unknown-unknown
    wasm-bindgen --target web --no-typescript --out-dir www/pkg target/wasm32-unknown-unknown/release/evonas.wasm
    # Debian's binaryen (108) predates the reference types Rust now emits and breaks the module's
    # externref table, so only a recent wasm-opt is trusted with it.
    local opt_version
    opt_version=$(wasm-opt --version 2>/dev/null | grep -o '[0-9]\+' | head -1)
    if [ "${opt_version:-0}" -ge 118 ]; then
        wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
            --enable-mutable-globals --enable-reference-types --enable-multivalue \
            www/pkg/evonas_bg.wasm -o www/pkg/evonas_bg.opt.wasm \
            && mv www/pkg/evonas_bg.opt.wasm www/pkg/evonas_bg.wasm
    else
        echo "wasm-opt ${opt_version:-missing}: not used (needs version 118 or later)"
    fi
    printf 'page size, gzipped: wasm %s bytes, js %s bytes\n' \
        "$(gzip -9c www/pkg/evonas_bg.wasm | wc -c)" "$(cat www/pkg/evonas.js www/*.js | gzip -9c | wc -c)"
}

build() {
    ensure_rust
    log "native release build"
    cargo build --release
    log "the NAS-Bench-201 table for the page's cell search (from data/, its licence beside it)"
    mkdir -p www/data
    ./target/release/evonas table --out www/data/nasbench201.bin
    cp data/nasbench201_LICENSE.txt www/data/
    build_page
}

serve() {
    build
    local port="${PORT:-8000}"
    log "serving the page on http://localhost:$port (Ctrl-C stops)"
    python3 -m http.server "$port" --bind 127.0.0.1
}

run_tests() {
    ensure_vulkan
    ensure_numpy
    ensure_node
    build
    log "cargo tests"
    cargo test --workspace 2>&1
    log "clippy (native, and the wasm facade)"
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
    log "CLI smoke: a bad link fails with its message"
    if ./target/release/evonas run --link 'noise=NaN' --generations 1 2>/tmp/evonas-err.txt; then
        echo "a bad link was accepted" >&2; exit 1
    fi
    grep -q noise /tmp/evonas-err.txt
    log "benchmark smoke run (figures from a tiny workload; ./build.sh bench measures)"
    ./target/release/evonas bench --quick
    ensure_browser
    log "browser tests (headless Debian chromium)"
    node --test --test-concurrency=1 tests/*.test.mjs
    log "all tests passed"
}

bench() {
    build
    log "native trainer (evonas bench)"
    ./target/release/evonas bench "$@"
    ensure_browser
    log "in-browser trainer (bench.html in headless chromium, one thread, wasm simd128)"
    node tests/bench-browser.mjs
}

# The GPU figures for the README: run on a machine with a real GPU (Vulkan, Metal or DX12).
bench_gpu() {
    ensure_rust
    cargo build --release
    ./target/release/evonas bench --backend gpu "$@"
}

case "${1:-build}" in
    build) build ;;
    serve) serve ;;
    test) run_tests ;;
    bench) shift; bench "$@" ;;
    bench-gpu) shift; bench_gpu "$@" ;;
    *) echo "usage: ./build.sh [build|serve|test|bench|bench-gpu]" >&2; exit 2 ;;
esac
