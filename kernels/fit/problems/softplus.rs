//! `kernels/softplus.rs`: `log1p(E) = 2 atanh(s)`, `s = E / (2 + E)`, as
//! `2 s (1 + z P(z))`, `z = s^2` in `[0, 1/9]` (`E` in `[0, 1]`).

use crate::remez::{Alternation, Weight};
use crate::table::{Entry, KernelStep, Polynomial, Printed, Rounding, Table};

/// The kernel's constants, `c1` to `c4`.
const NAMES: [&str; 4] = ["SOFTPLUS_C1", "SOFTPLUS_C2", "SOFTPLUS_C3", "SOFTPLUS_C4"];

/// The largest `z`: `s <= 1/3` at `E = 1`, with room for the rounding of
/// the kernel's `s` (a few ulps).
const Z_MAX: f64 = 1.0 / 9.0 + 1e-6;

/// `atanh(sqrt(z)) / sqrt(z)`, its limit 1 at 0.
fn atanh_over_s(z: f64) -> f64 {
    if z == 0.0 {
        return 1.0;
    }
    let s = z.sqrt();
    libm::atanh(s) / s
}

pub fn tables() -> Vec<Table> {
    let poly = Polynomial {
        f: Box::new(atanh_over_s),
        fixed: Box::new(|_| 1.0),
        lo: 0.0,
        hi: Z_MAX,
        centre: 0.0,
        exps: &[1, 2, 3, 4],
        weight: Weight::Relative,
        columns: NAMES.iter().map(|c| c.to_string()).collect(),
        split: None,
        kernel: Some(KernelStep {
            about: "1 + z P  vs  atanh(s)/s",
            finish: Box::new(|z, p, _| z.mul_add(p, 1.0)),
            reference: Box::new(atanh_over_s),
        }),
    };
    vec![Table {
        name: "softplus",
        about: "SOFTPLUS_C1..C4: atanh(s)/s = 1 + z (c1 + c2 z + c3 z^2 + c4 z^3), \
                z = s^2 in [0, 1/9], minimax for relative error",
        entries: vec![Entry::fit(0, poly)],
        rounding: Rounding::LowestFirst,
        alternation: Alternation::Reduced,
        slots: 16,
        printed: NAMES.iter().map(|c| Printed::Scalar(c)).collect(),
    }]
}
