#!/usr/bin/env bash
# Static throughput estimates with llvm-mca for the machines we cannot run:
# the steady-state inner loop of each function, ours beside rten-vecmath's,
# in cycles per element, on the NEON build (Neoverse V2 and N1, Apple M1) and
# on the x86-64 AVX-512 loop (Zen 4, Sapphire Rapids, Ice Lake server) and
# AVX2 loop (Alder Lake, Zen 4, Zen 3, Ice Lake server).
#
#   scripts/mca.sh                  prints a markdown table on stdout
#   MCA_VERBOSE=1 scripts/mca.sh    also the loop found for each case, on stderr
#   MCA_FUNCTIONS="exp silu" scripts/mca.sh   only these functions
#
# It builds examples/mca_probe.rs (every function behind an
# `#[inline(never)]` wrapper) for x86-64 and aarch64 in release with v0
# symbol mangling, so that the names of the per-path functions show their
# generic arguments, and without position independence, so that calls name
# their targets. For each wrapper it takes the wrapper and the functions
# of the crate measured that it reaches in at most six direct calls on the
# f32 path of its kernel, whose names name the path (`avx512`, `avx2`; on
# aarch64, where the NEON loop is inlined, any but the scalar path's),
# and in them the loop scripts/mca_loop.awk finds: the fast-path cycle that
# stores the most full vectors of the path's width per iteration. That loop
# body goes to llvm-mca; cycles per element are its steady-state cycles per
# iteration over the elements it stores per iteration.
set -euo pipefail
cd "$(dirname "$0")/.."

MCA=llvm-mca-19
ITERATIONS=${MCA_ITERATIONS:-500}
TARGET_DIR=target/mca
FUNCTIONS=(${MCA_FUNCTIONS:-exp erf tanh sigmoid silu gelu gelu_tanh softplus mish gelu_quick})
# path, target triple, objdump, llvm-mca triple, register, f32 lanes, models
PATHS=(
    "neon aarch64-unknown-linux-gnu aarch64-linux-gnu-objdump aarch64 q 4 neoverse-v2 neoverse-n1 apple-m1"
    "avx512 x86_64-unknown-linux-gnu objdump x86_64 zmm 16 znver4 sapphirerapids icelake-server"
    "avx2 x86_64-unknown-linux-gnu objdump x86_64 ymm 8 alderlake znver4 znver3 icelake-server"
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log() { if [ -n "${MCA_VERBOSE:-}" ]; then printf '%s\n' "$*" >&2; fi; }

install_tools() {
    local packages=()
    command -v "$MCA" >/dev/null || packages+=(llvm-19)
    command -v objdump >/dev/null || packages+=(binutils)
    command -v aarch64-linux-gnu-objdump >/dev/null || packages+=(binutils-aarch64-linux-gnu)
    if ! command -v aarch64-linux-gnu-gcc >/dev/null || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
        packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
    fi
    if [ "${#packages[@]}" -gt 0 ]; then
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${packages[@]}" >/dev/null
    fi
    rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1
}

build() {
    local triple=$1
    RUSTFLAGS="-C symbol-mangling-version=v0 -C relocation-model=static" cargo build --quiet --release \
        --example mca_probe --target "$triple" --target-dir "$TARGET_DIR"
}

# The disassembly of the function at hex address $2 in binary $3 ($1 is the
# objdump), found in the symbol table $4 (address, size, name per line).
disassemble() {
    local objdump=$1 address=$2 binary=$3 symbols=$4 size
    size=$(awk -v a="$address" '$1 == a { print $2; exit }' "$symbols")
    [ -n "$size" ] || return 0
    "$objdump" -d --no-show-raw-insn -C --start-address="0x$address" \
        --stop-address="$(printf '0x%x' $((16#$address + 16#$size)))" "$binary"
}

# The hex addresses of the functions a disassembly (stdin) calls or jumps to
# directly whose names contain $1, case-insensitively.
callees() {
    awk -v path="$1" '{ t = tolower($0) }
        t ~ /\t(call|jmp|bl|b)[ \t]+[0-9a-f]+ </ && t !~ /\+0x[0-9a-f]+>$/ && index(t, path) {
            match(t, /[ \t][0-9a-f]+ </)
            a = substr(t, RSTART + 1, RLENGTH - 3)
            sub(/^0+/, "", a)
            print a
        }'
}

# The kernel type each of our functions instantiates, as its path ends in
# the demangled names (`simd_activations::kernels::<this>`).
declare -A KERNEL=(
    [exp]=exp::Exp [erf]=erf::Erf [tanh]=tanh::Tanh [sigmoid]=sigmoid::Sigmoid
    [silu]=sigmoid::Silu [gelu]=gelu::Gelu [gelu_tanh]=gelu_tanh::GeluTanh
    [softplus]="softplus::Softplus<false, false, true>" [mish]=mish::Mish
    [gelu_quick]=gelu_quick::GeluQuick
)

# Whether a demangled name ($1) is on the f32 path of kernel $2: it names no
# 16-bit element type and is not one of the mixed forms' conversion loops
# (`Activation::run_mixed`, `activation::convert`), and if it names a
# kernel, it names that one.
on_path() {
    awk -v name="$1" -v kernel="kernels::$2" 'BEGIN {
        if (name ~ /bfloat|binary16|run_mixed|activation::convert/) exit 1
        if (index(name, "kernels::") && !match(name, kernel "([^A-Za-z_]|$)")) exit 1
        exit 0 }'
}

