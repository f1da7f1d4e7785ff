//! `kernels/expm1.rs`: `e^v - 1` near 0, where `e^v` minus one would cancel.

use crate::remez::{Alternation, Weight};
use crate::table::{Entry, KernelStep, Polynomial, Printed, Rounding, Table};

/// The kernel's constants, `c2` to `c6`.
const NAMES: [&str; 5] = [
    "EXPM1_SMALL_C2",
    "EXPM1_SMALL_C3",
    "EXPM1_SMALL_C4",
    "EXPM1_SMALL_C5",
    "EXPM1_SMALL_C6",
];

pub fn tables() -> Vec<Table> {
    let small = Polynomial {
        f: Box::new(f64::exp_m1),
        fixed: Box::new(|v| v),
        lo: -0.25,
        hi: 0.25,
        centre: 0.0,
        exps: &[2, 3, 4, 5, 6],
        weight: Weight::Relative,
        columns: NAMES.iter().map(|c| c.to_string()).collect(),
        split: None,
        kernel: Some(KernelStep {
            about: "v + v (v h)  vs  expm1(v)",
            finish: Box::new(|v, h, _| v.mul_add(v * h, v)),
            reference: Box::new(f64::exp_m1),
        }),
    };
    vec![Table {
        name: "expm1_small",
        about: "EXPM1_SMALL_C2..C6: e^v - 1 on [-1/4, 1/4], degree 6: \
                v + v^2 (c2 + c3 v + ... + c6 v^4), evaluated as v + v (v h); relative \
                error 2^-28.9",
        entries: vec![Entry::fit(0, small)],
        rounding: Rounding::LowestFirst,
        alternation: Alternation::Plain,
        slots: 16,
        printed: NAMES.iter().map(|c| Printed::Scalar(c)).collect(),
    }]
}
