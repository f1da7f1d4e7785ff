//! `e^(K r)` on the reduced interval `|K r| <= ln2/2`, for the kernels that
//! fold a constant factor `K` of their argument into the exponential's
//! reduction (`ScaledExp` in `kernels/exp.rs`): `gelu_tanh` and
//! `gelu_quick`.

use crate::remez::Weight;
use crate::table::{Entry, KernelStep, Polynomial, Table};
use std::f64::consts::LN_2;

/// How far `r` can stray past `ln2 / (2 K)`: the rounding of `K / ln2` in
/// the choice of `n`, and the low part of the argument, added after it.
const SLACK: f64 = 1.0 / 1024.0;

/// The table `name`: `c2..c6` of `1 + K r + c2 r^2 + ... + c6 r^6`, fitted
/// to `e^(K r)` with relative weight; `k_name` names `K` in the printout.
pub fn table(name: &'static str, k: f64, k_name: &str) -> Table {
    let half = LN_2 / (2.0 * k) + SLACK;
    let exp = Polynomial {
        f: Box::new(move |r| (k * r).exp()),
        fixed: Box::new(move |r| 1.0 + k * r),
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
            about: "fma(K + r h, r, 1)  vs  e^(K r)",
            finish: Box::new(move |r, h, _| h.mul_add(r, k as f32).mul_add(r, 1.0)),
            reference: Box::new(move |r| (k * r).exp()),
        }),
    };
    Table::scalars(
        name,
        // One table per kernel, made once per run of the fitter.
        Box::leak(
            format!(
                "EXP_C2..EXP_C6: e^({k_name} r) on [-ln2/(2 {k_name}), ln2/(2 {k_name})] \
                 (and a little slack), degree 6: 1 + r ({k_name} + r (c2 + ... + c6 \
                 r^4)) (the kernel multiplies it by 2^n)"
            )
            .into_boxed_str(),
        ),
        Entry::fit(0, exp),
        &["EXP_C2", "EXP_C3", "EXP_C4", "EXP_C5", "EXP_C6"],
    )
}
