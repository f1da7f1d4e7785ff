//! `kernels/gelu.rs`: `e^(s/2)` on the reduced interval, and the scaled tail
//! `G` per segment.

use crate::remez::{Alternation, Weight};
use crate::table::{Entry, KernelStep, Polynomial, Printed, Rounding, Table, matrix_rows};
use std::f64::consts::{FRAC_1_SQRT_2, LN_2};

/// `1 / sqrt(2 pi)`.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// `R(z) = (Phi(x) - 1/2) / x` at `z = x^2` (its limit `1/sqrt(2 pi)` at
/// 0): `gelu(x) = x/2 + z R(z)`.
fn near_ratio(z: f64) -> f64 {
    if z == 0.0 {
        INV_SQRT_2PI
    } else {
        let x = z.sqrt();
        0.5 * libm::erf(x * FRAC_1_SQRT_2) / x
    }
}

/// `1/sqrt(2 pi)` in two parts, `R0_HI` rounded to f32.
const R0_HI: f32 = INV_SQRT_2PI as f32;
/// See [`R0_HI`].
const R0_LO: f32 = (INV_SQRT_2PI - R0_HI as f64) as f32;

/// The largest `x^2` the near form takes: `|x| < 1/2`, squared and rounded.
const NEAR_MAX: f64 = 0.25;

/// `G(a) = a e^(a^2/2) Psi(a)`, `Psi(a) = erfc(a / sqrt 2) / 2`.
fn scaled_tail(a: f64) -> f64 {
    a * (0.5 * a * a).exp() * 0.5 * libm::erfc(a * FRAC_1_SQRT_2)
}

/// `G0(a) = -a e^(a^2/2) (Phi(a) - 1/2)`: near zero the kernel computes
/// `gelu(x) = x/2 - G0(a) e^(-a^2/2)` for both signs of `x`.
fn scaled_centre(a: f64) -> f64 {
    -a * (0.5 * a * a).exp() * 0.5 * libm::erf(a * FRAC_1_SQRT_2)
}

/// How far `s` can stray past `ln2/8`: the rounding of `4/ln2` in the choice
/// of `k` and the low part of `a^2`, added after it.
const EXP_SLACK: f64 = 1.0 / 32768.0;

/// The kernel's segment index: bits 22..24 of `a + INDEX_SHIFT`.
const INDEX_SHIFT: f64 = 1.0;
/// The largest `a` the kernel evaluates.
const TAIL_MAX: f64 = 14.5;
/// Degree of the polynomials of `G`.
const DEGREE: u32 = 8;

/// The kernel's table index of `a`.
fn index(a: f32) -> usize {
    ((a + INDEX_SHIFT as f32).to_bits() >> 22) as usize & 7
}

/// Candidate centres tried on each side of the balanced one, in steps of
/// `(hi - lo) / CENTRE_STEPS`.
const CENTRE_TRIES: i32 = 32;
/// See [`CENTRE_TRIES`].
const CENTRE_STEPS: f64 = 1024.0;

