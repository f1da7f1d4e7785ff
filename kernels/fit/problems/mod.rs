//! The fitting problems, one file per kernel.

use crate::remez::{Var, Weight};

mod exp;
mod expm1;

/// A named fitting problem and the f32 kernel that will use its coefficients.
#[derive(Clone, Copy)]
pub struct Problem {
    pub name: &'static str,
    pub about: &'static str,
    pub f: fn(f64) -> f64,
    pub fixed: fn(f64) -> f64,
    pub var: Var,
    pub exps: &'static [u32],
    pub lo: f64,
    pub hi: f64,
    pub weight: Weight,
    /// Final step of the f32 kernel from `x` and the Horner value `h`.
    pub finish: fn(f32, f32) -> f32,
    /// Formula of `finish`, for the printout.
    pub finish_about: &'static str,
    /// What `finish` approximates (the ULP reference).
    pub reference: fn(f64) -> f64,
}

/// Every problem.
pub fn all() -> Vec<Problem> {
    [exp::problems(), expm1::problems()].concat()
}
