//! `kernels/gelu_tanh.rs`: `e^(K3 r)` on the reduced interval, `|K3 r| <=
//! ln2/2`.

use crate::remez::Weight;
use crate::table::{Entry, KernelStep, Polynomial, Table};
use std::f64::consts::LN_2;

/// `K3 = 0.044715 * 2 sqrt(2/pi)`, the cubic coefficient of `v = 2u`.
const K3: f64 = 0.044_715 * 1.595_769_121_605_730_8;
/// How far `r` can stray past `ln2 / (2 K3)`: the rounding of `K3 / ln2` in
/// the choice of `n`, and the low part of the argument, added after it.
const SLACK: f64 = 1.0 / 1024.0;

pub fn tables() -> Vec<Table> {
    let half = LN_2 / (2.0 * K3) + SLACK;
    let exp = Polynomial {
        f: Box::new(|r| (K3 * r).exp()),
        fixed: Box::new(|r| 1.0 + K3 * r),
        lo: -half,
        hi: half,
        centre: 0.0,
        exps: &[2, 3, 4, 5, 6],
        weight: Weight::Relative,
        columns: ["EXP_C2", "EXP_C3", "EXP_C4", "EXP_C5", "EXP_C6"]
            .map(String::from)
            .to_vec(),
        split: None,
        kernel: Some(KernelStep {
            about: "1 + r (K3 + r h)  vs  e^(K3 r)",
            finish: Box::new(|r, h, _| 1.0 + h.mul_add(r, K3 as f32) * r),
            reference: Box::new(|r| (K3 * r).exp()),
        }),
    };
    vec![Table::scalars(
        "gelu_tanh_exp",
        "EXP_C2..EXP_C6: e^(K3 r) on [-ln2/(2 K3), ln2/(2 K3)] (and a little \
         slack), degree 6: 1 + r (K3 + r (c2 + ... + c6 r^4)) (the kernel \
         multiplies it by 2^n)",
        Entry::fit(0, exp),
        &["EXP_C2", "EXP_C3", "EXP_C4", "EXP_C5", "EXP_C6"],
    )]
}
