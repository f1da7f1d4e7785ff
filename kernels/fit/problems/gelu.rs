//! `kernels/gelu.rs`: `Phi` near 0 and the scaled tail `G` per segment.

use super::Problem;
use crate::remez::{Var, Weight};
use crate::table::{Segment, Table};
use std::f64::consts::FRAC_1_SQRT_2;

/// `G(a) = a e^(a^2/2) Psi(a)`, `Psi(a) = erfc(a / sqrt 2) / 2`.
fn scaled_tail(a: f64) -> f64 {
    a * (0.5 * a * a).exp() * 0.5 * libm::erfc(a * FRAC_1_SQRT_2)
}

/// Half binades of `[0.25, 16)`, centred on their midpoints.
fn half_binades() -> Vec<Segment> {
    let mut v = Vec::new();
    let mut lo = 0.25;
    while lo < 16.0 {
        for j in 0..2 {
            let a = lo * (1.0 + 0.5 * f64::from(j));
            let b = a + 0.5 * lo;
            v.push(Segment { lo: a, hi: b, centre: 0.5 * (a + b) });
        }
        lo *= 2.0;
    }
    v
}

/// Segments of `[lo, hi)` whose index is the top bits of `a + shift`:
/// `per_binade` equal parts of each binade of `a + shift`, widened by a few
/// ulps of `a + shift` on each side (it is rounded before its bits are taken).
fn shifted_segments(shift: f64, per_binade: f64, lo: f64, hi: f64) -> Vec<Segment> {
    let mut v = Vec::new();
    let mut b = (lo + shift).log2().floor().exp2();
    while b - shift < hi {
        let w = b / per_binade;
        let slack = b * 2f64.powi(-21);
        let mut s = b;
        while s < 2.0 * b {
            let (x0, x1) = ((s - shift).max(lo), (s + w - shift).min(hi));
            if x1 > x0 {
                let x0 = if x0 > lo { x0 - slack } else { x0 };
                let x1 = if x1 < hi { x1 + slack } else { x1 };
                v.push(Segment { lo: x0, hi: x1, centre: 0.5 * (x0 + x1) });
            }
            s += w;
        }
        b *= 2.0;
    }
    v
}

/// `gelu(x) = 0.5 x erfc(-x / sqrt 2)`.
fn gelu(x: f64) -> f64 {
    0.5 * x * libm::erfc(-x * FRAC_1_SQRT_2)
}

pub fn problems() -> Vec<Problem> {
    vec![Problem {
        name: "gelu_small",
        about: "SMALL_POLY: S(x) = (Phi(x) - 1/2) / x on [0, 0.25] in x^2, relative error; \
                the kernel computes gelu(x) = x/2 + x^2 S(x)",
        f: |x| 0.5 * libm::erf(x * FRAC_1_SQRT_2) / x,
        fixed: |_| 0.0,
        var: Var::Square,
        exps: &[0, 1, 2],
        lo: 0.0,
        hi: 0.25,
        weight: Weight::Relative,
        finish: |x, h| (x * x).mul_add(h, 0.5 * x),
        finish_about: "x/2 + x^2 h  vs  gelu(x)",
        reference: gelu,
    }]
}

pub fn tables() -> Vec<Table> {
    vec![Table {
        name: "gelu_tail",
        about: "G(a) = a e^(a^2/2) Psi(a) on half binades of [0.25, 16)",
        f: scaled_tail,
        segments: shifted_segments(5.0, 8.0, 0.25, 14.5),
        exps: &[0, 1, 2, 3, 4, 5, 6],
        weight: Weight::Relative,
        index: |a| ((a + 5.0).to_bits() >> 20) as usize & 15,
        prefix: "TAIL_",
    }]
}
