//! Throughput measurement: elements per second of each function on each path,
//! and of the naive standard-library loop, at several sizes.

use crate::target::{Aux, Target};
use simd_activations::{Element, Isa};
use std::hint::black_box;
use std::time::Instant;

/// Median seconds per call of `f` over `samples` samples, each of which
/// repeats the call enough times to last about `sample_secs`, after running
/// it for a while first (warm caches, a settled clock) to calibrate.
pub fn time_per_call(mut f: impl FnMut(), samples: usize, sample_secs: f64) -> f64 {
    let t0 = Instant::now();
    let mut calls = 0u32;
    while calls < 2 || t0.elapsed().as_secs_f64() < 2.0 * sample_secs {
        f();
        calls += 1;
    }
    let once = (t0.elapsed().as_secs_f64() / f64::from(calls)).max(1e-9);
    let reps = ((sample_secs / once) as usize).clamp(1, 1_000_000);
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            t.elapsed().as_secs_f64() / reps as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Seconds per sample: longer for large inputs.
fn sample_secs(n: usize) -> f64 {
    if n > 1 << 20 { 0.05 } else { 0.01 }
}

/// Gelem/s of `f`, a call over `n` elements.
fn rate(n: usize, f: impl FnMut()) -> f64 {
    n as f64 / time_per_call(f, 9, sample_secs(n)) / 1e9
}

/// Gelem/s of `target` on `isa` over `x`.
pub fn throughput(target: Target, isa: Isa, x: &[f32], aux: &Aux, y: &mut [f32]) -> f64 {
    rate(x.len(), || {
        target.run(isa, black_box(x), aux, black_box(&mut *y))
    })
}

/// Gelem/s of `target` (one of [`Target::has_half`]) on `isa` over `x` of
/// any element type.
pub fn typed_throughput<T: Element>(target: Target, isa: Isa, x: &[T], y: &mut [T]) -> f64 {
    rate(x.len(), || {
        target.run_typed(isa, black_box(x), black_box(&mut *y))
    })
}

/// Gelem/s of rten-vecmath's version of `target` over `x` on its path for
/// our path `isa`, where it has both (the row functions on the rows
/// [`Target::run`] takes).
pub fn peer_throughput(target: Target, isa: Isa, x: &[f32]) -> Option<f64> {
    let path = crate::peer::path_for(isa)?;
    let mut y = vec![std::mem::MaybeUninit::<f32>::uninit(); x.len()];
    match target {
        Target::Elementwise(f) => {
            if !crate::peer::rten(f, path, x, &mut y) {
                return None;
            }
            Some(rate(x.len(), || {
                crate::peer::rten(f, path, black_box(x), black_box(&mut y));
            }))
        }
        Target::Softmax | Target::LogSoftmax => {
            let log = matches!(target, Target::LogSoftmax);
            let row_len = crate::target::row_len(x.len());
            Some(rate(x.len(), || {
                crate::peer::rten_rows(log, row_len, path, black_box(x), black_box(&mut y));
            }))
        }
        _ => None,
    }
}

/// Gelem/s of the naive loop of `target` over `x`.
pub fn naive_throughput(target: Target, x: &[f32], aux: &Aux, y: &mut [f32]) -> f64 {
    rate(x.len(), || {
        target.run_naive(black_box(x), aux, black_box(&mut *y))
    })
}

/// The CPU's model name, as the OS reports it.
pub fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name") || l.starts_with("CPU part"))
                .and_then(|l| l.split(':').nth(1))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

/// The SIMD features the paths depend on, as detected at run time.
pub fn cpu_features() -> Vec<&'static str> {
    let mut v = Vec::new();
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        macro_rules! probe {
            ($($f:tt),*) => {
                $(if std::arch::is_x86_feature_detected!($f) { v.push($f); })*
            };
        }
        probe!(
            "sse4.2", "avx", "avx2", "fma", "bmi2", "avx512f", "avx512bw", "avx512cd", "avx512dq",
            "avx512vl"
        );
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            v.push("neon");
        }
        if std::arch::is_aarch64_feature_detected!("sve") {
            v.push("sve");
        }
    }
    v
}
