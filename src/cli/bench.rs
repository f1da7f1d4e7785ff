//! Throughput measurement: elements per second of each function on each path,
//! and of the naive standard-library loop, at several sizes.

use simd_activations::{Activation, Isa};
use std::hint::black_box;
use std::time::Instant;

/// Median seconds per call of `f` over `samples` samples, each of which
/// repeats the call enough times to last about `sample_secs`.
pub fn time_per_call(mut f: impl FnMut(), samples: usize, sample_secs: f64) -> f64 {
    let t0 = Instant::now();
    f();
    let once = t0.elapsed().as_secs_f64().max(1e-9);
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

/// Gelem/s of `activation` on `isa` over `x`.
pub fn throughput(activation: Activation, isa: Isa, x: &[f32], y: &mut [f32]) -> f64 {
    let t = time_per_call(
        || {
            activation
                .forward_on(isa, black_box(x), black_box(&mut *y))
                .expect("available path")
        },
        9,
        if x.len() > 1 << 20 { 0.05 } else { 0.01 },
    );
    x.len() as f64 / t / 1e9
}

/// The obvious loop over the standard library (and `libm` for `erf`), as a
/// user without this crate would write it.
pub fn naive(activation: Activation) -> fn(&[f32], &mut [f32]) {
    fn map(x: &[f32], y: &mut [f32], f: impl Fn(f32) -> f32) {
        for (yi, &xi) in y.iter_mut().zip(x) {
            *yi = f(xi);
        }
    }
    match activation {
        Activation::Exp => |x, y| map(x, y, f32::exp),
        Activation::Erf => |x, y| map(x, y, libm::erff),
        Activation::Tanh => |x, y| map(x, y, f32::tanh),
        Activation::Sigmoid => |x, y| map(x, y, |v| 1.0 / (1.0 + (-v).exp())),
        Activation::Silu => |x, y| map(x, y, |v| v / (1.0 + (-v).exp())),
        Activation::Gelu => |x, y| {
            map(x, y, |v| 0.5 * v * (1.0 + libm::erff(v * std::f32::consts::FRAC_1_SQRT_2)))
        },
        Activation::GeluTanh => |x, y| {
            map(x, y, |v| {
                0.5 * v * (1.0 + (0.797_884_6 * (v + 0.044_715 * v * v * v)).tanh())
            })
        },
        Activation::Mish => |x, y| map(x, y, |v| v * (v.exp().ln_1p()).tanh()),
        Activation::Softplus { .. } => {
            |x, y| map(x, y, |v| if v > 20.0 { v } else { v.exp().ln_1p() })
        }
        _ => |x, y| map(x, y, |v| v),
    }
}

/// Gelem/s of the naive loop.
pub fn naive_throughput(activation: Activation, x: &[f32], y: &mut [f32]) -> f64 {
    let f = naive(activation);
    let t = time_per_call(
        || f(black_box(x), black_box(&mut *y)),
        9,
        if x.len() > 1 << 20 { 0.05 } else { 0.01 },
    );
    x.len() as f64 / t / 1e9
}
