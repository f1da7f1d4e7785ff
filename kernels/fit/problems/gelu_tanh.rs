//! `kernels/gelu_tanh.rs`: `e^r` on the reduced interval.

use super::Problem;
use crate::remez::{Var, Weight};
use std::f64::consts::LN_2;

/// How far `r` can stray past `ln2/32`: the rounding of `16/ln2` in the
/// choice of `k` and the low part of the argument, added after it.
const SLACK: f64 = 1.0 / 65536.0;

pub fn problems() -> Vec<Problem> {
    vec![Problem {
        name: "gelu_tanh_exp",
        about: "EXP_C2, EXP_C3: e^r on [-ln2/32, ln2/32] (and a little slack) as \
                1 + r + r^2 (c2 + c3 r), relative error; the kernel multiplies it by a \
                table entry 2^(j/16)",
        f: f64::exp,
        fixed: |r| 1.0 + r,
        var: Var::X,
        exps: &[2, 3],
        lo: -LN_2 / 32.0 - SLACK,
        hi: LN_2 / 32.0 + SLACK,
        weight: Weight::Relative,
        finish: |r, h| h.mul_add(r, 1.0).mul_add(r, 1.0),
        finish_about: "1 + r (1 + r h)  vs  exp(r)",
        reference: f64::exp,
    }]
}
