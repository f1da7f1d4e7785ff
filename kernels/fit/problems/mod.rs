//! The fitting problems, one file per kernel: every constant of the kernels'
//! approximations.

use crate::remez::Weight;
use crate::table::{KernelStep, Polynomial, Table};

mod erf;
mod exp;
mod expm1;
mod gelu;
mod gelu_quick;
mod gelu_tanh;
mod scaled_exp;
mod softplus;
mod tanh;

/// The tables of one kernel, `kernels/{name}.rs`.
pub struct Kernel {
    pub name: &'static str,
    pub tables: Vec<Table>,
}

/// Every kernel with fitted or tabulated constants.
pub fn kernels() -> Vec<Kernel> {
    vec![
        Kernel {
            name: "erf",
            tables: erf::tables(),
        },
        Kernel {
            name: "exp",
            tables: exp::tables(),
        },
        Kernel {
            name: "expm1",
            tables: expm1::tables(),
        },
        Kernel {
            name: "gelu",
            tables: gelu::tables(),
        },
        Kernel {
            name: "gelu_quick",
            tables: gelu_quick::tables(),
        },
        Kernel {
            name: "gelu_tanh",
            tables: gelu_tanh::tables(),
        },
        Kernel {
            name: "softplus",
            tables: softplus::tables(),
        },
        Kernel {
            name: "tanh",
            tables: tanh::tables(),
        },
    ]
}

/// A piece in the kernels' relative form `fma(a, P(u), a)` (see `OddPieces`
/// in `kernels/mod.rs`): `P ≈ f(a)/a - 1` in `u = a - centre`, with the
/// exponents `exps` (one per column),
/// for the pieces next to 0, where tiny and subnormal `a` keep full relative
/// accuracy. `f_over_x` is `f(a)/a` (its limit at 0 included); `about`
/// names the check in the printout.
pub fn times_a_piece(
    f: fn(f64) -> f64,
    f_over_x: fn(f64) -> f64,
    (lo, hi, centre): (f64, f64, f64),
    (exps, columns): (&'static [u32], &[&str]),
    about: &'static str,
) -> Polynomial {
    Polynomial {
        f: Box::new(f_over_x),
        fixed: Box::new(|_| 1.0),
        lo,
        hi,
        centre,
        exps,
        weight: Weight::Relative,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        split: None,
        kernel: Some(KernelStep {
            about,
            finish: Box::new(|a, p, _| a.mul_add(p, a)),
            reference: Box::new(f),
        }),
    }
}

/// A piece in the split-constant form `HI + fma(u, P(u), LO)`, `u = a -
/// centre`: `HI + LO`, two `f32`, is the constant term and `P` carries the
/// exponents `exps[1..]` (minus one); checked in that form.
pub fn split_piece(
    f: fn(f64) -> f64,
    (lo, hi, centre): (f64, f64, f64),
    exps: &'static [u32],
    weight: Weight,
    (columns, split): (&[&str], [&str; 2]),
    about: &'static str,
) -> Polynomial {
    let c32 = centre as f32;
    Polynomial {
        f: Box::new(f),
        fixed: Box::new(|_| 0.0),
        lo,
        hi,
        centre,
        exps,
        weight,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        split: Some(split.map(String::from)),
        kernel: Some(KernelStep {
            about,
            finish: Box::new(move |a, p, [hi, lo]| hi + (a - c32).mul_add(p, lo)),
            reference: Box::new(f),
        }),
    }
}
