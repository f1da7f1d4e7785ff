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

/// NaN inputs among finite ones, at every position of the main loop's
/// groups of vectors and of the tails: each NaN comes out quieted with its
/// payload, and every other element keeps the bits it has without the NaNs.
#[test]
fn nans_anywhere_in_a_slice_leave_the_other_elements_alone() {
    let nans = [
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7f80_0001),
        f32::from_bits(0xffc1_2345),
    ];
    let clean: Vec<f32> = (0..301).map(|i| (i as f32 * 0.61).sin() * 9.0).collect();
    for (f, _) in functions() {
        for isa in Isa::available().iter().copied() {
            let want = on(f, isa, &clean);
            for step in [1, 7, 37, 64] {
                let mut x = clean.clone();
                for (k, p) in (step / 2..x.len()).step_by(step).enumerate() {
                    x[p] = nans[k % nans.len()];
                }
                let y = on(f, isa, &x);
                for i in 0..x.len() {
                    let expect = if x[i].is_nan() {
                        f32::from_bits(x[i].to_bits() | 0x0040_0000)
                    } else {
                        want[i]
                    };
                    assert!(
                        same(y[i], expect),
                        "{} on {isa}, NaN every {step}: element {i} gave {:#010x}, want {:#010x}",
                        f.name(),
                        y[i].to_bits(),
                        expect.to_bits()
                    );
                }
            }
        }
    }
}

#[test]
fn infinities_and_zeros() {
    for (f, _) in functions() {
        for isa in Isa::available().iter().copied() {
            for (x, want) in f.special_values() {
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
        let (lo, hi) = f.range();
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
