//! `kernels/mish.rs`: `tanh(softplus(x))` per exponent `n` of `e^-|x|`.

use crate::remez::{Alternation, Weight};
use crate::table::{Entry, Polynomial, Printed, Rounding, SLOTS, Table, matrix_rows};
use std::f64::consts::LN_2;

/// Half the width of the reduced interval, with room for the rounding of
/// `n = round(a log2 e)` with an f32 `log2 e` at `|a| <= 260`.
const V_MAX: f64 = 0.5 * LN_2 + 1.0 / 65536.0;
/// Degree of the polynomials.
const DEGREE: u32 = 6;
const EXPS: &[u32] = &[0, 1, 2, 3, 4, 5, 6];

/// `E = 2^n e^-v = e^-|x|`.
fn e_of(n: f64, v: f64) -> f64 {
    n.exp2() * (-v).exp()
}

/// `x <= 0`: `2^-n tanh(softplus(x)) = 2^-n E (E + 2) / (E^2 + 2E + 2)`; for
/// `n = -inf` its limit `e^-v`.
fn left(n: f64, v: f64) -> f64 {
    if n == f64::NEG_INFINITY {
        return (-v).exp();
    }
    let e = e_of(n, v);
    (-n).exp2() * e * (e + 2.0) / (e * (e + 2.0) + 2.0)
}

/// `x > 0`: `tanh(softplus(x)) - 1 = -2E^2 / (2E^2 + 2E + 1)`.
fn right(n: f64, v: f64) -> f64 {
    let e = e_of(n, v);
    -2.0 * e * e / (2.0 * e * e + 2.0 * e + 1.0)
}

/// Entry 0 at `n = tail`, entry `n + 15` for `n` in `[-14, 0]`, each a
/// polynomial in `v` of `f(n, v)` into the matrix `name`.
fn entries(f: fn(f64, f64) -> f64, tail: f64, weight: Weight, name: &'static str) -> Vec<Entry> {
    (0..SLOTS)
        .map(|slot| {
            let n = if slot == 0 { tail } else { slot as f64 - 15.0 };
            Entry::fit(
                slot,
                Polynomial {
                    f: Box::new(move |v| f(n, v)),
                    fixed: Box::new(|_| 0.0),
                    lo: if n == 0.0 { 0.0 } else { -V_MAX },
                    hi: V_MAX,
                    centre: 0.0,
                    exps: EXPS,
                    weight,
                    columns: matrix_rows(name, DEGREE, EXPS),
                    split: None,
                    kernel: None,
                },
            )
        })
        .collect()
}

pub fn tables() -> Vec<Table> {
    let mut left_entries = entries(left, f64::NEG_INFINITY, Weight::Relative, "MISH_LEFT");
    left_entries[0].consts.push(("TAIL".into(), -0.5));
    vec![
        Table {
            name: "mish_left",
            about: "MISH_LEFT, TAIL: 2^-n tanh(softplus(x)), x = n ln2 - v <= 0, v in \
                    [-ln2/2, ln2/2] ([0, ln2/2] for n = 0), degree 6 in v, at entry n + 15 \
                    for n in [-14, 0]; e^-v at entry 0 (n <= -15, where the kernel \
                    multiplies by 1 + TAIL 2^n e^-v, TAIL = -1/2); relative error 2^-26 \
                    (f64 coefficients)",
            entries: left_entries,
            rounding: Rounding::LowestFirst,
            // As fitted; `Reduced` gives other coefficients, better in most
            // entries.
            alternation: Alternation::Plain,
            slots: 16,
            printed: vec![
                Printed::Array("TAIL"),
                Printed::Matrix {
                    name: "MISH_LEFT",
                    var: "v",
                    degree: DEGREE,
                },
            ],
        },
        Table {
            name: "mish_right",
            about: "MISH_RIGHT: tanh(softplus(x)) - 1, -x = n ln2 - v < 0, v in [-ln2/2, \
                    ln2/2] ([0, ln2/2] for n = 0), degree 6 in v, at entry n + 15 for n in \
                    [-14, 0], n = -15 at entry 0; absolute error 2^-27.7 (f64 coefficients)",
            entries: entries(right, -15.0, Weight::Absolute, "MISH_RIGHT"),
            rounding: Rounding::LowestFirst,
            // As fitted; `Reduced` gives other coefficients, better in most
            // entries.
            alternation: Alternation::Plain,
            slots: 16,
            printed: vec![Printed::Matrix {
                name: "MISH_RIGHT",
                var: "v",
                degree: DEGREE,
            }],
        },
    ]
}
