//! `kernels/erf.rs`: `erf` on `[0, ERF_CLAMP]` as 8 polynomial pieces of
//! width `STEP` centred at `k STEP`, `u = a - k STEP`.
//!
//! Below `Q_PIECES STEP - STEP / 2` the kernel returns `fma(a, P(u), a)` with
//! `P ≈ erf(a) / a - 1` (relative error, so tiny and subnormal `a` stay
//! accurate); above, `ERF_HI + fma(u, P(u), ERF_LO)` with `ERF_HI + ERF_LO ≈
//! erf(centre)` (absolute error: `erf` is near 1 there).

use super::{split_piece, times_a_piece};
use crate::remez::{Alternation, Weight};
use crate::table::{Entry, Printed, Rounding, Table};

/// Width of a piece: `17 / 32`, so the centres `k STEP` are exact in `f32`
/// and 8 pieces reach past the clamp.
const STEP: f64 = 0.531_25;
/// The kernel clamps `|x|` to this; `erf` rounds to 1 above `3.9193`.
const ERF_CLAMP: f64 = 3.93_f32 as f64;
/// Pieces in the `fma(a, P, a)` form.
const Q_PIECES: usize = 2;
/// Relative widening of every piece, for the rounding of the index.
const MARGIN: f64 = 1e-6;
/// The tables of `P`, coefficient of `u^0` first.
const P: [&str; 7] = [
    "ERF_P0", "ERF_P1", "ERF_P2", "ERF_P3", "ERF_P4", "ERF_P5", "ERF_P6",
];

fn erf_over_x(a: f64) -> f64 {
    if a == 0.0 {
        std::f64::consts::FRAC_2_SQRT_PI
    } else {
        libm::erf(a) / a
    }
}

fn pieces() -> Vec<Entry> {
    (0..8)
        .map(|k| {
            let centre = k as f64 * STEP;
            let lo = ((k as f64 - 0.5) * STEP * (1.0 - MARGIN)).max(0.0);
            let hi = ((k as f64 + 0.5) * STEP * (1.0 + MARGIN)).min(ERF_CLAMP);
            let poly = if k < Q_PIECES {
                times_a_piece(
                    libm::erf,
                    erf_over_x,
                    (lo, hi, centre),
                    (&[0, 1, 2, 3, 4, 5, 6], &P),
                    "fma(a, P, a)  vs  erf(a)",
                )
            } else {
                split_piece(
                    libm::erf,
                    (lo, hi, centre),
                    &[0, 1, 2, 3, 4, 5, 6, 7],
                    Weight::Absolute,
                    (&P, ["ERF_HI", "ERF_LO"]),
                    "HI + fma(u, P, LO)  vs  erf(a)",
                )
            };
            Entry::fit(k, poly)
        })
        .collect()
}

pub fn tables() -> Vec<Table> {
    let mut printed: Vec<Printed> = P.iter().map(|&p| Printed::Array(p)).collect();
    printed.extend([Printed::Array("ERF_HI"), Printed::Array("ERF_LO")]);
    vec![Table {
        name: "erf",
        about: "ERF_P0..ERF_P6, ERF_HI, ERF_LO: erf(a), a in [0, 3.93], 8 pieces (lookup8) \
                of width 17/32 centred at k 17/32, u = a - k 17/32; below 0.797 fma(a, P, a), \
                P of degree 6 in u, relative error 2^-26.0; above HI + fma(u, P, LO), degree \
                7 with the constant term split in two, absolute error 2^-29.6 (f32 \
                coefficients)",
        entries: pieces(),
        rounding: Rounding::HighestFirst,
        alternation: Alternation::Reduced,
        slots: 8,
        printed,
    }]
}
