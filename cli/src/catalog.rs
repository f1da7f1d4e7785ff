//! What the measurement command and the benchmarks run: the functions with
//! their parameters, the inputs, and the naive loops they are compared with.
//! (`benches/activations.rs` includes this file.)

use simd_activations::Activation;

/// The elementwise functions the command measures: every function of the
/// crate's table, at PyTorch's default parameters.
pub fn functions() -> Vec<Activation> {
    Activation::ALL.to_vec()
}

/// `n` inputs uniform in `[-10, 10]` from a fixed seed.
pub fn inputs(n: usize) -> Vec<f32> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    (0..n).map(|_| rng.random_range(-10.0f32..10.0)).collect()
}

/// The obvious loop over the standard library (and `libm` for `erf`), as a
/// user without this crate would write it (from the crate's table).
pub fn naive(activation: Activation) -> impl Fn(&[f32], &mut [f32]) {
    move |x, y| simd_activations::reference::naive(activation, x, y)
}

/// The second input of `frelu` for the inputs `x`: `x` reversed and halved.
pub fn frelu_condition(x: &[f32]) -> Vec<f32> {
    x.iter().rev().map(|v| 0.5 * v).collect()
}

/// `prelu`'s layout `(channels, inner)` for `n` elements: `[n / 4096, 64, 64]`
/// where 4096 divides `n`, else one weight for every element.
pub fn prelu_layout(n: usize) -> (usize, usize) {
    if n.is_multiple_of(4096) {
        (64, 64)
    } else {
        (1, 1)
    }
}

/// `channels` weights for `prelu`, from -0.2 in steps of 0.01.
pub fn prelu_weights(channels: usize) -> Vec<f32> {
    (0..channels).map(|i| 0.01 * i as f32 - 0.2).collect()
}

/// The naive `prelu` loop over an `[outer, channels, inner]` layout.
pub fn naive_prelu(x: &[f32], y: &mut [f32], weight: &[f32], inner: usize) {
    for (i, (o, &v)) in y.iter_mut().zip(x).enumerate() {
        let w = weight[(i / inner) % weight.len()];
        *o = if v > 0.0 { v } else { w * v };
    }
}

/// The naive `frelu` loop: std's `max`.
pub fn naive_frelu(x: &[f32], t: &[f32], y: &mut [f32]) {
    for ((o, &v), &w) in y.iter_mut().zip(x).zip(t) {
        *o = v.max(w);
    }
}

/// The naive three-pass softmax (or log-softmax) over rows of `row_len`,
/// with std's `exp` and `ln`.
pub fn naive_softmax(x: &[f32], y: &mut [f32], row_len: usize, log: bool) {
    for (x, y) in x.chunks(row_len).zip(y.chunks_mut(row_len)) {
        let m = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0.0;
        for (o, &v) in y.iter_mut().zip(x) {
            *o = (v - m).exp();
            sum += *o;
        }
        if log {
            let l = sum.ln();
            for (o, &v) in y.iter_mut().zip(x) {
                *o = (v - m) - l;
            }
        } else {
            let r = 1.0 / sum;
            for o in y.iter_mut() {
                *o *= r;
            }
        }
    }
}
