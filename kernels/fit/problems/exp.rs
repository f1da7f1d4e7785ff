//! `kernels/exp.rs`: `e^r - 1` on the reduced interval, and the table of
//! `2^(k/16)`.

use crate::remez::{Alternation, Weight, split_f32};
use crate::table::{Entry, KernelStep, Polynomial, Printed, Rounding, SLOTS, Table};
use std::f64::consts::LN_2;

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
            name: "exp_poly",
            about: "EXPM1_C2, EXPM1_C3: e^r - 1 on [-ln2/32, ln2/32], degree 3: \
                    r + c2 r^2 + c3 r^3, evaluated as r (1 + r (c2 + c3 r)); absolute \
                    error 2^-29.2 (= the relative error of e^r = 1 + that)",
            entries: vec![Entry::fit(0, expm1)],
            rounding: Rounding::Nearest,
            alternation: Alternation::Reduced,
            printed: vec![Printed::Scalar("EXPM1_C2"), Printed::Scalar("EXPM1_C3")],
        },
        Table {
            name: "exp2_16",
            about: "EXP2_16_HI, EXP2_16_LO: 2^(k/16) for k in [0, 15], rounded to f32, \
                    and the remainder rounded to f32 (exact constants, no fit; their sum \
                    is 2^(k/16) to 2^-48 relative)",
            entries: sixteenths,
            rounding: Rounding::Nearest,
            alternation: Alternation::Reduced,
            printed: vec![Printed::Array("EXP2_16_HI"), Printed::Array("EXP2_16_LO")],
        },
    ]
}
