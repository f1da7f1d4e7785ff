//! `alpha (e^v - 1)`, the negative part of the ELU family, with full relative
//! accuracy near `v = 0` and for any `alpha`.
//!
//! Near zero (`|v| < 1/4`): `e^v - 1 = v + v w` with `w = v h(v)`,
//! `h(v) = c2 + c3 v + ... + c6 v^4` minimax for relative error on
//! `[-1/4, 1/4]`: 2^-28.9 with the `f32` coefficients (`cargo run --release
//! --bin fit -- expm1`). The callers multiply by `alpha` in the form
//! that keeps `alpha v` rounded once.
//!
//! Elsewhere from [`exp_split`]: `e^v = (hi + lo) 2^n`, with a correction
//! `v_lo` to the argument folded in as `lo + hi v_lo`. For `v < 0`
//! ([`negative`]), `E = hi 2^n` and `e^v - 1 = (E - 1) + err + lo 2^n` with
//! the subtraction exact by Fast2Sum (`E < 1`): a pair in `[-1, -0.22]` that
//! the callers multiply by `alpha` with one rounding. Any `v`
//! ([`scaled_expm1`], for `celu` with a negative `alpha`, where `v > 0`): for
//! `v > 0`, `(e^v - 1) / 2^n = (hi - 2^-n) + err + lo` (Fast2Sum,
//! `hi >= 2^-n`), so nothing overflows before the last step; `alpha` is split
//! once as `(alpha_hi + alpha_lo) 2^k` with `|alpha_hi|` in `[1, 2)`, the
//! product with the pair is rounded once and scaled by `2^(n + k)` with
//! [`Simd::mul_exp2`], so `alpha (e^v - 1)` is finite whenever the result is.
//! Cancellation costs at most a factor `e^v / |e^v - 1| <= 3.6` on the
//! `2^-29` error of the split at `|v| >= 1/4`.
//!
//! Measured: the polynomial alone is within 0.657 ULP of `e^v - 1` on
//! `[-1/4, 1/4]` (the fitter's sweep); the composites' exhaustive figures are
//! in `kernels/elu.rs`. Special values (clamped like [`exp_split`]):
//! `v = -inf` gives the pair `(-1, 0)`; at `v = ±0` the callers select the
//! signed zero themselves; NaN lanes are the driver's.

use super::exp::exp_split;
use super::horner;
use crate::simd::Simd;

/// Below this `|v|` the polynomial is used.
pub(crate) const SMALL: f32 = 0.25;

/// `c2` of `e^v - 1 = v + c2 v^2 + ... + c6 v^6` near 0.
const EXPM1_SMALL_C2: f32 = 5e-1; // 0x1.000000p-1
/// See [`EXPM1_SMALL_C2`].
const EXPM1_SMALL_C3: f32 = 1.666_663_1e-1; // 0x1.555526p-3
/// See [`EXPM1_SMALL_C2`].
const EXPM1_SMALL_C4: f32 = 4.166_654e-2; // 0x1.555512p-5
/// See [`EXPM1_SMALL_C2`].
const EXPM1_SMALL_C5: f32 = 8.350_963e-3; // 0x1.11a4f4p-7
/// See [`EXPM1_SMALL_C2`].
const EXPM1_SMALL_C6: f32 = 1.392_597_1e-3; // 0x1.6d0f9cp-10

/// `w(v) = v h(v)`, so that `e^v - 1 = v + v w(v)` for `|v| < 1/4`.
#[inline(always)]
pub(crate) fn small_w<S: Simd>(s: S, v: S::F) -> S::F {
    s.mul(
        v,
        horner(
            s,
            v,
            [
                EXPM1_SMALL_C6,
                EXPM1_SMALL_C5,
                EXPM1_SMALL_C4,
                EXPM1_SMALL_C3,
                EXPM1_SMALL_C2,
            ],
        ),
    )
}

/// A factor `alpha = (hi + lo) 2^exp` with `|hi|` in `[1, 2)` (or `alpha = 0`
/// and all parts zero).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Factor {
    hi: f32,
    lo: f32,
    exp: f32,
}

impl Factor {
    /// Splits `hi + lo` (with `|lo| <= ulp(hi)`) into mantissa and exponent.
    pub(crate) fn new(hi: f32, lo: f32) -> Factor {
        if hi == 0.0 {
            return Factor {
                hi: 0.0,
                lo: 0.0,
                exp: 0.0,
            };
        }
        // Subnormal `hi`: scale into the normal range first (exact).
        let (m, bias) = if hi.abs() < f32::MIN_POSITIVE {
            (hi * 2f32.powi(64), 64)
        } else {
            (hi, 0)
        };
        let e = ((m.to_bits() >> 23) & 0xff) as i32 - 127 - bias;
        // 2^-e exactly, in two steps when it is out of the normal range.
        let scale = |v: f32| v * 2f32.powi(-e / 2) * 2f32.powi(-e - (-e / 2));
        Factor {
            hi: scale(hi),
            lo: scale(lo),
            exp: e as f32,
        }
    }
}

