//! The special values of `shared/DESIGN.md` on every path: NaN stays NaN (the
//! same NaN, quieted), infinities give the mathematical limits, signed zeros
//! are right, outputs stay in range, nothing panics.

mod common;

use common::{functions, on, specials};
use simd_activations::{Activation, Isa, bf16, f16};

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
        // Every bf16 and f16 value: the rounded results stay within the
        // bounds rounded to the type.
        let bf: Vec<bf16> = (0..=u16::MAX).map(bf16::from_bits).collect();
        let mut y = vec![bf16::ZERO; bf.len()];
        f.forward(&bf, &mut y).unwrap();
        let fh: Vec<f16> = (0..=u16::MAX).map(f16::from_bits).collect();
        let mut z = vec![f16::ZERO; fh.len()];
        f.forward(&fh, &mut z).unwrap();
        let bf_bounds = (bf16::from_f32(lo).to_f32(), bf16::from_f32(hi).to_f32());
        let fh_bounds = (f16::from_f32(lo).to_f32(), f16::from_f32(hi).to_f32());
        let widened = bf
            .iter()
            .zip(&y)
            .map(|(a, b)| (a.to_f32(), b.to_f32(), "bf16", bf_bounds));
        let widened = widened.chain(
            fh.iter()
                .zip(&z)
                .map(|(a, b)| (a.to_f32(), b.to_f32(), "f16", fh_bounds)),
        );
        for (xi, yi, ty, (lo, hi)) in widened {
            assert!(
                xi.is_nan() || (yi >= lo && yi <= hi),
                "{}({xi:e}) on {ty} = {yi:e}, outside [{lo}, {hi}]",
                f.name()
            );
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

/// `softplus` at and beyond its cut-off (where `|x|` is clamped, or, for a
/// `beta` so small that no finite `x` reaches it, where `-inf` is tested):
/// `-inf` gives `+0`, `+inf` gives `+inf`, the inputs at and beyond a
/// finite cut-off on the left give exactly `+0`, and the others next to
/// the cut-off, out to `±f32::MAX`, are within the bound of the reference,
/// with the scalar path's bits on every path. The `beta` run from the default
/// over powers of two and other values to those whose cut-off is past
/// `f32::MAX` (below about `2^-120`) and the subnormal ones.
#[test]
fn softplus_beyond_its_cut_off() {
    let betas = [
        1.0,
        2.0,
        0.75,
        3.4e38,
        2f32.powi(-100),
        2f32.powi(-119),
        2f32.powi(-120),
        2f32.powi(-121),
        2f32.powi(-126),
        f32::from_bits(1),
        // The last `beta` whose cut-off is past `f32::MAX`, and the next.
        f32::from_bits(0x0342_c63d),
        f32::from_bits(0x0342_c63e),
        1e-38,
        7e-37,
        1.3e-36,
    ];
    for beta in betas {
        let f = Activation::Softplus {
            beta,
            threshold: 20.0,
        };
        // The cut-off in x, (160 - k) ln2 / beta with beta = m 2^k, and
        // inputs around it on both sides.
        let k = f64::from((beta as f64).log2().floor() as i32);
        let cut =
            ((160.0 - k) * core::f64::consts::LN_2 / f64::from(beta)).min(f64::from(f32::MAX));
        let mut x = vec![f32::NEG_INFINITY, f32::INFINITY, -f32::MAX, f32::MAX, -0.0];
        for scale in [0.5, 0.999, 1.0, 1.001, 2.0] {
            let v = (cut * scale).min(f64::from(f32::MAX)) as f32;
            for w in [v.next_down(), v, v.next_up().min(f32::MAX)] {
                x.extend([w, -w]);
            }
        }
        let want = on(f, Isa::Scalar, &x);
        for isa in Isa::available().iter().copied() {
            let y = on(f, isa, &x);
            for (i, (&xi, &yi)) in x.iter().zip(&y).enumerate() {
                assert!(
                    same(yi, want[i]),
                    "softplus(beta = {beta:e}) on {isa} at {xi:e}: {yi:e}, scalar {:e}",
                    want[i]
                );
                let exact = simd_activations::reference::softplus(xi, beta, 20.0);
                if xi == f32::NEG_INFINITY {
                    assert!(same(yi, 0.0), "softplus(beta = {beta:e}, -inf) = {yi:e}");
                } else if cut < f64::from(f32::MAX) && f64::from(xi) <= -0.999 * cut {
                    // Beyond (or at) the cut-off the exact result is below
                    // 2^-159, which rounds to +0.
                    assert!(
                        same(yi, 0.0) && exact < 2f64.powi(-150),
                        "softplus(beta = {beta:e}) on {isa} at {xi:e}: {yi:e}"
                    );
                } else if xi == f32::INFINITY {
                    assert_eq!(yi, f32::INFINITY, "softplus(beta = {beta:e}, inf)");
                } else {
                    let err = simd_activations::reference::ulp_error(yi, exact);
                    assert!(
                        err <= 2.0,
                        "softplus(beta = {beta:e}) on {isa} at {xi:e}: {yi:e}, {err} ULP from {exact:e}"
                    );
                }
            }
        }
    }
}

/// The clamps of the `x sigmoid(v)` family (`|x|` at 112 for `silu`, at 11 for
/// `gelu_tanh`, at 64 for `gelu_quick`): next to the clamp and past it, out to
/// `±f32::MAX`, the right side gives `x` itself and the left side `-0.0`
/// wherever the float64 value rounds so, and every path the scalar path's
/// bits.
#[test]
fn logistic_forms_at_and_past_their_clamps() {
    for (f, clamp) in [
        (Activation::Silu, 112.0f32),
        (Activation::GeluTanh, 11.0),
        (Activation::GeluQuick, 64.0),
    ] {
        let mut x = Vec::new();
        for v in [clamp, 2.0 * clamp, 1e4, 1e30, f32::MAX] {
            for w in [v.next_down(), v, v.next_up().min(f32::MAX)] {
                x.extend([w, -w]);
            }
        }
        let want = on(f, Isa::Scalar, &x);
        for (&xi, &yi) in x.iter().zip(&want) {
            let expect = if xi > 0.0 { xi } else { -0.0 };
            assert!(same(yi, expect), "{f} at {xi:e}: {yi:e}, want {expect:e}");
        }
        for isa in Isa::available().iter().copied() {
            let y = on(f, isa, &x);
            for ((&xi, &yi), &wi) in x.iter().zip(&y).zip(&want) {
                assert!(
                    same(yi, wi),
                    "{f} on {isa} at {xi:e}: {yi:e}, scalar {wi:e}"
                );
            }
        }
    }
}

/// `elu(x)` for `x < 0` has the sign of `-alpha` where it underflows to zero
/// too, and at a zero `alpha` (PyTorch's `alpha (e^x - 1)`).
#[test]
fn elu_zeros_below_zero_take_the_sign_of_minus_alpha() {
    let x = [
        -f32::from_bits(1),
        -1.0e-40,
        -1.0e-30,
        -0.5,
        -3.0,
        -100.0,
        f32::NEG_INFINITY,
    ];
    for alpha in [0.25f32, 1.0e-30, -0.25, -1.0e-30, 0.0, -0.0] {
        let f = Activation::Elu { alpha };
        let sign = (-alpha).is_sign_negative();
        for isa in Isa::available().iter().copied() {
            for (xi, yi) in x.iter().zip(on(f, isa, &x)) {
                assert_eq!(
                    yi.is_sign_negative(),
                    sign,
                    "elu({xi:e}, alpha = {alpha:e}) on {isa} = {yi:e}"
                );
                if yi == 0.0 {
                    assert!(
                        // A zero only where `alpha x` rounds to zero
                        // (`e^x - 1` is about `x` there), at most 2^-150.
                        alpha == 0.0
                            || (f64::from(alpha) * f64::from(*xi)).abs() <= 2f64.powi(-150),
                        "{alpha} {xi}"
                    );
                }
            }
        }
    }
}
