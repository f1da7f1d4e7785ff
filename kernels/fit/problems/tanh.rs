//! `kernels/tanh.rs`: `tanh` on `[0, TANH_CLAMP]` as 8 polynomial pieces
//! (`lookup8`), one per half binade of `v = a + OFFSET`, `u = a - centre`.
//!
//! Below `0.75` (`v < 1.5`) the kernel returns `fma(a, P(u), a)` with
//! `P ≈ tanh(a) / a - 1` (relative error, so tiny and subnormal `a` stay
//! accurate); above, `TANH_HI + fma(u, P(u), TANH_LO)` with
//! `TANH_HI + TANH_LO ≈ tanh(centre)` (absolute error: `tanh` is near 1).

use super::{split_piece, times_a_piece};
use crate::remez::{Alternation, Weight};
use crate::table::{Entry, Printed, Rounding, Table};

/// The kernel indexes pieces by the half binade of `a + OFFSET`.
const OFFSET: f64 = 0.75;
/// The kernel clamps `|x|` to this; `tanh` rounds to 1 above `9.0109`.
const TANH_CLAMP: f64 = 9.02_f32 as f64;
/// Below this, the `fma(a, P, a)` form.
const Q_END: f64 = 0.75;
/// Widening of every piece, for the rounding of `a + OFFSET`.
const MARGIN: f64 = 1e-6;
/// The tables of `P`, coefficient of `u^0` first.
const P: [&str; 8] = [
    "TANH_P0", "TANH_P1", "TANH_P2", "TANH_P3", "TANH_P4", "TANH_P5", "TANH_P6", "TANH_P7",
];

fn tanh_over_x(a: f64) -> f64 {
    if a == 0.0 { 1.0 } else { libm::tanh(a) / a }
}

fn pieces() -> Vec<Entry> {
    // Half binades of `v` from 0.75 (in [0.5, 1)) to 12 (in [8, 16)).
    let bounds = [0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0];
    bounds
        .windows(2)
        .map(|w| {
            let slot = ((w[0] as f32).to_bits() >> 22) as usize & 7;
            let (a_lo, a_hi) = (w[0] - OFFSET, w[1] - OFFSET);
            let lo = (a_lo - MARGIN).max(0.0);
            let hi = (a_hi + MARGIN).min(TANH_CLAMP);
            let centre = if a_lo == 0.0 {
                0.0
            } else {
                0.5 * (a_lo + hi.min(a_hi))
            };
            let poly = if a_hi <= Q_END {
                times_a_piece(
                    libm::tanh,
                    tanh_over_x,
                    (lo, hi, centre),
                    (&[0, 1, 2, 3, 4, 5, 6, 7], &P),
                    "fma(a, P, a)  vs  tanh(a)",
                )
            } else {
                split_piece(
                    libm::tanh,
                    (lo, hi, centre),
                    &[0, 1, 2, 3, 4, 5, 6, 7, 8],
                    Weight::Absolute,
                    (&P, ["TANH_HI", "TANH_LO"]),
                    "HI + fma(u, P, LO)  vs  tanh(a)",
                )
            };
            Entry {
                slot,
                poly: Some(poly),
                consts: vec![("TANH_CENTRE".into(), centre as f32)],
            }
        })
        .collect()
}

pub fn tables() -> Vec<Table> {
    let mut printed: Vec<Printed> = P.iter().map(|&p| Printed::Array(p)).collect();
    printed.extend(["TANH_CENTRE", "TANH_HI", "TANH_LO"].map(Printed::Array));
    vec![Table {
        name: "tanh",
        about: "TANH_P0..TANH_P7, TANH_CENTRE, TANH_HI, TANH_LO: tanh(a), a in [0, 9.02], \
                8 pieces (lookup8), one per half binade of a + 0.75, u = a - TANH_CENTRE; \
                below 0.75 fma(a, P, a), P of degree 7 in u, relative error 2^-29.0; above \
                HI + fma(u, P, LO), degree 8 with the constant term split in two, \
                absolute error 2^-28.7 (f32 coefficients)",
        entries: pieces(),
        rounding: Rounding::LowestFirst,
        alternation: Alternation::Reduced,
        slots: 8,
        printed,
    }]
}
