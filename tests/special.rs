//! The special values of `shared/DESIGN.md` on every path: NaN stays NaN (the
//! same NaN, quieted), infinities give the mathematical limits, signed zeros
//! are right, outputs stay in range, nothing panics.

mod common;

use common::{functions, on, specials};
use simd_activations::{Activation, Isa};

fn eval(f: Activation, isa: Isa, x: f32) -> f32 {
    on(f, isa, &[x])[0]
}

fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

#[test]
fn nan_in_nan_out_quieted_with_payload() {
    for (f, _) in functions() {
        for isa in Isa::available().iter().copied() {
            for nan in [
                f32::NAN,
                -f32::NAN,
                f32::from_bits(0x7f80_0001),
                f32::from_bits(0xffc1_2345),
            ] {
                let y = eval(f, isa, nan);
                assert!(
                    same(y, f32::from_bits(nan.to_bits() | 0x0040_0000)),
                    "{} on {isa}: NaN {:#010x} gave {:#010x}",
                    f.name(),
                    nan.to_bits(),
                    y.to_bits()
                );
            }
        }
    }
}

/// (function, f(-inf), f(+inf), f(-0.0), f(+0.0)) per DESIGN.md.
fn table() -> Vec<(Activation, f32, f32, f32, f32)> {
    let ln2 = std::f32::consts::LN_2;
    vec![
        (Activation::Exp, 0.0, f32::INFINITY, 1.0, 1.0),
        (Activation::Erf, -1.0, 1.0, -0.0, 0.0),
        (Activation::Tanh, -1.0, 1.0, -0.0, 0.0),
        (Activation::Sigmoid, 0.0, 1.0, 0.5, 0.5),
        (Activation::Silu, -0.0, f32::INFINITY, -0.0, 0.0),
        (Activation::Gelu, -0.0, f32::INFINITY, -0.0, 0.0),
        (Activation::GeluTanh, -0.0, f32::INFINITY, -0.0, 0.0),
        (Activation::Mish, -0.0, f32::INFINITY, -0.0, 0.0),
        (
            Activation::Softplus {
                beta: 1.0,
                threshold: 20.0,
            },
            0.0,
            f32::INFINITY,
            ln2,
            ln2,
        ),
        (
            Activation::Softplus {
                beta: 2.0,
                threshold: 20.0,
            },
            0.0,
            f32::INFINITY,
            ln2 / 2.0,
            ln2 / 2.0,
        ),
        (Activation::Relu, 0.0, f32::INFINITY, -0.0, 0.0),
        (Activation::Relu6, 0.0, 6.0, -0.0, 0.0),
        (
            Activation::LeakyRelu {
                negative_slope: 0.01,
            },
            f32::NEG_INFINITY,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (
            Activation::LeakyRelu {
                negative_slope: 0.0,
            },
            -0.0,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (
            Activation::LeakyRelu {
                negative_slope: -2.0,
            },
            f32::INFINITY,
            f32::INFINITY,
            0.0,
            -0.0,
        ),
        (
            Activation::Hardtanh {
                min_val: -1.0,
                max_val: 1.0,
            },
            -1.0,
            1.0,
            -0.0,
            0.0,
        ),
        (Activation::Hardsigmoid, 0.0, 1.0, 0.5, 0.5),
        (Activation::Hardswish, -0.0, f32::INFINITY, -0.0, 0.0),
        (Activation::Softsign, -1.0, 1.0, -0.0, 0.0),
        (
            Activation::Identity,
            f32::NEG_INFINITY,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (Activation::Step { at_zero: 0.5 }, 0.0, 1.0, 0.5, 0.5),
        (Activation::Step { at_zero: -3.0 }, 0.0, 1.0, -3.0, -3.0),
        (
            Activation::Elu { alpha: 1.0 },
            -1.0,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (
            Activation::Elu { alpha: 0.5 },
            -0.5,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (Activation::Selu, -1.758_099_3, f32::INFINITY, -0.0, 0.0),
        (
            Activation::Celu { alpha: 1.0 },
            -1.0,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (
            Activation::Celu { alpha: 2.5 },
            -2.5,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
        (
            Activation::Celu { alpha: -0.5 },
            f32::NEG_INFINITY,
            f32::INFINITY,
            -0.0,
            0.0,
        ),
    ]
}

#[test]
fn infinities_and_zeros() {
    for (f, ninf, pinf, nzero, pzero) in table() {
        for isa in Isa::available().iter().copied() {
            for (x, want) in [
                (f32::NEG_INFINITY, ninf),
                (f32::INFINITY, pinf),
                (-0.0, nzero),
                (0.0, pzero),
            ] {
                let y = eval(f, isa, x);
                assert!(
                    same(y, want),
                    "{}({x:e}) on {isa} = {y:e} ({:#010x}), want {want:e} ({:#010x})",
                    f.name(),
                    y.to_bits(),
                    want.to_bits()
                );
            }
        }
    }
}

#[test]
fn outputs_stay_in_range() {
    let x = common::strided(65_521, 7);
    for (f, _) in functions() {
        let (lo, hi) = match f {
            Activation::Sigmoid => (0.0, 1.0),
            Activation::Tanh | Activation::Erf => (-1.0, 1.0),
            Activation::Exp | Activation::Softplus { .. } | Activation::Relu => {
                (0.0, f32::INFINITY)
            }
            Activation::Relu6 => (0.0, 6.0),
            Activation::Hardtanh { min_val, max_val } => (min_val, max_val),
            Activation::Hardsigmoid => (0.0, 1.0),
            Activation::Softsign => (-1.0, 1.0),
            Activation::Step { at_zero } => (at_zero.min(0.0), at_zero.max(1.0)),
            Activation::Elu { alpha } | Activation::Celu { alpha } if alpha > 0.0 => {
                (-alpha, f32::INFINITY)
            }
            Activation::Selu => (-1.758_099_3, f32::INFINITY),
            Activation::Hardswish => (-0.375, f32::INFINITY),
            _ => (f32::NEG_INFINITY, f32::INFINITY),
        };
        for isa in Isa::available().iter().copied() {
            for (xi, yi) in x.iter().zip(on(f, isa, &x)) {
                assert!(
                    xi.is_nan() || (yi >= lo && yi <= hi),
                    "{}({xi:e}) on {isa} = {yi:e}, outside [{lo}, {hi}]",
                    f.name()
                );
                assert!(
                    xi.is_nan() || !yi.is_nan(),
                    "{}({xi:e}) on {isa} is NaN",
                    f.name()
                );
            }
        }
    }
}

#[test]
fn odd_functions_are_odd_bit_for_bit() {
    let x: Vec<f32> = common::strided(65_521, 7)
        .into_iter()
        .filter(|v| v.is_finite())
        .collect();
    let neg: Vec<f32> = x.iter().map(|v| -v).collect();
    for f in [Activation::Tanh, Activation::Erf] {
        let a = on(f, Isa::best(), &x);
        let b = on(f, Isa::best(), &neg);
        for i in 0..x.len() {
            assert!(
                same(a[i], -b[i]),
                "{}: f(-x) != -f(x) at {:e}",
                f.name(),
                x[i]
            );
        }
    }
}

#[test]
fn no_value_panics_on_any_path() {
    let x = specials();
    for (f, _) in functions() {
        for isa in Isa::available().iter().copied() {
            let _ = on(f, isa, &x);
        }
    }
}