/// Where `f` is the harmonic mean of its values at the ends of `[lo, hi]`:
/// for a monotone `f` this balances the largest `|f(x) - f(centre)| / |f(x)|`
/// at the two ends, the relative size of the non-constant part that the
/// kernel adds to the constant term.
fn balanced_centre(f: fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let target = 2.0 * f(lo) * f(hi) / (f(lo) + f(hi));
    let (mut a, mut b) = (lo, hi);
    if (f(a) - target).signum() == (f(b) - target).signum() {
        return 0.5 * (a + b);
    }
    for _ in 0..100 {
        let m = 0.5 * (a + b);
        if (f(m) - target).signum() == (f(a) - target).signum() {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

/// Near the balanced centre, the f32 whose `f` is closest (relative) to its
/// f32 rounding: the constant term cannot absorb its own rounding error,
/// which would cost up to half an ulp at `u = 0`.
fn best_centre(f: fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let nominal = balanced_centre(f, lo, hi);
    let step = (hi - lo) / CENTRE_STEPS;
    let miss = |c: f64| {
        let v = f(c);
        (f64::from(v as f32) - v).abs() / v.abs()
    };
    (-CENTRE_TRIES..=CENTRE_TRIES)
        .map(|k| f64::from((nominal + f64::from(k) * step) as f32))
        .min_by(|&a, &b| miss(a).total_cmp(&miss(b)))
        .expect("non-empty range")
}

/// One segment of `G`, at the index of its centre.
fn segment(f: fn(f64) -> f64, lo: f64, hi: f64, centre: f64, exps: &'static [u32]) -> Entry {
    Entry {
        slot: index(centre as f32),
        poly: Some(Polynomial {
            f: Box::new(f),
            fixed: Box::new(|_| 0.0),
            lo,
            hi,
            centre,
            exps,
            weight: Weight::Relative,
            columns: matrix_rows("TAIL_POLY", DEGREE, exps),
            split: None,
            kernel: None,
        }),
        consts: vec![("TAIL_CENTRE".into(), centre as f32)],
    }
}

/// The segments of `[0, TAIL_MAX]`: halves of each binade of
/// `a + INDEX_SHIFT`, widened by a few ulps of `a + INDEX_SHIFT` on each side
/// (it is rounded before its bits are taken). The one at zero fits `G0`
/// without constant and linear terms around 0, the others `G` around the
/// centre chosen by [`best_centre`].
fn segments() -> Vec<Entry> {
    let mut v = Vec::new();
    let mut b = INDEX_SHIFT.log2().floor().exp2();
    while b - INDEX_SHIFT < TAIL_MAX {
        let w = b / 2.0;
        let slack = b * 2f64.powi(-21);
        for k in 0..2 {
            let s = b + w * f64::from(k);
            let (x0, x1) = (
                (s - INDEX_SHIFT).max(0.0),
                (s + w - INDEX_SHIFT).min(TAIL_MAX),
            );
            if x1 <= x0 {
                continue;
            }
            v.push(if x0 == 0.0 {
                segment(scaled_centre, 0.0, x1 + slack, 0.0, &[2, 3, 4, 5, 6, 7, 8])
            } else {
                let lo = x0 - slack;
                let hi = if x1 < TAIL_MAX { x1 + slack } else { x1 };
                let centre = best_centre(scaled_tail, lo, hi);
                segment(scaled_tail, lo, hi, centre, &[0, 1, 2, 3, 4, 5, 6, 7, 8])
            });
        }
        b *= 2.0;
    }
    v
}

pub fn tables() -> Vec<Table> {
    let exp = Polynomial {
        f: Box::new(|s| (0.5 * s).exp()),
        fixed: Box::new(|s| 1.0 + 0.5 * s),
        lo: -LN_2 / 8.0 - EXP_SLACK,
        hi: LN_2 / 8.0 + EXP_SLACK,
        centre: 0.0,
        exps: &[2, 3, 4],
        weight: Weight::Relative,
        columns: vec!["EXP_C2".into(), "EXP_C3".into(), "EXP_C4".into()],
        split: None,
        kernel: Some(KernelStep {
            about: "1 + s (1/2 + s h)  vs  e^(s/2)",
            finish: Box::new(|s, h, _| h.mul_add(s, 0.5).mul_add(s, 1.0)),
            reference: Box::new(|s| (0.5 * s).exp()),
        }),
    };
    let near = Polynomial {
        f: Box::new(near_ratio),
        fixed: Box::new(|_| INV_SQRT_2PI),
        lo: 0.0,
        hi: NEAR_MAX,
        centre: 0.0,
        exps: &[1, 2, 3],
        weight: Weight::Relative,
        columns: ["NEAR_C1", "NEAR_C2", "NEAR_C3"].map(String::from).to_vec(),
        split: None,
        kernel: Some(KernelStep {
            about: "R0_HI + fma(z, h, R0_LO)  vs  R(z)",
            finish: Box::new(|z, h, _| R0_HI + h.mul_add(z, R0_LO)),
            reference: Box::new(near_ratio),
        }),
    };
    vec![
        Table::scalars(
            "gelu_near",
            "NEAR_C1..NEAR_C3, R0_HI, R0_LO: R(z) = (Phi(x) - 1/2) / x at z = x^2 on \
             [0, 1/4] (|x| < 1/2), degree 3: R0 + z (c1 + c2 z + c3 z^2), R0 = \
             1/sqrt(2 pi) = R0_HI + R0_LO; relative error 2^-26.2 (the gated unit's \
             product near zero, gelu(x) = x/2 + z R(z))",
            Entry {
                slot: 0,
                poly: Some(near),
                consts: vec![("R0_HI".into(), R0_HI), ("R0_LO".into(), R0_LO)],
            },
            &["NEAR_C1", "NEAR_C2", "NEAR_C3", "R0_HI", "R0_LO"],
        ),
        Table::scalars(
            "gelu_exp",
            "EXP_C2, EXP_C3, EXP_C4: e^(s/2) on [-ln2/8, ln2/8] (and a little slack), \
             degree 4: 1 + s/2 + s^2 (c2 + c3 s + c4 s^2); relative error 2^-32.3 \
             (the kernel multiplies it by a table entry 2^(j/8))",
            Entry::fit(0, exp),
            &["EXP_C2", "EXP_C3", "EXP_C4"],
        ),
        Table {
            name: "gelu_tail",
            about: "TAIL_CENTRE, TAIL_POLY: G(a) = a e^(a^2/2) Psi(a) on [0, 14.5], 8 \
                    segments (lookup8) indexed by the top bits of a + 1, the halves of its \
                    binades ([0, 1/2), [1/2, 1), [1, 2), [2, 3), [3, 5), [5, 7), [7, 11), \
                    [11, 14.5]), degree 8 in u = a - centre, centres where G is near an \
                    f32; on [0, 1/2) G0(a) = -a e^(a^2/2) (Phi(a) - 1/2) as u^2 (c2 + ... \
                    + c8 u^6); relative error 2^-25.1 (f32 coefficients)",
            entries: segments(),
            rounding: Rounding::LowestFirst,
            // As fitted; `Reduced` gives other coefficients, better in most
            // segments.
            alternation: Alternation::Plain,
            slots: 8,
            printed: vec![
                Printed::Array("TAIL_CENTRE"),
                Printed::Matrix {
                    name: "TAIL_POLY",
                    var: "u",
                    degree: DEGREE,
                },
            ],
        },
    ]
}
