#!/usr/bin/env bash
# evonas build entry point: ./build.sh [build|serve|test|fresh-check|bench|bench-gpu|tour-runs]
#   build  native release build, and the page: the crate for wasm32 (simd128) through
#          wasm-bindgen and wasm-opt (binaryen from npm, where it can be had) into www/pkg/
#   serve  builds, then serves the page on http://localhost:8000 (PORT to change)
#   test   installs what the tests need, then every test: cargo tests, clippy, the fresh-clone
#          check, browser tests
#   fresh-check  only the check that the page builds from a clean clone of HEAD, with wasm-opt,
#          npm and rustup hidden from PATH and CARGO_TARGET_DIR elsewhere
#   bench  native throughput and spiral time-to-90% (evonas bench), then the in-browser figure
#   bench-gpu  CPU against GPU throughput at several population sizes (for a real GPU)
#   tour-runs  makes the tour's recorded runs again (www/tour/stop-N.run, committed; a test
#          checks each is what the CLI makes of its stop's link)
# Environment: CARGO_TARGET_DIR is honoured (relative to the directory it is run from, as cargo
# reads it); EVONAS_WASM_OPT=off skips wasm-opt; CHROMIUM names the browser (/usr/bin/chromium).
set -euo pipefail

# cargo reads a relative CARGO_TARGET_DIR against its own working directory; this script moves
# to the repository first, so make it absolute against the caller's directory before that.
if [ -n "${CARGO_TARGET_DIR:-}" ] && [ "${CARGO_TARGET_DIR#/}" = "$CARGO_TARGET_DIR" ]; then
    export CARGO_TARGET_DIR="$PWD/$CARGO_TARGET_DIR"
fi
cd "$(dirname "$0")"

