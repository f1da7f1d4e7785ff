//! `kernels/gelu.rs`: `e^r` on the reduced interval and the scaled tail
//! `G` per segment.

use super::Problem;
use crate::remez::{Var, Weight};
use crate::table::{Segment, Table};
use std::f64::consts::{FRAC_1_SQRT_2, LN_2};

/// `G(a) = a e^(a^2/2) Psi(a)`, `Psi(a) = erfc(a / sqrt 2) / 2`.
fn scaled_tail(a: f64) -> f64 {
    a * (0.5 * a * a).exp() * 0.5 * libm::erfc(a * FRAC_1_SQRT_2)
}

/// `G0(a) = -a e^(a^2/2) (Phi(a) - 1/2)`: near zero the kernel computes
/// `gelu(x) = x/2 - G0(a) e^(-a^2/2)` for both signs of `x`.
fn scaled_centre(a: f64) -> f64 {
    -a * (0.5 * a * a).exp() * 0.5 * libm::erf(a * FRAC_1_SQRT_2)
}

/// How far `s` can stray past `ln2/16`: the rounding of `8/ln2` in the choice
/// of `k` and the low part of `a^2`, added after it.
const EXP_SLACK: f64 = 1.0 / 32768.0;

/// The kernel's segment index: bits 20..24 of `a + INDEX_SHIFT`.
const INDEX_SHIFT: f64 = 5.25;
/// The largest `a` the kernel evaluates.
const TAIL_MAX: f64 = 14.5;

/// The segments of `[0, TAIL_MAX]`: eighths of each binade of
/// `a + INDEX_SHIFT`, widened by a few ulps of `a + INDEX_SHIFT` on each side
/// (it is rounded before its bits are taken). The one at zero fits `G0`
/// without constant and linear terms around 0, the others `G`.
fn segments() -> Vec<Segment> {
    let mut v = Vec::new();
    let mut b = INDEX_SHIFT.log2().floor().exp2();
    while b - INDEX_SHIFT < TAIL_MAX {
        let w = b / 8.0;
        let slack = b * 2f64.powi(-21);
        for k in 0..8 {
            let s = b + w * f64::from(k);
            let (x0, x1) = (
                (s - INDEX_SHIFT).max(0.0),
                (s + w - INDEX_SHIFT).min(TAIL_MAX),
            );
            if x1 <= x0 {
                continue;
            }
            let seg = if x0 == 0.0 {
                Segment {
                    f: scaled_centre,
                    lo: 0.0,
                    hi: x1 + slack,
                    centre: Some(0.0),
                    exps: &[2, 3, 4, 5, 6],
                }
            } else {
                Segment {
                    f: scaled_tail,
                    lo: x0 - slack,
                    hi: if x1 < TAIL_MAX { x1 + slack } else { x1 },
                    centre: None,
                    exps: &[0, 1, 2, 3, 4, 5, 6],
                }
            };
            v.push(seg);
        }
        b *= 2.0;
    }
    v
}

pub fn problems() -> Vec<Problem> {
    vec![Problem {
        name: "gelu_exp",
        about: "EXP_C2, EXP_C3: e^(s/2) on [-ln2/16, ln2/16] (and a little slack) as \
                1 + s/2 + s^2 (c2 + c3 s), relative error; the kernel multiplies it by a \
                table entry 2^(j/16)",
        f: |s| (0.5 * s).exp(),
        fixed: |s| 1.0 + 0.5 * s,
        var: Var::X,
        exps: &[2, 3],
        lo: -LN_2 / 16.0 - EXP_SLACK,
        hi: LN_2 / 16.0 + EXP_SLACK,
        weight: Weight::Relative,
        finish: |s, h| h.mul_add(s, 0.5).mul_add(s, 1.0),
        finish_about: "1 + s (1/2 + s h)  vs  exp(s/2)",
        reference: |s| (0.5 * s).exp(),
    }]
}

pub fn tables() -> Vec<Table> {
    vec![Table {
        name: "gelu_tail",
        about: "G(a) = a e^(a^2/2) Psi(a) per segment of [0, 14.5] (G0 on the first)",
        segments: segments(),
        index: |a| ((a + INDEX_SHIFT as f32).to_bits() >> 20) as usize & 15,
        exps: &[0, 1, 2, 3, 4, 5, 6],
        weight: Weight::Relative,
        prefix: "TAIL_",
    }]
}
