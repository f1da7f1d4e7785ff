//! `kernels/erf.rs`: `erf` on `[0, ERF_CLAMP]` as 16 polynomial pieces of
//! width `STEP` centred at `k STEP`, `u = a - k STEP`.
//!
//! Below `Q_PIECES STEP - STEP / 2` the kernel returns `fma(a, P(u), a)` with
//! `P ≈ erf(a) / a - 1` (relative error, so tiny and subnormal `a` stay
//! accurate); above, `ERF_HI + fma(u, P(u), ERF_LO)` with `ERF_HI + ERF_LO ≈
//! erf(centre)` (absolute error: `erf` is near 1 there).

use crate::piecewise::{Piece, Piecewise};
use crate::remez::{Var, Weight};

/// Width of a piece: `33 / 128`, so the centres `k STEP` are exact in `f32`.
const STEP: f64 = 0.257_812_5;
/// The kernel clamps `|x|` to this; `erf` rounds to 1 above `3.9193`.
const ERF_CLAMP: f64 = 3.93_f32 as f64;
/// Pieces in the `fma(a, P, a)` form.
const Q_PIECES: usize = 4;
/// Relative widening of every piece, for the rounding of the index.
const MARGIN: f64 = 1e-6;

fn erf_over_x(a: f64) -> f64 {
    if a == 0.0 {
        std::f64::consts::FRAC_2_SQRT_PI
    } else {
        libm::erf(a) / a
    }
}

fn pieces() -> Vec<Piece> {
    (0..16)
        .map(|k| {
            let centre = k as f64 * STEP;
            let c32 = centre as f32;
            let lo = ((k as f64 - 0.5) * STEP * (1.0 - MARGIN)).max(0.0);
            let hi = ((k as f64 + 0.5) * STEP * (1.0 + MARGIN)).min(ERF_CLAMP);
            if k < Q_PIECES {
                Piece {
                    slot: k,
                    lo,
                    hi,
                    var: Var::Shift(centre),
                    exps: &[0, 1, 2, 3, 4, 5],
                    f: Box::new(erf_over_x),
                    fixed: Box::new(|_| 1.0),
                    weight: Weight::Relative,
                    split: None,
                    finish: Box::new(|a, p, _| a.mul_add(p, a)),
                    reference: Box::new(libm::erf),
                    consts: vec![("ERF_HI", 0.0), ("ERF_LO", 0.0)],
                }
            } else {
                Piece {
                    slot: k,
                    lo,
                    hi,
                    var: Var::Shift(centre),
                    exps: &[0, 1, 2, 3, 4, 5, 6],
                    f: Box::new(libm::erf),
                    fixed: Box::new(|_| 0.0),
                    weight: Weight::Absolute,
                    split: Some(["ERF_HI", "ERF_LO"]),
                    finish: Box::new(move |a, p, [hi, lo]| hi + (a - c32).mul_add(p, lo)),
                    reference: Box::new(libm::erf),
                    consts: Vec::new(),
                }
            }
        })
        .collect()
}

pub fn problems() -> Vec<Piecewise> {
    vec![Piecewise {
        name: "erf",
        about: "ERF_P0..ERF_P5, ERF_HI, ERF_LO: erf(a), a in [0, 3.93], 16 pieces of width \
                33/128 centred at k 33/128; fma(a, P, a) (relative) below 0.9, \
                HI + fma(u, P, LO) (absolute) above",
        pieces,
        coeff_tables: &["ERF_P0", "ERF_P1", "ERF_P2", "ERF_P3", "ERF_P4", "ERF_P5"],
    }]
}
