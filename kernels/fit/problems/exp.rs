//! `kernels/exp.rs`: `e^r - 1` on the reduced interval, the table of
//! `2^(k/16)`, and `e^-v` on `[-ln2/2, ln2/2]` for the table-free `e^-a`.

use crate::remez::{Alternation, Weight, split_f32};
use crate::table::{Entry, KernelStep, Polynomial, Printed, Rounding, SLOTS, Table};
use std::f64::consts::LN_2;

/// Half the width of the interval of `e^-v`: `ln2/2`, widened for the
/// rounding of `n` (`v` is exact, `n` the rounded `-a log2 e`).
const NEG_HALF_WIDTH: f64 = LN_2 / 2.0 + 1.0 / 4096.0;

pub fn tables() -> Vec<Table> {
    let expm1 = Polynomial {
        f: Box::new(f64::exp_m1),
        fixed: Box::new(|r| r),
        lo: -LN_2 / 32.0,
        hi: LN_2 / 32.0,
        centre: 0.0,
        exps: &[2, 3],
        weight: Weight::Absolute,
        columns: vec!["EXPM1_C2".into(), "EXPM1_C3".into()],
        split: None,
        kernel: Some(KernelStep {
            about: "1 + r (1 + r h)  vs  e^r",
            finish: Box::new(|r, h, _| 1.0 + r * h.mul_add(r, 1.0)),
            reference: Box::new(f64::exp),
        }),
    };
    let exp_neg = Polynomial {
        f: Box::new(|v: f64| (-v).exp()),
        fixed: Box::new(|_| 1.0),
        lo: -NEG_HALF_WIDTH,
        hi: NEG_HALF_WIDTH,
        centre: 0.0,
        exps: &[1, 2, 3, 4, 5, 6],
        weight: Weight::Relative,
        columns: (1..=6).map(|k| format!("EXP_NEG_C{k}")).collect(),
        split: None,
        kernel: Some(KernelStep {
            about: "fma(v, h, 1)  vs  e^-v",
            finish: Box::new(|v, h, _| h.mul_add(v, 1.0)),
            reference: Box::new(|v: f64| (-v).exp()),
        }),
    };
    let sixteenths = (0..SLOTS)
        .map(|k| {
            let (hi, lo) = split_f32((k as f64 / 16.0).exp2());
            Entry {
                slot: k,
                poly: None,
                consts: vec![("EXP2_16_HI".into(), hi), ("EXP2_16_LO".into(), lo)],
            }
        })
        .collect();
    vec![
        Table {
            name: "exp_neg",
            about: "EXP_NEG_C1..EXP_NEG_C6: e^-v on [-ln2/2, ln2/2] (widened by 2^-12), \
                    degree 6: 1 + v (c1 + v (c2 + ... + c6 v)), the last step one FMA; \
                    relative error 2^-28.2 (f32 coefficients)",
            entries: vec![Entry::fit(0, exp_neg)],
            rounding: Rounding::LowestFirst,
            alternation: Alternation::Reduced,
            slots: 16,
            printed: [
                "EXP_NEG_C1",
                "EXP_NEG_C2",
                "EXP_NEG_C3",
                "EXP_NEG_C4",
                "EXP_NEG_C5",
                "EXP_NEG_C6",
            ]
            .map(Printed::Scalar)
            .to_vec(),
        },
        Table::scalars(
            "exp_poly",
            "EXPM1_C2, EXPM1_C3: e^r - 1 on [-ln2/32, ln2/32], degree 3: \
             r + c2 r^2 + c3 r^3, evaluated as r (1 + r (c2 + c3 r)); absolute \
             error 2^-29.2 (= the relative error of e^r = 1 + that)",
            Entry::fit(0, expm1),
            &["EXPM1_C2", "EXPM1_C3"],
        ),
        Table {
            name: "exp2_16",
            about: "EXP2_16_HI, EXP2_16_LO: 2^(k/16) for k in [0, 15], rounded to f32, \
                    and the remainder rounded to f32 (exact constants, no fit; their sum \
                    is 2^(k/16) to 2^-48 relative)",
            entries: sixteenths,
            rounding: Rounding::Nearest,
            alternation: Alternation::Reduced,
            slots: 16,
            printed: vec![Printed::Array("EXP2_16_HI"), Printed::Array("EXP2_16_LO")],
        },
    ]
}
