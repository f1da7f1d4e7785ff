//! `gelu_quick(x) = x sigmoid(1.702 x)`, QuickGELU (CLIP, ONNX Runtime's
//! `QuickGelu`).
//!
//! The product `t = 1.702 x` is carried in two parts: `1.702` as
//! `QUICK_HI + QUICK_LO`, and `t = t_hi + t_lo` with the rounding error of
//! `QUICK_HI x` recovered by an FMA. A rounded `t` alone would move the
//! result by `|t| 2^-24` relative in the left tail (about 100 ULP near
//! `x = -60`), since there `gelu_quick(x) ≈ x e^t`.
//!
//! With `a = |t_hi|` and `c = |t| - a` (`t_lo` with `t`'s sign), the split
//! exponential gives `e^-|t| = (hi + m_lo) 2^n` with `m_lo = lo - hi c`
//! (`e^-c = 1 - c` to far below an ulp: `|c| <= 2^-17`). Then
//! - `x >= 0`: `x / (1 + e^-|t|)`;
//! - `x < 0`: `x e^-|t| / (1 + e^-|t|)`, computed as `x (hi + m_lo)` over the
//!   same denominator and scaled by `2^n` last, so subnormal results round
//!   (nearly) once.
//!
//! The denominator `d + d_lo` holds `1 + e^-|t|` to about `2^-45`
//! (Fast2Sum, `e^-|t| <= 1`); the quotient is corrected with its exact
//! remainder, `q + (num - q d - q d_lo) / d`, so it is the true quotient
//! rounded nearly once. `x` is clamped to `[-100, 100]` for the exponent;
//! above `100` the result is `x` itself, below `-88` it is `-0.0` anyway;
//! `±0` give themselves.
//!
//! Measured max error: 0.769 ULP over every `f32` (exhaustive, worst at
//! `x = -53.852097`, a subnormal result); every path gives the scalar
//! path's bits.
//!
//! Special values: `gelu_quick(NaN) = NaN`, `gelu_quick(-inf) = -0.0`,
//! `gelu_quick(+inf) = +inf`, `gelu_quick(±0) = ±0`.

use super::exp::exp_split;
use super::{Kernel, quotient_residual};
use crate::simd::Simd;

/// `1.702` rounded to `f32` (`0x1.b3b646p+0`).
const QUICK_HI: f32 = 1.702;
/// `1.702 - QUICK_HI` rounded to `f32` (`-0x1.78d4fep-26`).
const QUICK_LO: f32 = -2.193_451e-8;
/// `|x|` is clamped to this for the exponent: above it the result is `x`,
/// below `-CLAMP` it underflows to `-0.0`.
const CLAMP: f32 = 100.0;
/// The denominator's scale `2^n` is taken at no less than `2^-60`: below it
/// `1 + e^-|t|` is `1` to far below an ulp either way.
const DENOMINATOR_MIN_EXP: f32 = -60.0;

/// QuickGELU.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluQuick;

impl Kernel for GeluQuick {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let one = s.splat(1.0);
        let xc = s.clamp(x, s.splat(-CLAMP), s.splat(CLAMP));
        let c_hi = s.splat(QUICK_HI);
        let t_hi = s.mul(c_hi, xc);
        let t_lo = s.mul_add(s.splat(QUICK_LO), xc, s.mul_sub(c_hi, xc, t_hi));
        // |t| = a + c.
        let a = s.abs(t_hi);
        let c = s.xor(t_lo, s.sign_bit(t_hi));
        let e = exp_split(s, s.neg(a));
        let m_lo = s.neg_mul_add(e.hi, c, e.lo);
        // 1 + e^-|t| = d + d_lo.
        let scale = s.mul_exp2(one, s.clamp(e.n, s.splat(DENOMINATOR_MIN_EXP), zero));
        let e_hi = s.mul(e.hi, scale);
        let d = s.add(one, e_hi);
        let d_lo = s.add(s.add(s.sub(one, d), e_hi), s.mul(m_lo, scale));
        // The numerator: x, or x (hi + m_lo) for x < 0 (times 2^n, applied last).
        let neg = s.lt(x, zero);
        let p_hi = s.mul(xc, e.hi);
        let p_lo = s.mul_add(xc, m_lo, s.mul_sub(xc, e.hi, p_hi));
        let num = s.select(neg, p_hi, x);
        let num_lo = s.select(neg, p_lo, zero);
        let q = s.div(num, d);
        let r = quotient_residual(s, q, (num, Some(num_lo)), (d, d_lo));
        let y = s.add(q, s.div(r, d));
        let y = s.mul_exp2(y, s.select(neg, e.n, zero));
        // x itself above the clamp, and at ±0 (where the correction's sum
        // would turn -0.0 into +0.0).
        let keep_x = s.mask_or(s.gt(x, s.splat(CLAMP)), s.eq(x, zero));
        s.select(keep_x, x, y)
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
