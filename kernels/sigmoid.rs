//! `sigmoid(x) = 1 / (1 + e^-x)` and `silu(x) = x sigmoid(x)`.
//!
//! Both work from `E = e^-a`, `a = |x|`: `sigmoid(x) = 1 / (1 + E)` for
//! `x >= 0` and `E / (1 + E)` for `x < 0` (no cancellation on either side, so
//! the negative side keeps full relative accuracy down to the subnormal
//! range).
//!
//! `E` comes from [`exp_neg`] (no table: a degree-6 polynomial on
//! `[-ln2/2, ln2/2]` and a power of two) as `(hi + lo) 2^n`, accurate to
//! about 2^-26. The quotient is compensated: `1 + hi 2^n = d + delta`
//! exactly (Fast2Sum), `q = N / d` with `N = 1` or `hi`, its exact remainder
//! `rho = N - q d` (an FMA) and the correction
//! `c = (rho + N_lo - q delta) / d`, with `1/d` taken roughly (`c` is below
//! an ulp of `q`, so that
//! costs little; `1 - E/2` is within 12.5% of `1/d` for every `E` in
//! `[0, 1]`), so `q + c` is the quotient to well under an ulp and only the
//! error of `E` and the last rounding remain. `lo 2^n` is left out of
//! the denominator (below 2^-24 E).
//!
//! `sigmoid` computes `S = E / (1 + E) = sigmoid(-|x|)` on every lane:
//! `S = q + c` rounded and scaled by `2^n` with [`Simd::mul_pow2`] (results
//! in the subnormal range are rounded once more, by at most half a subnormal
//! ulp), the result for `x < 0`, and `1 - S` for `x >= 0` (`S <= 1/2`: no
//! cancellation). `silu = fma(x, q, x c)` with `N = 1` for `x >= 0`, and
//! scaled the same way for `x < 0`. `|x|` is clamped to 112 where it enters the
//! exponential (`sigmoid` is `+0` below -104 and `silu` is `-0.0` below
//! -109); the unclamped `x` multiplies `q` for `x > 0`, so `silu(x) = x` for
//! large `x`.
//!
//! Measured max error: see the README (exhaustive over every `f32`); every
//! path gives the scalar path's bits.
//!
//! Special values: `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`,
//! `sigmoid(+inf) = 1`, `sigmoid(±0) = 0.5`; `silu(-inf) = -0.0`,
//! `silu(+inf) = +inf`, `silu(±0) = ±0`.

use super::Kernel;
use super::exp::{ExpSplit, exp_neg};
use crate::simd::Simd;

/// The logistic sigmoid.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sigmoid;

/// `x * sigmoid(x)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Silu;

/// `|x|` is clamped to this where it enters the exponential: `e^-112 x` is
/// below half the smallest subnormal for `x <= 112`.
const CLAMP: f32 = 112.0;

/// The logistic function of `x`, compensated: `sigmoid(x) = (q + c) 2^n`
/// where `neg` (`x < 0`) and `q + c` elsewhere, `c` below an ulp of `q`.
struct Logistic<S: Simd> {
    q: S::F,
    c: S::F,
    n: S::F,
    neg: S::M,
    /// `|x|` clamped to [`CLAMP`].
    a: S::F,
}

/// See [`Logistic`]; with `LEFT`, every lane gets `sigmoid(-|x|)` instead
/// (`(q + c) 2^n`), as if `neg` were set everywhere.
#[inline(always)]
fn logistic<S: Simd, const LEFT: bool>(s: S, x: S::F) -> Logistic<S> {
    let a = s.abs(x);
    let a = s.select(s.gt(a, s.splat(CLAMP)), s.splat(CLAMP), a);
    let e = exp_neg(s, a);
    let neg = s.lt(x, s.splat(0.0));
    let (q, c) = logistic_of::<S, LEFT>(s, e, neg);
    Logistic {
        q,
        c,
        n: e.n,
        neg,
        a,
    }
}

/// The compensated quotient of the module docs from `E = e^-|v|`, given as
/// an [`ExpSplit`] with an integer `n` in `[-190, 0]`, and the lanes where
/// `v < 0`: `(q, c)` with `sigmoid(v) = q + c` where `v >= 0` and
/// `(q + c) 2^n` where `v < 0` (everywhere with `LEFT`), `c` below an ulp
/// of `q`. `lo 2^n` is left out of the denominator (below 2^-24 E).
#[inline(always)]
pub(crate) fn logistic_of<S: Simd, const LEFT: bool>(
    s: S,
    e: ExpSplit<S::F>,
    neg: S::M,
) -> (S::F, S::F) {
    let one = s.splat(1.0);
    let zero = s.splat(0.0);
    let big_e = s.mul_pow2(e.hi, e.n);
    let d = s.add(one, big_e);
    let delta = s.add(s.sub(one, d), big_e);
    let (num, num_lo) = if LEFT {
        (e.hi, e.lo)
    } else {
        (s.select(neg, e.hi, one), s.select(neg, e.lo, zero))
    };
    let q = s.div(num, d);
    let rho = s.neg_mul_add(q, d, num);
    let t = s.neg_mul_add(q, delta, s.add(rho, num_lo));
    // 1/d within 12.5%: the correction is below an ulp of q.
    let inv_d = s.mul_add(big_e, s.splat(-0.5), one);
    (q, s.mul(t, inv_d))
}

impl Kernel for Sigmoid {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        // sigmoid(-|x|), and 1 minus that for x >= 0 (it is at most 1/2).
        let Logistic { q, c, n, neg, .. } = logistic::<S, true>(s, x);
        let left = s.mul_pow2(s.add(q, c), n);
        s.select(neg, left, s.sub(s.splat(1.0), left))
    }
}

impl Kernel for Silu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let Logistic { q, c, n, neg, a } = logistic::<S, false>(s, x);
        // x with |x| clamped: finite, for the correction term.
        let xc = s.or(a, s.sign_bit(x));
        let y = s.mul_add(s.select(neg, xc, x), q, s.mul(xc, c));
        s.select(neg, s.mul_pow2(y, n), y)
    }
}
