//! `gelu_quick(x) = x sigmoid(1.702 x)`, QuickGELU (CLIP, ONNX Runtime's
//! `QuickGelu`).
//!
//! With `a = |x|` and `E = e^-(K a)`, `K = 1.702`:
//! `sigmoid(K x) = 1 / (1 + E)` for `x >= 0` and `E / (1 + E)` for `x < 0`, as
//! `silu` takes it with `K = 1` (see `XSigmoid` in `kernels/sigmoid.rs`,
//! shared with `silu` and `gelu_tanh`). In the left tail the result is about
//! `x E` with `K a` up to 109, so the product `K a` must not be rounded (a
//! rounded `1.702 x` would move the result by up to half an ulp of `K a`,
//! relative: up to about 64 ULP near `x = -53.7`, the last normal results):
//! `K` is folded into the exponential's reduction instead ([`ScaledExp`]),
//! `n = round(-K a / ln2)` and `r = -a - n L`, `L = ln2 / K` in two parts, so
//! `E = 2^n e^(K r)`, `|K r| <= ln2/2`, with no table:
//! `e^(K r) = 1 + r (K + r h(r))`, `h` of degree 4, `m = e^(K r)` rounded once
//! (within 0.80 ulp as fitted and evaluated,
//! `cargo run --release --bin fit -- gelu_quick_exp`). `-a - n L_HI` is exact:
//! `L_HI` (`0x1.a10754p-2`) is a multiple of 2^-25, and where `n != 0`,
//! `a >= 0.2` is a multiple of 2^-26, so the difference is one too, and below
//! 1/4.
//!
//! The quotient is compensated as `silu`'s, for the numerator `m` on every
//! lane: `W = -a q - a c` with one rounding is `-a sigmoid(-K a)` scaled by
//! `2^-n`, scaled by `2^n` last, fused with the sum that follows it, so
//! results in the subnormal range are rounded once, and
//! `gelu_quick(x) = max(x, 0) + W` (`W` for `x < 0`, added to `-0.0`; for
//! `x > 0`, `x` less `E` times the result): no select of the numerator or
//! of the result, and no division but the one. `|x|` is clamped to 64 where
//! it enters the exponential (`|gelu_quick(-64)|` is about 2^-151.1, below
//! half the smallest subnormal, and so is every value to its left); past 64
//! on the right, `W` rounds to `-0.0`, so `gelu_quick(x) = x` there.
//!
//! Within `|x| <= 48` it takes `silu`'s short form (`XSigmoid::short`; the
//! driver's main loop takes it for an iteration whose every `|x|` is within
//! the bound): `E` is normal there (at least about `2^-117.9`), so it is
//! scaled first and the quotient of `E / (1 + E)` is taken at its scale,
//! with no clamp and no scaling after; the general form takes the same
//! operations within the bound (`XSigmoid::rounded_within`), so the bits are
//! the same either way.
//!
//! The gated unit (`geglu_quick`) rounds the product by `up` once from the
//! value before the last rounding, as `geglu_tanh` does (`XSigmoid::times`).
//!
//! Measured max error: 1.736 ULP over every `f32` (exhaustive, worst at
//! `x = -45.82936`, in the left tail, where `E`'s error reaches the result
//! whole); every path gives the scalar path's bits.
//!
//! Special values: `gelu_quick(NaN) = NaN`, `gelu_quick(-inf) = -0.0`,
//! `gelu_quick(+inf) = +inf`, `gelu_quick(±0) = ±0`.

use super::exp::{Pow2, ScaledExp};
use super::sigmoid::{XSigmoid, XSigmoidForm};
use crate::simd::Simd;

/// `e^(K r)`, `K = 1.702` (`0x1.b3b646p+0` rounded, `K / ln2`
/// `0x1.3a4cbep+1`), and `L = ln2 / K` in two parts (`0x1.a10754p-2` and
/// `-0x1.2f1ed0p-28`). `c2..c6` as fitted (relative error 2^-28.2 with the
/// `f32` coefficients and the exact `K`; `fit -- gelu_quick_exp`).
const EXP: ScaledExp = ScaledExp::new(K, [EXP_C2, EXP_C3, EXP_C4, EXP_C5, EXP_C6]);

/// QuickGELU's factor.
const K: f64 = 1.702;

/// `c2..c6` of `EXP` (`fit -- gelu_quick_exp`, which prints them so).
const EXP_C2: f32 = 1.448_401_8e0; // 0x1.72ca76p+0
/// See [`EXP_C2`].
const EXP_C3: f32 = 8.217_194e-1; // 0x1.a4b868p-1
/// See [`EXP_C2`].
const EXP_C4: f32 = 3.496_594_4e-1; // 0x1.660d20p-2
/// See [`EXP_C2`].
const EXP_C5: f32 = 1.195_291_65e-1; // 0x1.e9976ap-4
/// See [`EXP_C2`].
const EXP_C6: f32 = 3.357_948e-2; // 0x1.131546p-5

