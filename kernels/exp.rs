//! `exp(x)`.
//!
//! Range reduction: `x = n ln2 + r` with `n = round(x log2 e)` and
//! `|r| <= ln2 / 2`. `n` is rounded with the shifter trick (adding
//! `1.5 * 2^23` to `x log2 e` in one fused multiply-add rounds it to an
//! integer, ties to even), so no float-to-int conversion is needed.
//! `r = x - n ln2` uses a two-part `ln2`: `LN2_HI` is `ln2` rounded to `f32`,
//! so `x - n LN2_HI` is exact under FMA, and `LN2_LO` carries the rest; the
//! rounding error of `r` is kept as `r_lo`.
//!
//! Approximation: `e^r = 1 + r (1 + r (c2 + c3 r + ... + c6 r^4))`, the
//! coefficients minimax for relative error on `[-ln2/2, ln2/2]` (degree 6,
//! approximation error 3.2e-9 = 2^-28.2 with the `f32` coefficients; fitted by
//! `cargo run --release --bin fit -- exp --refit`).
//!
//! Reconstruction: `e^x = e^r 2^n` by [`Simd::mul_exp2`], which rounds once,
//! so results in the subnormal range are correctly scaled and results above
//! `f32::MAX` overflow to `+inf`. `x` is first clamped to `[-150, 89]`, where
//! `exp` is already `0` and `+inf`.
//!
//! Measured max error: 0.87 ULP over every `f32` (see the README).
//!
//! Special values: `exp(NaN) = NaN`, `exp(-inf) = +0`, `exp(+inf) = +inf`,
//! `exp(±0) = 1`.

use super::{Kernel, horner};
use crate::simd::Simd;

/// `log2(e)` rounded to `f32`.
pub(crate) const LOG2E: f32 = 1.442_695_f32;
/// `ln 2` rounded to `f32` (`0x1.62e430p-1`).
pub(crate) const LN2_HI: f32 = 0.693_147_2_f32;
/// `ln 2 - LN2_HI` rounded to `f32` (`-0x1.05c610p-29`).
pub(crate) const LN2_LO: f32 = -1.904_654_3e-9_f32;
/// `1.5 * 2^23 + 127`: adding it rounds to an integer and leaves `n + 127`
/// (the biased exponent of `2^n`) in the low mantissa bits.
const SHIFTER: f32 = 12_583_039.0;
/// Clamp bounds for the slow path: `exp` is `0` below and `+inf` above.
const CLAMP_LO: f32 = -150.0;
/// See [`CLAMP_LO`].
const CLAMP_HI: f32 = 89.0;

/// `c6, c5, c4, c3, c2` of `e^r ~ 1 + r + r^2 (c2 + ... + c6 r^4)`.
const EXP_POLY: [f32; 5] = [
    1.383_890_3e-3, // 0x1.6ac74ep-10
    8.369_192_5e-3, // 0x1.123de0p-7
    4.166_810_2e-2, // 0x1.555858p-5
    1.666_651_7e-1, // 0x1.55548cp-3
    4.999_999_4e-1, // 0x1.fffffcp-2
];

/// The elementwise exponential.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Exp;

impl Kernel for Exp {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        exp(s, x)
    }
}

/// `e^x` split for composites that need more than the rounded value:
/// `e^x = (hi + lo) * 2^n`.
///
/// `hi` is `e^r` rounded to `f32` (in `[0.7, 1.42]`), `lo` its error, so
/// `hi + lo` is `e^r` to about `2^-27` relative; `n` is an integer-valued float
/// in `[-217, 128]`. Composites compute in the normal range with `hi` and `lo`
/// and apply `2^n` last with [`Simd::mul_exp2`], so results in the subnormal
/// range are rounded once.
#[derive(Clone, Copy)]
pub(crate) struct ExpSplit<F> {
    pub(crate) hi: F,
    pub(crate) lo: F,
    pub(crate) n: F,
}

impl<F: Copy> ExpSplit<F> {
    /// `exp(x)` rounded to `f32`.
    #[inline(always)]
    pub(crate) fn value<S: Simd<F = F>>(self, s: S) -> F {
        s.mul_exp2(self.hi, self.n)
    }
}

/// `e^x` for every `x` (see the module docs for the special values).
#[inline(always)]
pub(crate) fn exp<S: Simd>(s: S, x: S::F) -> S::F {
    exp_split(s, x).value(s)
}

/// `e^x` as an [`ExpSplit`], for every `x`.
#[inline(always)]
pub(crate) fn exp_split<S: Simd>(s: S, x: S::F) -> ExpSplit<S::F> {
    let x = s.select(s.lt(x, s.splat(CLAMP_LO)), s.splat(CLAMP_LO), x);
    let x = s.select(s.gt(x, s.splat(CLAMP_HI)), s.splat(CLAMP_HI), x);
    exp_split_clamped(s, x)
}

/// [`exp_split`] for `x` already in `[-150, 89]` (or NaN).
#[inline(always)]
pub(crate) fn exp_split_clamped<S: Simd>(s: S, x: S::F) -> ExpSplit<S::F> {
    let one = s.splat(1.0);
    let n = s.sub(
        s.mul_add(x, s.splat(LOG2E), s.splat(SHIFTER)),
        s.splat(SHIFTER),
    );
    let r_hi = s.neg_mul_add(n, s.splat(LN2_HI), x);
    let r = s.neg_mul_add(n, s.splat(LN2_LO), r_hi);
    let r_lo = s.neg_mul_add(n, s.splat(LN2_LO), s.sub(r_hi, r));
    let q = s.mul_add(horner(s, r, EXP_POLY), r, one);
    let hi = s.mul_add(q, r, one);
    // The rounding error of `hi`, then `e^(r + r_lo) = e^r (1 + r_lo)`.
    let lo = s.mul_add(q, r, s.sub(one, hi));
    let lo = s.mul_add(hi, r_lo, lo);
    ExpSplit { hi, lo, n }
}
