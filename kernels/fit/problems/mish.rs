//! `kernels/mish.rs`: `tanh(softplus(x))` per exponent `n` of `e^-|x|`.

use crate::family::{Entry, Family};
use crate::remez::Weight;
use std::f64::consts::LN_2;

/// Half the width of the reduced interval, with room for the rounding of
/// `n = round(a log2 e)` with an f32 `log2 e` at `|a| <= 260`.
const V_MAX: f64 = 0.5 * LN_2 + 1.0 / 65536.0;

/// `E = 2^n e^-v = e^-|x|`.
fn e_of(n: f64, v: f64) -> f64 {
    n.exp2() * (-v).exp()
}

/// `x <= 0`: `2^-n tanh(softplus(x)) = 2^-n E (E + 2) / (E^2 + 2E + 2)`; for
/// `n = -inf` its limit `e^-v`.
fn left(n: f64, v: f64) -> f64 {
    if n == f64::NEG_INFINITY {
        return (-v).exp();
    }
    let e = e_of(n, v);
    (-n).exp2() * e * (e + 2.0) / (e * (e + 2.0) + 2.0)
}

/// `x > 0`: `tanh(softplus(x)) - 1 = -2E^2 / (2E^2 + 2E + 1)`.
fn right(n: f64, v: f64) -> f64 {
    let e = e_of(n, v);
    -2.0 * e * e / (2.0 * e * e + 2.0 * e + 1.0)
}

fn entries(tail: f64) -> Vec<Entry> {
    let mut entries = vec![Entry {
        index: 0,
        param: tail,
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
    entries
}

pub fn families() -> Vec<Family> {
    vec![
        Family {
            name: "mish_left",
            about: "MISH_LEFT: 2^-n tanh(softplus(x)), x = n ln2 - v <= 0, at entry n + 15 \
                    for n in [-14, 0]; e^-v at entry 0 (n <= -15, where the kernel \
                    multiplies by 1 - 2^(n-1) e^-v)",
            f: left,
            variable: "v",
            entries: entries(f64::NEG_INFINITY),
            exps: &[0, 1, 2, 3, 4, 5, 6],
            weight: Weight::Relative,
            table: "MISH_LEFT",
            constant_lo: None,
        },
        Family {
            name: "mish_right",
            about: "MISH_RIGHT: tanh(softplus(x)) - 1, -x = n ln2 - v < 0, at entry n + 15 \
                    for n in [-14, 0]; absolute error",
            f: right,
            variable: "v",
            entries: entries(-15.0),
            exps: &[0, 1, 2, 3, 4, 5, 6],
            weight: Weight::Absolute,
            table: "MISH_RIGHT",
            constant_lo: None,
        },
    ]
}
