//! `kernels/softplus.rs`: `log1p(2^n e^-v)` per exponent `n`.

use crate::remez::{Alternation, Weight};
use crate::table::{Entry, Polynomial, Printed, Rounding, SLOTS, Table, matrix_rows};
use std::f64::consts::LN_2;

/// Half the width of the reduced interval, with room for the rounding of
/// `n = round(a log2 e)` with an f32 `log2 e` at `|a| <= 260`.
const V_MAX: f64 = 0.5 * LN_2 + 1.0 / 65536.0;
/// Degree of the polynomials.
const DEGREE: u32 = 6;
const EXPS: &[u32] = &[0, 1, 2, 3, 4, 5, 6];

/// `2^-n log1p(2^n e^-v)`; for `n = -inf` its limit `e^-v`.
fn scaled_log1p_exp(n: f64, v: f64) -> f64 {
    if n == f64::NEG_INFINITY {
        (-v).exp()
    } else {
        (-n).exp2() * libm::log1p(n.exp2() * (-v).exp())
    }
}

pub fn tables() -> Vec<Table> {
    let entries = (0..SLOTS)
        .map(|slot| {
            let n = if slot == 0 {
                f64::NEG_INFINITY
            } else {
                slot as f64 - 15.0
            };
            let mut entry = Entry::fit(
                slot,
                Polynomial {
                    f: Box::new(move |v| scaled_log1p_exp(n, v)),
                    fixed: Box::new(|_| 0.0),
                    lo: if n == 0.0 { 0.0 } else { -V_MAX },
                    hi: V_MAX,
                    centre: 0.0,
                    exps: EXPS,
                    weight: Weight::Relative,
                    columns: matrix_rows("SOFTPLUS_POLY", DEGREE, &EXPS[1..]),
                    split: Some([format!("SOFTPLUS_POLY[{DEGREE}]"), "SOFTPLUS_C0_LO".into()]),
                    kernel: None,
                },
            );
            if slot == 0 {
                entry.consts.push(("TAIL".into(), -0.5));
            }
            entry
        })
        .collect();
    vec![Table {
        name: "softplus",
        about: "SOFTPLUS_POLY, SOFTPLUS_C0_LO, TAIL: 2^-n log1p(2^n e^-v), v in [-ln2/2, \
                ln2/2] ([0, ln2/2] for n = 0), degree 6 in v, the constant term as hi (in \
                SOFTPLUS_POLY) + lo (SOFTPLUS_C0_LO), at entry n + 15 for n in [-14, 0]; \
                e^-v at entry 0 (n <= -15, where the kernel multiplies by 1 + TAIL 2^n \
                e^-v, TAIL = -1/2); relative error 2^-29 (f64 coefficients)",
        entries,
        rounding: Rounding::LowestFirst,
        // As fitted; `Reduced` gives other coefficients, better in most
        // entries.
        alternation: Alternation::Plain,
        slots: 16,
        printed: vec![
            Printed::Matrix {
                name: "SOFTPLUS_POLY",
                var: "v",
                degree: DEGREE,
            },
            Printed::Array("SOFTPLUS_C0_LO"),
            Printed::Array("TAIL"),
        ],
    }]
}
