//! `kernels/sigmoid.rs`: `sigmoid(-a)` on `[0, 15.5)` as 16 polynomial
//! pieces, one per integer `k = round(a)`, `u = a - k`.
//!
//! The polynomial is `HI + LO + u P(u)`, degree 7 in `u` with the constant
//! term split over two `f32`, fitted for relative error (`sigmoid(-a)` falls
//! from 0.5 to 1.9e-7 over the range and is returned as it is for `x < 0`).
//! The check below evaluates it as `HI + fma(u, P, LO)`; the kernel adds the
//! linear term exactly (see `kernels/sigmoid.rs`), which is more accurate
//! than this check reports, and its measured error is in the README.

use super::split_piece;
use crate::remez::{Alternation, Weight};
use crate::table::{Entry, Printed, Rounding, Table};

/// Widening of every piece (the index rounds `a` to the nearest integer,
/// exactly; this only guards the interval ends).
const MARGIN: f64 = 1e-6;
/// The tables of `P`, coefficient of `u^0` first.
const P: [&str; 7] = [
    "SIGMOID_P0",
    "SIGMOID_P1",
    "SIGMOID_P2",
    "SIGMOID_P3",
    "SIGMOID_P4",
    "SIGMOID_P5",
    "SIGMOID_P6",
];

/// `sigmoid(-a) = 1 / (1 + e^a)`.
fn sigmoid_neg(a: f64) -> f64 {
    1.0 / (1.0 + libm::exp(a))
}

fn pieces() -> Vec<Entry> {
    (0..16)
        .map(|k| {
            let centre = f64::from(k);
            let lo = (centre - 0.5 - MARGIN).max(0.0);
            let hi = centre + 0.5 + MARGIN;
            let poly = split_piece(
                sigmoid_neg,
                (lo, hi, centre),
                &[0, 1, 2, 3, 4, 5, 6, 7],
                Weight::Relative,
                (&P, ["SIGMOID_HI", "SIGMOID_LO"]),
                "HI + fma(u, P, LO)  vs  sigmoid(-a) (plainer than the kernel)",
            );
            Entry::fit(k as usize, poly)
        })
        .collect()
}

pub fn tables() -> Vec<Table> {
    let mut printed: Vec<Printed> = P.iter().map(|&p| Printed::Array(p)).collect();
    printed.extend(["SIGMOID_HI", "SIGMOID_LO"].map(Printed::Array));
    vec![Table {
        name: "sigmoid",
        about: "SIGMOID_P0..SIGMOID_P6, SIGMOID_HI, SIGMOID_LO: sigmoid(-a), a in [0, 15.5), \
                16 pieces, one per integer k = round(a), u = a - k; HI + LO + u P(u), \
                degree 7 with the constant term split in two, relative error 2^-28 or \
                better (f32 coefficients)",
        entries: pieces(),
        rounding: Rounding::LowestFirst,
        alternation: Alternation::Reduced,
        printed,
    }]
}
