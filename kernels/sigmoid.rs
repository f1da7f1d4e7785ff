//! `sigmoid(x) = 1 / (1 + e^-x)` and `silu(x) = x sigmoid(x)`.
//!
//! Stable form: with `E = e^-|x|` (never overflows), `sigmoid(x) = 1 / (1 + E)`
//! for `x >= 0` and `E / (1 + E)` for `x < 0`, so the negative tail keeps full
//! relative accuracy down to the subnormal range instead of rounding `1 + e^-x`
//! to infinity.
//!
//! Accuracy: `E` comes as `(hi + lo) 2^n` (see `ExpSplit`), `1 + E` as
//! `d + delta` (a compensated sum), and the quotient `N / (1 + E)` is
//! `q = N / d` corrected by `(rho + N_lo - q delta) / d` with `rho = N - q d`
//! exact (an FMA): see [`logistic`], which `gelu_tanh` shares. For `x < 0`
//! the numerator is kept in the normal range (`hi + lo`) and `2^n` is applied
//! after `silu`'s multiplication by `x`, so results in the subnormal range are
//! rounded once.
//!
//! Measured max error: see the README (exhaustive over every `f32`); every
//! path gives the scalar path's bits.
//!
//! Special values: `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`,
//! `sigmoid(+inf) = 1`, `sigmoid(±0) = 0.5`; `silu(-inf) = -0.0`,
//! `silu(+inf) = +inf`, `silu(±0) = ±0`.

use super::Kernel;
use super::exp::{ExpSplit, exp_split_clamped};
use crate::simd::Simd;

/// The logistic sigmoid.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sigmoid;

/// `x * sigmoid(x)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Silu;

/// Beyond `±CLAMP`, `sigmoid` is `0` or `1` and `silu`'s sigmoid factor too.
const CLAMP: f32 = 150.0;

/// `sigmoid(x) = (q + c) * 2^m` for `x` in `[-150, 150]`: `q + c` is the
/// quotient accurate to well under an ulp, `m` is `0` for `x >= 0` and the
/// exponent of `e^x` otherwise.
#[inline(always)]
fn sigmoid_parts<S: Simd>(s: S, x: S::F) -> (S::F, S::F, S::F) {
    // -|x|, in [-150, 0].
    let e = exp_split_clamped(s, s.or(x, s.splat(-0.0)));
    logistic(s, e, s.lt(x, s.splat(0.0)))
}

/// The logistic function `1 / (1 + e^-v)` from `E = e^-|v|`, given as an
/// [`ExpSplit`] (an accurate pair `hi + lo` and the exponent `n`), and the
/// lanes where `v < 0`: returns `(q, c, m)` with `sigmoid(v) = (q + c) 2^m`,
/// `q + c` accurate to well under an ulp and `m` either `0` or `e.n`.
///
/// For `v >= 0` it is `1 / (1 + E)`, for `v < 0` it is `E / (1 + E)` with the
/// numerator kept unscaled (`hi + lo`) and `2^n` left for the caller to apply
/// last, so results in the subnormal range round once. `1 + hi 2^n =
/// d + delta` exactly (Fast2Sum; `lo 2^n`, below `2^-24 E`, is left out of
/// the denominator, which costs about 0.2 ULP and saves two operations);
/// `q = N / d`, its exact
/// remainder `rho = N - q d` (an FMA), and the correction
/// `c = (rho + N_lo - q delta) / d` with `1/d` taken roughly (`q` itself when
/// `N = 1`, `1 - E/2` within 12% otherwise): `c` is below an ulp of `q`.
#[inline(always)]
pub(crate) fn logistic<S: Simd>(s: S, e: ExpSplit<S::F>, neg: S::M) -> (S::F, S::F, S::F) {
    let one = s.splat(1.0);
    let zero = s.splat(0.0);
    let e_hi = e.value(s);
    let d = s.add(one, e_hi);
    let delta = s.add(s.sub(one, d), e_hi);
    let num = s.select(neg, e.hi, one);
    let num_lo = s.select(neg, e.lo, zero);
    let m = s.select(neg, e.n, zero);
    let q = s.div(num, d);
    let rho = s.neg_mul_add(q, d, num);
    let t = s.neg_mul_add(q, delta, s.add(rho, num_lo));
    let inv_d = s.select(neg, s.mul_add(e_hi, s.splat(-0.5), one), q);
    (q, s.mul(t, inv_d), m)
}

impl Kernel for Sigmoid {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let x = s.clamp(x, s.splat(-CLAMP), s.splat(CLAMP));
        let (q, c, m) = sigmoid_parts(s, x);
        s.mul_exp2(s.add(q, c), m)
    }
}

impl Kernel for Silu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        // Clamped, the result underflows to -0.0 below -150 as it should;
        // above 150 it is x (sigmoid rounds to 1 from 17 on), infinity
        // included, which the clamp keeps away from the products.
        let xc = s.clamp(x, s.splat(-CLAMP), s.splat(CLAMP));
        let (q, c, m) = sigmoid_parts(s, xc);
        let y = s.mul_exp2(s.mul_add(xc, q, s.mul(xc, c)), m);
        s.select(s.gt(x, s.splat(CLAMP)), x, y)
    }
}
