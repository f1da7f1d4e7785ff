//! `gelu_quick(x) = x sigmoid(1.702 x)`, QuickGELU (CLIP, ONNX Runtime's
//! `QuickGelu`).
//!
//! The form of `silu` (see `kernels/sigmoid.rs`) with the argument scaled.
//! With `a = |x|`, the product `|t| = 1.702 a` is carried in two parts:
//! `1.702` as `QUICK_HI + QUICK_LO`, and `|t| = t_hi + t_lo` with the
//! rounding error of `QUICK_HI a` recovered by an FMA. A rounded `t` alone
//! would move the result by `|t| 2^-24` relative in the left tail (about
//! 100 ULP near `x = -60`), since there `gelu_quick(x) ~ x e^t`.
//!
//! `E = e^-|t| = m 2^n`: `n = round(-t_hi / ln2)`, `v = |t| + n ln2` (`e^-|t|
//! = 2^n e^-v`) as `(t_hi + n LN2_HI) + (t_lo + n LN2_LO)`, the first sum
//! exact and the second below `2^-16`, so `v` is rounded about once, as in
//! [`exp_neg`](super::exp::exp_neg); then `m = 1 + v h(v)` rounded once. The quotient `m / (1 + E)` is
//! compensated (`logistic_of`), `W = -a q - a c` with one rounding is
//! `-a sigmoid(-|t|)` scaled by `2^-n`, it is scaled by `2^n` last (results
//! in the subnormal range are rounded once), and
//! `gelu_quick(x) = max(x, 0) + W`: `W` for `x < 0` (added to `-0.0`, so
//! `x = -0` and the far left give `-0.0`), and for `x > 0` `x` less `E`
//! times the result. `|x|` is clamped to 65 (`1.702 * 65 = 110.6`): past
//! it the result rounds to `x` on the right and to `-0.0` on the left.
//!
//! Cost per AVX-512 vector, besides the load, the store and the NaN rule:
//! 27 operations with one division (the clamp 1, `t` 3, the reduction 4 and
//! `t_lo` 1, `m` 6, `E` 1, the quotient 4, the correction 2, `W` 2 with
//! its scaling 1, the result 2). The former form kept the denominator as a
//! pair, divided twice and took five selects and two scalings with a range
//! test: 0.769 ULP, for about twice the time.
//!
//! Measured max error: 1.679 ULP over every `f32` (exhaustive, worst at
//! `x = -11.627024`); every path gives the scalar path's bits. (With `t_lo`
//! added to the reduced `v` after its rounding, 1.838.)
//!
//! Special values: `gelu_quick(NaN) = NaN`, `gelu_quick(-inf) = -0.0`,
//! `gelu_quick(+inf) = +inf`, `gelu_quick(±0) = ±0`.

use super::Kernel;
use super::exp::{LN2_HI, LN2_LO, LOG2E, Pow2, exp_neg_h};
use super::sigmoid::logistic_of;
use crate::simd::Simd;

/// `1.702` rounded to `f32` (`0x1.b3b646p+0`).
const QUICK_HI: f32 = 1.702;
/// `1.702 - QUICK_HI` rounded to `f32` (`-0x1.78d4fep-26`).
const QUICK_LO: f32 = -2.193_451e-8;
/// `|x|` is clamped to this: `1.702 * 65 = 110.6`, and `65 e^-110.6` is
/// below half the smallest subnormal, so past it the result is `x` on the
/// right and `-0.0` on the left.
const X_MAX: f32 = 65.0;

/// QuickGELU.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluQuick;

impl Kernel for GeluQuick {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        // a = |x| clamped, and |t| = 1.702 a = t_hi + t_lo.
        let a = s.abs_min(x, s.splat(X_MAX));
        let c_hi = s.splat(QUICK_HI);
        let t_hi = s.mul(c_hi, a);
        let t_lo = s.mul_add(s.splat(QUICK_LO), a, s.mul_sub(c_hi, a, t_hi));
        // E = e^-|t| = m 2^n: n = round(-|t| / ln2) from t_hi, and
        // v = |t| + n ln2 with one rounding of note: t_hi + n LN2_HI is
        // exact, and t_lo + n LN2_LO (both below 2^-16) is added to it.
        let p = Pow2::round_product(s, t_hi, -LOG2E);
        let v_hi = s.mul_add(p.n(), s.splat(LN2_HI), t_hi);
        let v = s.add(v_hi, s.mul_add(p.n(), s.splat(LN2_LO), t_lo));
        let m = s.mul_add(exp_neg_h(s, v), v, s.splat(1.0));
        // W = -a sigmoid(-|t|), scaled by 2^-n until the last step, and
        // gelu_quick(x) = max(x, 0) + W, as `silu` forms it.
        let quotient = logistic_of(s, p.scale(s, m), m);
        let w = s.neg_mul_add(a, quotient.q, s.mul(a, quotient.neg_c(s)));
        s.add(s.max(s.splat(-0.0), x), p.scale(s, w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_constant_holds_its_value() {
        assert_eq!(QUICK_HI, 1.702f64 as f32);
        assert_eq!(QUICK_LO, (1.702 - f64::from(QUICK_HI)) as f32);
    }
}
