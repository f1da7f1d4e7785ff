//! `kernels/gelu_tanh.rs`: `e^(K3 r)` on the reduced interval.

use super::Problem;
use crate::remez::{Var, Weight};
use std::f64::consts::LN_2;

/// `K3 = 0.044715 * 2 sqrt(2/pi)`, the cubic coefficient of `v = 2u`.
const K3: f64 = 0.044_715 * 1.595_769_121_605_730_8;
/// How far `r` can stray past `ln2 / (32 K3)`: the rounding of
/// `16 K3 / ln2` in the choice of `k`, and the low part of the argument,
/// added after it.
const SLACK: f64 = 1.0 / 4096.0;

pub fn problems() -> Vec<Problem> {
    let half = LN_2 / (32.0 * K3) + SLACK;
    vec![Problem {
        name: "gelu_tanh_exp",
        about: "EXP_C2, EXP_C3: e^(K3 r) on [-ln2/(32 K3), ln2/(32 K3)] (and a little \
                slack) as 1 + K3 r + r^2 (c2 + c3 r), relative error; the kernel multiplies it \
                by a table entry 2^(j/16)",
        f: |r| (K3 * r).exp(),
        fixed: |r| 1.0 + K3 * r,
        var: Var::X,
        exps: &[2, 3],
        lo: -half,
        hi: half,
        weight: Weight::Relative,
        finish: |r, h| h.mul_add(r, 1.0),
        finish_about: "1 + r h  vs  exp(K3 r)",
        reference: |r| (K3 * r).exp(),
    }]
}
