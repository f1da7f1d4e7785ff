//! `kernels/exp.rs`: `e^r` on the reduced interval.

use super::Problem;
use crate::remez::{Var, Weight};
use std::f64::consts::LN_2;

pub fn problems() -> Vec<Problem> {
    vec![Problem {
        name: "exp",
        about: "EXP_POLY: e^r on [-ln2/2, ln2/2] as 1 + r + r^2 (c2 + ... + c6 r^4), \
                relative error; the kernel evaluates it by Horner from c6 down to the \
                fixed 1, 1",
        f: f64::exp,
        fixed: |r| 1.0 + r,
        var: Var::X,
        exps: &[2, 3, 4, 5, 6],
        lo: -0.5 * LN_2,
        hi: 0.5 * LN_2,
        weight: Weight::Relative,
        finish: |r, h| h.mul_add(r, 1.0).mul_add(r, 1.0),
        finish_about: "1 + r (1 + r h)  vs  exp(r)",
        reference: f64::exp,
    }]
}