log() { printf '\n== %s  [%ds]\n' "$*" "$SECONDS"; }
note() { printf '%s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Must equal the wasm-bindgen crate version pinned in crate/Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
# Debian's binaryen (108) predates the reference types Rust emits and breaks the module's
# externref table; wasm-opt is trusted from this version on.
WASM_OPT_MIN_VERSION=118
# The browser the tests drive (tests/harness.mjs reads the same variable).
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

# ---- installing what is missing -------------------------------------------------------------

# apt-get as root, or through sudo where that needs no password; otherwise says what to install.
apt_install() {
    local sudo=
    [ "$(id -u 2>/dev/null || echo 1)" = 0 ] || sudo=sudo
    if have apt-get && { [ -z "$sudo" ] || { have sudo && sudo -n true 2>/dev/null; }; }; then
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    else
        die "missing: $* (install them with your package manager; on Debian: apt-get install $*)"
    fi
}

ensure_rust() {
    have cargo || die "cargo is missing: install Rust (https://rustup.rs)"
    # rustc links native code through the system C compiler, which rustup does not install.
    have cc || { log "installing a C toolchain for linking (gcc)"; apt_install gcc libc6-dev; }
    if ! wasm32_installed; then
        have rustup || die "the wasm32-unknown-unknown target is missing and rustup is not here to add it"
        log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

# The target's standard library is on disk: asked of rustc, so a toolchain without rustup passes.
wasm32_installed() {
    local libdir
    libdir=$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
    compgen -G "$libdir/libcore-*.rlib" >/dev/null
}

# clippy and rustfmt, the checks that run beside the tests.
ensure_lint_tools() {
    local component
    for component in clippy rustfmt; do
        local cmd=$component
        [ "$component" = rustfmt ] && cmd=fmt
        cargo "$cmd" --version >/dev/null 2>&1 && continue
        have rustup || die "$component is missing and rustup is not here to add it"
        log "adding $component"
        rustup component add "$component"
    done
}

# Sets WASM_BINDGEN to a wasm-bindgen of the pinned version, installing it once if need be.
ensure_wasm_bindgen() {
    local installed="${CARGO_HOME:-$HOME/.cargo}/bin/wasm-bindgen" cand
    for cand in "$(command -v wasm-bindgen || true)" "$installed"; do
        if [ -n "$cand" ] && [ -x "$cand" ] \
            && [ "$("$cand" --version 2>/dev/null || true)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
            WASM_BINDGEN=$cand; return
        fi
    done
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # --locked first: the versions its release was tested with. Its lock file can name a version
    # the registry no longer serves (webpki-roots 1.0.11 for 0.2.130, seen on a fresh machine),
    # so without the lock, the newest compatible versions, next.
    if ! cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"; then
        note "the locked install failed (above); installing with the newest compatible dependencies"
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
    # cargo installs into CARGO_HOME/bin, which need not be on PATH (a distribution's cargo).
    WASM_BINDGEN=$installed
}

ensure_vulkan() {
    # Mesa's lavapipe gives wgpu a (software) Vulkan device, so the GPU trainer is tested here.
    if ! compgen -G '/usr/share/vulkan/icd.d/lvp_icd*.json' >/dev/null; then
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
    # Debian packages npm apart from nodejs, so each is checked.
    have node || { log "installing node"; apt_install nodejs; }
    have npm || { log "installing npm"; apt_install npm; }
}

ensure_git() {
    have git || { log "installing git (the fresh-clone check clones HEAD)"; apt_install git; }
}

# npm ci installs package-lock.json's exact versions: playwright-core (drives $CHROMIUM, never
# downloads a browser), binaryen (wasm-opt as a node script) and eslint (the page's lint). Again
# only when the lock changed.
npm_packages_current() {
    [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ] \
        && [ -d node_modules/playwright-core ] && [ -d node_modules/binaryen ] && [ -d node_modules/eslint ]
}

ensure_npm_packages() {
    npm_packages_current && return
    log "installing npm packages (playwright-core, binaryen, eslint) with npm ci"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
}

ensure_browser() {
    [ -x "$CHROMIUM" ] || { log "installing Debian's chromium"; apt_install chromium; }
    ensure_node
    ensure_npm_packages
}

# ---- the build ------------------------------------------------------------------------------

# Cargo's target directory as cargo resolves it (CARGO_TARGET_DIR, .cargo/config.toml, or
# ./target), so no path below assumes ./target.
target_dir() {
    local meta dir
    meta=$(cargo metadata --format-version 1 --no-deps 2>/dev/null) || meta=
    dir=$(printf '%s' "$meta" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    printf '%s\n' "${dir:-${CARGO_TARGET_DIR:-$PWD/target}}"
}

# The major version of the wasm-opt at $1, or 0 where it does not run.
wasm_opt_version() {
    local out
    out=$("$1" --version 2>/dev/null) || out=
    if [[ $out =~ version\ ([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}

# Prints a usable wasm-opt (version >= WASM_OPT_MIN_VERSION) or nothing; the pinned npm one first,
# so the shipped module does not depend on what else is installed.
find_wasm_opt() {
    local cand
    for cand in node_modules/.bin/wasm-opt "$(command -v wasm-opt || true)"; do
        if [ -n "$cand" ] && [ -x "$cand" ] && [ "$(wasm_opt_version "$cand")" -ge "$WASM_OPT_MIN_VERSION" ]; then
            echo "$cand"; return
        fi
    done
}

# wasm-opt is optional: where none can be found or installed, or it fails, the page ships
# wasm-bindgen's output as it is, and one line says why.
optimise_wasm() {
    local wasm=$1 opt why
    if [ "${EVONAS_WASM_OPT:-on}" = off ]; then
        note "wasm-opt skipped: EVONAS_WASM_OPT=off; the page ships unoptimised wasm"; return
    fi
    opt=$(find_wasm_opt)
    if [ -z "$opt" ]; then
        if have node && have npm; then
            ensure_npm_packages || why="npm ci failed"
            opt=$(find_wasm_opt)
        else
            why="no $(have node || printf 'node, ')npm to install binaryen with"
        fi
    fi
    if [ -z "$opt" ]; then
        if have wasm-opt; then
            why="${why:+$why; }$(command -v wasm-opt) is version $(wasm_opt_version "$(command -v wasm-opt)")"
        fi
        note "wasm-opt skipped: none of version $WASM_OPT_MIN_VERSION or later (${why:-none found}); the page ships unoptimised wasm"
        return
    fi
    log "wasm-opt -O3 ($opt, version $(wasm_opt_version "$opt"))"
    # Keep exactly the features rustc emits for wasm32 with +simd128, no more.
    if "$opt" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$wasm" -o "$wasm.opt"; then
        mv "$wasm.opt" "$wasm"
    else
        rm -f "$wasm.opt"
        note "wasm-opt failed (above); the page ships unoptimised wasm"
    fi
}

build_page() {
    ensure_wasm_bindgen
    log "wasm32 build of the core (simd128)"
    cargo build --release --lib --target wasm32-unknown-unknown
    "$WASM_BINDGEN" --target web --no-typescript --out-dir www/pkg \
        "$(target_dir)/wasm32-unknown-unknown/release/evonas.wasm"
    optimise_wasm www/pkg/evonas_bg.wasm
    printf 'page size, gzipped: wasm %s bytes, js %s bytes\n' \
        "$(gzip -9c www/pkg/evonas_bg.wasm | wc -c)" "$(find www -name '*.js' -print0 | sort -z | xargs -0 cat | gzip -9c | wc -c)"
}

build() {
    ensure_rust
    log "native release build"
    cargo build --release
    # Exported for scripts that run the CLI (the browser tests read it).
    EVONAS_CLI="$(target_dir)/release/evonas"
    export EVONAS_CLI
    log "the NAS-Bench-201 table for the page's cell search (from data/, its licence beside it)"
    mkdir -p www/data
    "$EVONAS_CLI" table --out www/data/nasbench201.bin
    cp data/nasbench201_LICENSE.txt www/data/
    log "MNIST-1D for the page's modules scene (from data/, its licence beside it)"
    "$EVONAS_CLI" mnist1d --out www/data/mnist1d.bin
    cp data/mnist1d_LICENSE.txt www/data/
    build_page
}

serve() {
    have python3 || die "python3 is missing: it serves the page (python3 -m http.server)"
    build
    local port="${PORT:-8000}"
    log "serving the page on http://localhost:$port (Ctrl-C stops)"
    python3 -m http.server "$port" --bind 127.0.0.1
}

# ---- the fresh-clone check ------------------------------------------------------------------

# Tools the page build must do without: wasm-opt and npm (its installer) are optional, and
# rustup may be absent where cargo came from elsewhere.
FRESH_HIDDEN=(wasm-opt npm npx rustup)

# Prints a PATH like this one in which none of the named tools exists. Each entry holding one of
# them becomes a folder (under $1) of symlinks to everything else in it, so the rest of that
# entry (cc, git, node...) stays reachable. Entries that are one folder (/bin and /usr/bin on a
# merged /usr) share one shadow.
path_without() {
    local shadow=$1 entry real dir out='' n=0 t
    shift
    local -a entries
    local -A shadow_of=()
    IFS=: read -ra entries <<<"$PATH"
    for entry in "${entries[@]}"; do
        [ -d "$entry" ] || continue
        dir=$entry
        if holds_any "$entry" "$@"; then
            real=$(cd -P "$entry" && pwd)
            if [ -z "${shadow_of[$real]:-}" ]; then
                n=$((n + 1)); shadow_of[$real]="$shadow/$n"
                mkdir -p "$shadow/$n"
                ln -s -t "$shadow/$n" "$real"/*
                for t; do rm -f "$shadow/$n/$t"; done
            fi
            dir=${shadow_of[$real]}
        fi
        out=${out:+$out:}$dir
    done
    printf '%s\n' "$out"
}

holds_any() { local d=$1 t; shift; for t; do [ -e "$d/$t" ] || [ -L "$d/$t" ] && return 0; done; return 1; }

# Copies this tree's release outputs (native and wasm) to $1, so the clone's build recompiles
# only the evonas crate (its path changed) and not every dependency.
seed_target() {
    local from to=$1 sub start=$SECONDS
    from=$(target_dir)
    mkdir -p "$to"
    for sub in release wasm32-unknown-unknown/release; do
        if [ -d "$from/$sub" ]; then
            mkdir -p "$to/$(dirname "$sub")"
            cp -a --reflink=auto "$from/$sub" "$to/$sub"
        else
            note "no $from/$sub to seed from: the clone builds its dependencies too (slow)"
        fi
    done
    note "seeded the clone's target directory from $from ($(du -sh "$to" | cut -f1), $((SECONDS - start)) s)"
}

# The page build from a clean clone of HEAD, as on a fresh machine: wasm-opt, npm and rustup
# hidden from PATH, a relative CARGO_TARGET_DIR outside the clone, run from another directory.
# Fails if the build fails, writes the clone's ./target, or leaves a page file missing.
fresh_check() {
    local start=$SECONDS tmp head fresh_path
    ensure_rust
    ensure_git
    git rev-parse --git-dir >/dev/null 2>&1 || { note "fresh-clone check skipped: not a git checkout"; return; }
    head=$(git rev-parse HEAD)
    log "fresh-clone check: the page build of HEAD ${head:0:12} in a clean clone"
    [ -z "$(git status --porcelain --untracked-files=no)" ] || note "(uncommitted changes are not in HEAD, so not checked)"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/evonas-fresh.XXXXXX")
    # Removed however the check ends (the copied target directory is large); expanded now on
    # purpose, as $tmp is local.
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    git clone -q --no-checkout . "$tmp/src"
    git -C "$tmp/src" checkout -q --detach "$head"
    seed_target "$tmp/target"
    fresh_path=$(path_without "$tmp/bin" "${FRESH_HIDDEN[@]}")
    local tool
    for tool in "${FRESH_HIDDEN[@]}"; do
        if PATH=$fresh_path command -v "$tool" >/dev/null; then die "fresh-clone check: could not hide $tool"; fi
    done
    note "hidden from PATH: ${FRESH_HIDDEN[*]}; CARGO_TARGET_DIR=target from $tmp"
    (cd "$tmp" && env PATH="$fresh_path" CARGO_TARGET_DIR=target EVONAS_WASM_OPT= src/build.sh build) \
        || die "fresh-clone check: the page build failed in a clean clone (above)"
    [ -f "$tmp/target/wasm32-unknown-unknown/release/evonas.wasm" ] \
        || die "fresh-clone check: the wasm build did not go to CARGO_TARGET_DIR"
    [ ! -e "$tmp/src/target" ] || die "fresh-clone check: the build wrote ./target despite CARGO_TARGET_DIR"
    local f
    for f in www/pkg/evonas_bg.wasm www/pkg/evonas.js www/data/nasbench201.bin www/data/mnist1d.bin; do
        [ -s "$tmp/src/$f" ] || die "fresh-clone check: $f is missing after the build"
    done
    rm -rf "$tmp"
    log "fresh-clone check passed ($((SECONDS - start)) s)"
}

# ---- tests and benchmarks -------------------------------------------------------------------

# One line per tool the tests rely on, so a CI log says what it ran with.
report_tools() {
    log "tools"
    note "cargo: $(cargo --version 2>/dev/null || echo missing)"
    note "wasm-bindgen: $("$WASM_BINDGEN" --version 2>/dev/null || echo missing)"
    local opt
    opt=$(find_wasm_opt)
    if [ -n "$opt" ]; then note "wasm-opt: $opt, version $(wasm_opt_version "$opt")"
    else note "wasm-opt: none of version $WASM_OPT_MIN_VERSION or later"; fi
    note "node: $(node --version 2>/dev/null || echo missing), npm: $(npm --version 2>/dev/null || echo missing)"
    note "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "missing at $CHROMIUM")"
    note "python3: $(python3 --version 2>/dev/null || echo missing)"
}

run_tests() {
    ensure_rust
    ensure_lint_tools
    ensure_vulkan
    ensure_numpy
    ensure_git
    ensure_browser
    log "formatting (cargo fmt --check; rustfmt.toml sets the line width)"
    cargo fmt --all --check || die "the code is not formatted: run cargo fmt --all"
    build
    report_tools
    log "cargo tests"
    cargo test --workspace 2>&1
    log "eslint (the page's JavaScript and the tests; eslint.config.mjs)"
    node_modules/.bin/eslint . || die "eslint found problems in the JavaScript (above)"
    log "clippy (native, and the wasm facade)"
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
    log "CLI smoke: a bad link fails with its message"
    local err
    err=$(mktemp)
    if "$EVONAS_CLI" run --link 'noise=NaN' --generations 1 2>"$err"; then
        die "a bad link was accepted"
    fi
    grep -q noise "$err" || die "a bad link's message does not name the key: $(cat "$err")"
    rm -f "$err"
    log "benchmark smoke run (figures from a tiny workload; ./build.sh bench measures)"
    "$EVONAS_CLI" bench --quick
    fresh_check
    log "browser tests (headless Debian chromium)"
    node --test --test-concurrency=1 tests/*.test.mjs
    log "all tests passed"
}

bench() {
    ensure_browser
    build
    log "native trainer (evonas bench)"
    "$EVONAS_CLI" bench "$@"
    log "in-browser trainer (bench.html in headless chromium, one thread, wasm simd128)"
    node tests/bench-browser.mjs
}

# The GPU figures for the README: run on a machine with a real GPU (Vulkan, Metal or DX12).
bench_gpu() {
    ensure_rust
    cargo build --release
    "$(target_dir)/release/evonas" bench --backend gpu "$@"
}

# The recorded runs the page opens the slow tour stops from (a few minutes: MNIST-1D trains).
tour_runs() {
    ensure_rust
    cargo build --release
    mkdir -p www/tour
    "$(target_dir)/release/evonas" tour-runs --out www/tour
}

case "${1:-build}" in
    build) build ;;
    serve) serve ;;
    test) run_tests ;;
    fresh-check) fresh_check ;;
    bench) shift; bench "$@" ;;
    bench-gpu) shift; bench_gpu "$@" ;;
    tour-runs) tour_runs ;;
    *) echo "usage: ./build.sh [build|serve|test|fresh-check|bench|bench-gpu|tour-runs]" >&2; exit 2 ;;
esac
