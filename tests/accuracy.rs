//! Max ULP error against the float64 references (`simd_activations::reference`)
//! on a strided sweep of all finite inputs and dense sweeps of the regions where
//! naive implementations lose every digit. The paths are bit-identical (see
//! `bitwise.rs`), so the dispatch path's error is every path's error.

mod common;

use common::{dense, functions, strided};
use simd_activations::{Activation, Isa, reference};

/// Points in the strided sweep: at least 2^24 per function (fewer under
/// emulation, where the reference alone would take too long).
fn stride() -> u32 {
    if cfg!(target_arch = "aarch64") {
        1021
    } else {
        251
    }
}

/// Max error of `f` over `x` on the dispatch path: (error, input).
fn max_error(f: Activation, x: &[f32]) -> (f64, f32) {
    let mut y = vec![0.0; x.len()];
    f.forward_on(Isa::best(), x, &mut y).unwrap();
    let mut worst = (0.0f64, 0.0f32);
    for (&xi, &yi) in x.iter().zip(&y) {
        if xi.is_finite() {
            let e = reference::ulp_error(yi, reference::eval(f, xi));
            if e.is_nan() || e > worst.0 {
                worst = (e, xi);
            }
        }
    }
    worst
}

fn check(f: Activation, bound: f64, x: &[f32], what: &str) {
    let (e, at) = max_error(f, x);
    assert!(
        e <= bound,
        "{} over {what}: max error {e:.3} ULP at x = {at:e} ({:#010x}) exceeds {bound} ULP",
        f.name(),
        at.to_bits()
    );
}

#[test]
fn strided_sweep_within_bound() {
    let x = strided(stride(), 3);
    assert!(cfg!(target_arch = "aarch64") || x.len() >= 1 << 24);
    for (f, bound) in functions() {
        check(f, bound, &x, "a strided sweep of all bit patterns");
    }
}

/// Every function over dense sweeps of the hard regions (the same sets for
/// all, so each region also checks the functions it is not named for).
#[test]
fn hard_regions_within_bound() {
    let per_region = if cfg!(target_arch = "aarch64") {
        1 << 16
    } else {
        1 << 21
    };
    let regions: [(&str, f32, f32); 14] = [
        ("gelu's left tail", -14.5, -5.0),
        ("the sigmoid/silu underflow tail", -160.0, -80.0),
        ("erf and tanh near 0", 0.0, 1e-3),
        ("negative tiny inputs", -1e-3, -0.0),
        ("subnormal inputs", 0.0, f32::MIN_POSITIVE),
        ("mish and softplus far left", -120.0, -20.0),
        ("softplus near its threshold", 4.0, 25.0),
        ("the branch points of erf and tanh", 0.2, 4.0),
        ("the negative branch points", -4.0, -0.2),
        ("exp's overflow edge", 80.0, 89.0),
        ("exp's subnormal range", -104.0, -87.0),
        (
            "the negative ramp of hardsigmoid and hardswish",
            -3.0,
            -1e-3,
        ),
        ("the positive ramp of hardsigmoid and hardswish", 1e-3, 3.0),
        ("the switch of the ELU family's expm1", -0.3, -0.2),
    ];
    for (name, lo, hi) in regions {
        let x = dense(lo, hi, per_region);
        for (f, bound) in functions() {
            check(f, bound, &x, name);
        }
    }
}