# The hex addresses of the functions whose names contain $5 reachable from
# the function at hex address $2 (itself included) through at most six
# direct calls or jumps along functions on the f32 path of kernel $6: our
# entry points erase the element type and dispatch before they reach the
# per-path loop.
reachable() {
    local objdump=$1 start=$2 binary=$3 symbols=$4 crate=$5 kernel=$6 frontier next seen a c name
    frontier=$start
    seen=" $start "
    for _ in 1 2 3 4 5 6; do
        next=""
        for a in $frontier; do
            for c in $(disassemble "$objdump" "$a" "$binary" "$symbols" | callees "$crate"); do
                name=$(awk -v a="$c" '$1 == a { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' "$symbols")
                if [[ "$seen" != *" $c "* ]] && on_path "$name" "$kernel"; then
                    seen="$seen$c "
                    next="$next $c"
                fi
            done
        done
        frontier=$next
    done
    echo "$seen"
}

# Whether the function at hex address $1 has a name containing $2 in the
# symbol table $3, case-insensitively.
named() {
    awk -v a="$1" -v path="$2" '$1 == a { $1 = $2 = ""; if (index(tolower($0), path)) found = 1; exit }
        END { exit !found }' "$3"
}

# The steady-state cycles per iteration llvm-mca reports for the loop in $1.
mca_cycles() {
    local file=$1 triple=$2 cpu=$3
    tail -n +2 "$file" | "$MCA" -mtriple="$triple" -mcpu="$cpu" -iterations="$ITERATIONS" \
        -instruction-info=0 -resource-pressure=0 2>/dev/null \
        | awk -v it="$ITERATIONS" '/^Total Cycles:/ { printf "%.2f", $3 / it }' || true
}

install_tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| function | path | model | ours cycles/elem | rten-vecmath cycles/elem | rten / ours | ours insns/elem | rten insns/elem |"
echo "|---|---|---|---|---|---|---|---|"
built=""
for entry in "${PATHS[@]}"; do
    read -r path triple objdump mca_triple vreg lanes models <<<"$entry"
    if [[ " $built " != *" $triple "* ]]; then
        build "$triple"
        built="$built $triple"
    fi
    binary=$TARGET_DIR/$triple/release/examples/mca_probe
    symbols=$work/$triple.symbols
    # Address and size in hex, then the demangled name.
    nm -C -S --defined-only "$binary" | awk '$3 ~ /^[tTwW]$/ {
        a = $1; s = $2; $1 = $2 = $3 = ""; sub(/^ +/, ""); sub(/^0+/, "", a); sub(/^0+/, "", s)
        print a, s, $0 }' >"$symbols"
    arch=${mca_triple/x86_64/x86}
    for function in "${FUNCTIONS[@]}"; do
        loops=()
        for side in ours rten; do
            loop=$work/$path-$side-$function.s
            : >"$loop"
            loops+=("$loop")
            wrapper=$(awk -v name="mca_probe::${side}_$function" '{ a = $1; $1 = $2 = ""; sub(/^ +/, "") }
                $0 == name { print a; exit }' "$symbols")
            # rten-vecmath has no softplus or mish (its `gelu_quick` is
            # `Swish { alpha: 1.702 }`).
            [ -n "$wrapper" ] || continue
            {
                disassemble "$objdump" "$wrapper" "$binary" "$symbols"
                crate=simd_activations
                [ "$side" = ours ] || crate=rten
                for callee in $(reachable "$objdump" "$wrapper" "$binary" "$symbols" "$crate" "${KERNEL[$function]}"); do
                    # On aarch64 the NEON loop is inlined into functions
                    # whose names need not name it: take any but the scalar
                    # path's.
                    if [ "$callee" != "$wrapper" ] && { { [ "$path" = neon ] && ! named "$callee" "scalar::scalar" "$symbols"; } || named "$callee" "$path" "$symbols"; }; then
                        disassemble "$objdump" "$callee" "$binary" "$symbols"
                    fi
                done
            } | awk -v arch="$arch" -v vreg="$vreg" -v lanes="$lanes" -f scripts/mca_loop.awk >"$loop"
            if [ ! -s "$loop" ]; then
                echo "warning: $path $side $function: no loop storing $vreg vectors found" >&2
                continue
            fi
            read -r elements insns first last checked <"$loop"
            log "$path $side $function: 0x$first..0x$last, $insns instructions, $elements elements"
            if [ "$checked" != 1 ]; then
                echo "warning: $path $side $function: no pointer step of $elements elements" >&2
            fi
        done
        for model in $models; do
            cells=()
            raw=()
            for loop in "${loops[@]}"; do
                cycles=""
                if [ -s "$loop" ]; then
                    cycles=$(mca_cycles "$loop" "$mca_triple" "$model")
                    [ -n "$cycles" ] || echo "warning: llvm-mca -mcpu=$model rejected the loop of $(basename "$loop" .s)" >&2
                fi
                if [ -n "$cycles" ]; then
                    read -r elements insns _ <"$loop"
                    raw+=("$(awk -v c="$cycles" -v e="$elements" 'BEGIN { print c / e }')")
                    cells+=("$(awk -v c="$cycles" -v e="$elements" 'BEGIN { printf "%.2f", c / e }')"
                        "$(awk -v i="$insns" -v e="$elements" 'BEGIN { printf "%.1f", i / e }')")
                else
                    cells+=("—" "—")
                    raw+=("")
                fi
            done
            ratio="—"
            if [ -n "${raw[0]}" ] && [ -n "${raw[1]}" ]; then
                ratio=$(awk -v o="${raw[0]}" -v r="${raw[1]}" 'BEGIN { printf "%.2f", r / o }')
            fi
            echo "| $function | $path | $model | ${cells[0]} | ${cells[2]} | $ratio | ${cells[1]} | ${cells[3]} |"
        done
    done
done
