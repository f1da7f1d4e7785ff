//! Build script: declares the crate's cfg and notices when the build target
//! already guarantees a SIMD level (`-C target-cpu=native`, `x86-64-v4`, ...).
//!
//! It sets `simd_activations_native` to `"avx512"`, `"avx2"` or `"neon"` when
//! every feature of that path is enabled at compile time. The crate then treats
//! that path (and those below it) as available without asking the CPU, and the
//! command-line tool reports it.

use std::env;

/// The features our AVX2 path requires: pulp's `V3` token (x86-64-v3) and
/// F16C, which x86-64-v3 also includes.
const X86_V3: &[&str] = &[
    "sse", "sse2", "fxsr", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi1",
    "bmi2", "fma", "lzcnt", "f16c",
];
/// What pulp's `V4` token (our AVX-512 path) adds to `V3`.
const X86_V4: &[&str] = &["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!(
        "cargo::rustc-check-cfg=cfg(simd_activations_native, values(\"avx512\", \"avx2\", \"neon\"))"
    );
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let features = env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let enabled: Vec<&str> = features.split(',').collect();
    let all = |set: &[&str]| set.iter().all(|f| enabled.contains(f));
    let native = match arch.as_str() {
        "x86_64" | "x86" if all(X86_V3) && all(X86_V4) => Some("avx512"),
        "x86_64" | "x86" if all(X86_V3) => Some("avx2"),
        "aarch64" if all(&["neon"]) => Some("neon"),
        _ => None,
    };
    if let Some(isa) = native {
        println!("cargo::rustc-cfg=simd_activations_native=\"{isa}\"");
    }
}
