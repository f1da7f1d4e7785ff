//! `kernels/expm1.rs`: `e^v - 1` near 0, where `e^v` minus one would cancel.

use super::Problem;
use crate::remez::{Var, Weight};

pub fn problems() -> Vec<Problem> {
    vec![Problem {
        name: "expm1",
        about: "EXPM1_SMALL: e^v - 1 on [-1/4, 1/4] as v + v^2 (c2 + c3 v + ... + c6 v^4), \
                relative error; the kernel evaluates v + v (v h)",
        f: f64::exp_m1,
        fixed: |v| v,
        var: Var::X,
        exps: &[2, 3, 4, 5, 6],
        lo: -0.25,
        hi: 0.25,
        weight: Weight::Relative,
        finish: |v, h| v.mul_add(v * h, v),
        finish_about: "v + v (v h)  vs  expm1(v)",
        reference: f64::exp_m1,
    }]
}
