//! `kernels/exp.rs`: `e^r - 1` on the reduced interval.

use super::Problem;
use crate::remez::{Var, Weight};
use std::f64::consts::LN_2;

pub fn problems() -> Vec<Problem> {
    vec![Problem {
        name: "exp",
        about: "EXPM1_POLY: e^r - 1 on [-ln2/32, ln2/32] as r + c2 r^2 + c3 r^3, absolute \
                error (= relative error of e^r = 1 + that); the kernel evaluates \
                r (1 + r (c2 + c3 r))",
        f: f64::exp_m1,
        fixed: |r| r,
        var: Var::X,
        exps: &[2, 3],
        lo: -LN_2 / 32.0,
        hi: LN_2 / 32.0,
        weight: Weight::Absolute,
        finish: |r, h| 1.0 + r * h.mul_add(r, 1.0),
        finish_about: "1 + r (1 + r h)  vs  exp(r)",
        reference: f64::exp,
    }]
}