/// `|x|` is clamped to this where it enters the exponential.
const X_MAX: f32 = 64.0;

/// The short form's bound: within `|x| <= 48`, `E = e^-(K |x|)` is at least
/// `e^-81.7` (about `2^-117.9`), normal.
const SHORT_MAX: f32 = 48.0;

/// `gelu_quick`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluQuick;

impl XSigmoidForm for GeluQuick {
    /// Four vectors per iteration on AVX2, as `silu`: with the short form
    /// the Emerald Rapids Xeon ran four about 5% faster than two (the best
    /// of five alternating runs at 4 Ki and 1 Mi). `scripts/mca.sh` puts
    /// four behind on the AMD models (2.54 cycles per element against 1.69
    /// on `znver4`, 2.66 against 1.78 on `znver3`; 1.36 against 1.38 on
    /// `alderlake`, 1.75 against 1.84 on `icelake-server`), but those models
    /// also put two ahead of four for `softplus`, which the Zen 4 itself ran
    /// 16 to 19% faster with four; no AMD core measured it.
    const WIDE: bool = true;

    #[inline(always)]
    fn unrounded<S: Simd>(s: S, x: S::F) -> XSigmoid<S> {
        let a = s.abs_min(x, s.splat(X_MAX));
        let (m, p) = e_neg(s, a);
        XSigmoid::new(s, x, (a, X_MAX), m, p)
    }

    /// The general form, but the short form's operations within
    /// `|x| <= SHORT_MAX` ([`XSigmoid::rounded_within`]).
    #[inline(always)]
    fn rounded<S: Simd>(s: S, x: S::F) -> S::F {
        let a = s.abs_min(x, s.splat(X_MAX));
        XSigmoid::rounded_within(s, x, (a, X_MAX), e_neg(s, a), SHORT_MAX)
    }

    const SHORT_MAX: Option<f32> = Some(SHORT_MAX);

    /// `E` scaled first and the quotient at its scale ([`XSigmoid::short`]),
    /// as `silu`'s short form: no clamp and no scaling after.
    #[inline(always)]
    fn rounded_short<S: Simd>(s: S, x: S::F) -> S::F {
        let a = s.abs(x);
        XSigmoid::short(s, x, a, e_neg(s, a))
    }
}

/// `E = e^-(K a) = m 2^n` for `a >= 0` (`|x|`, clamped or not):
/// `-K a = n ln2 + K r`, `e^(K r) = m` rounded once.
#[inline(always)]
fn e_neg<S: Simd>(s: S, a: S::F) -> (S::F, Pow2<S>) {
    EXP.eval(s, s.or(a, s.splat(-0.0)), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_form_gives_its_value_within_its_bound() {
        crate::kernels::assert_short_form_gives_apply(GeluQuick);
    }

    /// `E = m 2^n` is normal within the short form's bound, as its scaling
    /// by `2^n` first takes for granted: at `|x| = SHORT_MAX` the kernel's
    /// `n` is at least -125 (and `m`, `e^(K r)` with `|K r| <= ln2/2`, at
    /// least `2^-1/2`), and `E` itself at least the smallest normal.
    #[test]
    fn short_form_bound_keeps_e_normal() {
        let n = (-f64::from(SHORT_MAX) * f64::from(EXP.k_log2e)).round_ties_even();
        assert!(n >= -125.0, "n = {n}");
        let e = (-K * f64::from(SHORT_MAX)).exp();
        assert!(e >= f64::from(f32::MIN_POSITIVE), "{e:e}");
    }

    /// `-a - n L_HI` is exact for every `a` in `[0, 64]` (see the module's
    /// docs): `n = 0` below 0.2, and from 0.2 on, over every 61st `f32` (an
    /// odd stride, so the low bits of `a` take every pattern), the
    /// difference, exact in `f64`, is an `f32`.
    #[test]
    fn first_step_of_the_reduction_is_exact() {
        let (k_log2e, l_hi) = (f64::from(EXP.k_log2e), f64::from(EXP.l_hi));
        assert_eq!((0.2 * k_log2e).round_ties_even(), 0.0);
        let mut a = 0.2f32;
        while a <= X_MAX {
            let n = (-f64::from(a) * k_log2e).round_ties_even();
            let d = -f64::from(a) - n * l_hi;
            assert_eq!(f64::from(d as f32), d, "a = {a:e}");
            a = f32::from_bits(a.to_bits() + 61);
        }
    }

    /// Every `x` below -64 gives `-0.0`, which the clamp takes for granted.
    #[test]
    fn clamp_is_past_the_last_nonzero_result() {
        let y = f64::from(X_MAX) * (-K * f64::from(X_MAX)).exp();
        assert!(y < 2f64.powi(-150), "{y:e}");
    }
}
