//! `kernels/gelu_tanh.rs`: `e^(K3 r)` on the reduced interval.

use crate::remez::{Alternation, Weight};
use crate::table::{Entry, KernelStep, Polynomial, Printed, Rounding, Table};
use std::f64::consts::LN_2;

/// `K3 = 0.044715 * 2 sqrt(2/pi)`, the cubic coefficient of `v = 2u`.
const K3: f64 = 0.044_715 * 1.595_769_121_605_730_8;
/// How far `r` can stray past `ln2 / (32 K3)`: the rounding of
/// `16 K3 / ln2` in the choice of `k`, and the low part of the argument,
/// added after it.
const SLACK: f64 = 1.0 / 4096.0;

pub fn tables() -> Vec<Table> {
    let half = LN_2 / (32.0 * K3) + SLACK;
    let exp = Polynomial {
        f: Box::new(|r| (K3 * r).exp()),
        fixed: Box::new(|r| 1.0 + K3 * r),
        lo: -half,
        hi: half,
        centre: 0.0,
        exps: &[2, 3],
        weight: Weight::Relative,
        columns: vec!["EXP_C2".into(), "EXP_C3".into()],
        split: None,
        kernel: Some(KernelStep {
            about: "1 + r (K3 + r h)  vs  e^(K3 r)",
            finish: Box::new(|r, h, _| 1.0 + h.mul_add(r, K3 as f32) * r),
            reference: Box::new(|r| (K3 * r).exp()),
        }),
    };
    vec![Table {
        name: "gelu_tanh_exp",
        about: "EXP_C2, EXP_C3: e^(K3 r) on [-ln2/(32 K3), ln2/(32 K3)] (and a little \
                slack), degree 3: 1 + K3 r + r^2 (c2 + c3 r); relative error 2^-29.2 (the \
                kernel multiplies it by a table entry 2^(j/16))",
        entries: vec![Entry::fit(0, exp)],
        rounding: Rounding::Nearest,
        alternation: Alternation::Reduced,
        printed: vec![Printed::Scalar("EXP_C2"), Printed::Scalar("EXP_C3")],
    }]
}