/// `e^(v + v_lo) - 1` as a pair `(hi, lo)` for `v <= -1/4` (any such `v`,
/// clamped as by [`exp_split`]; `v_lo` tiny against `v`).
#[inline(always)]
pub(crate) fn negative<S: Simd>(s: S, v: S::F, v_lo: S::F) -> (S::F, S::F) {
    let one = s.splat(1.0);
    let e = exp_split(s, v);
    let lo = s.mul_add(e.hi, v_lo, e.lo);
    let big_e = s.mul_exp2(e.hi, e.n);
    let hi = s.sub(big_e, one);
    let err = s.sub(big_e, s.add(hi, one));
    (hi, s.mul_add(lo, s.mul_exp2(one, e.n), err))
}

/// Above this `v`, `e^v - 1 = e^v` to far below an ULP, and `e^v` is
/// computed as `e^(v - 256 ln2) 2^256` so that it does not overflow before
/// the factor (a tiny `alpha` can bring it back into range).
const HUGE: f32 = 88.0;
/// `256 ln2` rounded to the trailing-zero `f32` of `exp_split`'s reduction
/// (`256 LN2_HI`, `0x1.62e430p+7`), so `v - HUGE_SHIFT_HI` is exact for
/// `v` in `[88.7, 354.9]`.
const HUGE_SHIFT_HI: f32 = 177.445_68;
/// `256 ln2 - HUGE_SHIFT_HI` rounded to `f32` (`256 LN2_LO`).
const HUGE_SHIFT_LO: f32 = -4.875_915e-7;
/// `2^256`'s exponent, applied with the factor's.
const HUGE_EXPONENT: f32 = 256.0;

/// `alpha (e^(v + v_lo) - 1)` for `|v| >= 1/4` (any `v`; `v_lo` tiny against
/// `v`).
#[inline(always)]
pub(crate) fn scaled_expm1<S: Simd>(s: S, v: S::F, v_lo: S::F, alpha: Factor) -> S::F {
    let one = s.splat(1.0);
    let zero = s.splat(0.0);
    let huge = s.gt(v, s.splat(HUGE));
    let v_arg = s.select(huge, s.sub(v, s.splat(HUGE_SHIFT_HI)), v);
    let v_lo = s.select(huge, s.sub(v_lo, s.splat(HUGE_SHIFT_LO)), v_lo);
    let e = exp_split(s, v_arg);
    let lo = s.mul_add(e.hi, v_lo, e.lo);
    // `exp_split`'s `n` is `N / 16`; its floor is the power of two.
    let n = s.floor(e.n);
    // v < 0: (E - 1) + err + lo 2^n, E = hi 2^n < 1.
    let big_e = s.mul_exp2(e.hi, n);
    let neg_hi = s.sub(big_e, one);
    let neg_err = s.sub(big_e, s.add(neg_hi, one));
    let neg_lo = s.mul_add(lo, s.mul_exp2(one, n), neg_err);
    // v > 0: (hi - 2^-n) + err + lo, scaled by 2^n at the end; huge v: hi + lo
    // scaled by 2^(n + 256).
    let p = s.mul_exp2(one, s.neg(n));
    let pos_hi = s.sub(e.hi, p);
    let pos_err = s.sub(s.sub(e.hi, pos_hi), p);
    let pos_lo = s.add(pos_err, lo);
    let pos_hi = s.select(huge, e.hi, pos_hi);
    let pos_lo = s.select(huge, lo, pos_lo);
    let pos_n = s.select(huge, s.add(n, s.splat(HUGE_EXPONENT)), n);
    let pos = s.gt(v, zero);
    let m_hi = s.select(pos, pos_hi, neg_hi);
    let m_lo = s.select(pos, pos_lo, neg_lo);
    let k = s.add(s.select(pos, pos_n, zero), s.splat(alpha.exp));
    let a_hi = s.splat(alpha.hi);
    let prod = s.mul_add(
        a_hi,
        m_hi,
        s.mul_add(a_hi, m_lo, s.mul(s.splat(alpha.lo), m_hi)),
    );
    // Beyond ±250 the result has over- or underflowed already.
    let k = s.clamp(k, s.splat(-250.0), s.splat(250.0));
    s.mul_exp2(prod, k)
}
