//! `kernels/softplus.rs`: `log1p(2^n e^-v)` per exponent `n`.

use crate::family::{Entry, Family};
use crate::remez::Weight;
use std::f64::consts::LN_2;

/// Half the width of the reduced interval, with room for the rounding of
/// `n = round(a log2 e)` with an f32 `log2 e` at `|a| <= 260`.
const V_MAX: f64 = 0.5 * LN_2 + 1.0 / 65536.0;

/// `2^-n log1p(2^n e^-v)`; for `n = -inf` its limit `e^-v`.
fn scaled_log1p_exp(n: f64, v: f64) -> f64 {
    if n == f64::NEG_INFINITY {
        (-v).exp()
    } else {
        (-n).exp2() * libm::log1p(n.exp2() * (-v).exp())
    }
}

pub fn families() -> Vec<Family> {
    let mut entries = vec![Entry {
        index: 0,
        param: f64::NEG_INFINITY,
        lo: -V_MAX,
        hi: V_MAX,
    }];
    for n in -14..=0 {
        entries.push(Entry {
            index: (n + 15) as usize,
            param: f64::from(n),
            lo: if n == 0 { 0.0 } else { -V_MAX },
            hi: V_MAX,
        });
    }
    vec![Family {
        name: "softplus",
        about: "SOFTPLUS_POLY: 2^-n log1p(2^n e^-v) at entry n + 15 for n in [-14, 0]; \
                e^-v at entry 0 (n <= -15, where the kernel multiplies by 1 - 2^(n-1) e^-v)",
        f: scaled_log1p_exp,
        variable: "v",
        entries,
        exps: &[0, 1, 2, 3, 4, 5, 6],
        weight: Weight::Relative,
        table: "SOFTPLUS_POLY",
        constant_lo: Some("SOFTPLUS_C0_LO"),
    }]
}
