//! Accuracy of the peer the benchmarks compare against (rten-vecmath) next to
//! this crate's, on the same inputs and against the same float64 references:
//! every 257th bit pattern (all finite ones, about 16.7 million inputs).
//!
//! `cargo bench --bench peer_accuracy` prints the max ULP error and where it
//! occurs, per function.

use rten_simd::SimdUnaryOp;
use simd_activations::{Activation, reference};
use std::mem::MaybeUninit;

/// rten-vecmath's version of `f` on `x`.
fn rten(f: Activation, x: &[f32]) -> Vec<f32> {
    use rten_vecmath as rv;
    let mut y = vec![MaybeUninit::<f32>::uninit(); x.len()];
    let out: &mut [f32] = match f {
        Activation::Exp => rv::Exp {}.map(x, &mut y),
        Activation::Erf => rv::Erf {}.map(x, &mut y),
        Activation::Tanh => rv::Tanh {}.map(x, &mut y),
        Activation::Sigmoid => rv::Sigmoid {}.map(x, &mut y),
        Activation::Silu => rv::Silu {}.map(x, &mut y),
        Activation::Gelu => rv::Gelu {}.map(x, &mut y),
        Activation::GeluTanh => rv::ApproxGelu {}.map(x, &mut y),
        Activation::GeluQuick => rv::Swish { alpha: 1.702 }.map(x, &mut y),
        _ => unreachable!("no rten-vecmath version"),
    };
    out.to_vec()
}

/// Max ULP error of `y` over `x`, and where.
fn max_error(f: Activation, x: &[f32], y: &[f32]) -> (f64, f32) {
    let mut worst = (0.0f64, 0.0f32);
    for (&xi, &yi) in x.iter().zip(y) {
        let e = reference::ulp_error(yi, reference::eval(f, xi));
        if e > worst.0 || e.is_nan() {
            worst = (e, xi);
        }
    }
    worst
}

fn main() {
    let x: Vec<f32> = (0..u32::MAX / 257)
        .map(|k| f32::from_bits(k * 257))
        .filter(|v| v.is_finite())
        .collect();
    println!("| function | rten-vecmath max ULP | at x | simd-activations max ULP | at x |");
    println!("|---|---|---|---|---|");
    for f in [
        Activation::Exp,
        Activation::Erf,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Silu,
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::GeluQuick,
    ] {
        let (peer, peer_at) = max_error(f, &x, &rten(f, &x));
        let mut y = vec![0.0; x.len()];
        f.forward(&x, &mut y).expect("no parameters");
        let (ours, ours_at) = max_error(f, &x, &y);
        println!(
            "| {} | {peer:.3e} | {peer_at:e} | {ours:.3} | {ours_at:e} |",
            f.name()
        );
    }
}
