//! `sigmoid(x) = 1 / (1 + e^-x)` and `silu(x) = x sigmoid(x)`.
//!
//! Both work from `E = e^-a`, `a = |x|`: `sigmoid(x) = 1 / (1 + E)` for
//! `x >= 0` and `E / (1 + E)` for `x < 0` (no cancellation on either side, so
//! the negative side keeps full relative accuracy down to the subnormal
//! range).
//!
//! `E = m 2^n` comes from [`exp_neg`] (no table: a degree-6 polynomial on
//! `[-ln2/2, ln2/2]` and a power of two), `m` rounded once: within 0.89 ulp of
//! `e^-a 2^-n`, 2^-23.66 relative. The quotient is compensated for the
//! roundings of `1 + E` and of the division: `d = 1 + E` rounded, `q = N / d`
//! with `N = 1` or `m`, and `t = (N - q) - q E` with one rounding (an FMA;
//! `N - q` is exact, `q` being in `[N/2, N]`), which is the remainder
//! `N - q (1 + E)` against the exact denominator; the correction is `c = t / d`
//! with `1/d` taken roughly (`c` is below an ulp of `q`, so that costs little;
//! `1 - E/2` is within 12.5% of `1/d` for every `E` in `[0, 1]`), so `q + c` is
//! `N / (1 + E)` to well under an ulp. What remains is the error of `m`, which
//! moves the result by at most 2^-23.66 relative (about 1.3 ULP where the
//! result sits just below a power of two), and the last rounding.
//!
//! `sigmoid` computes `S = E / (1 + E) = sigmoid(-|x|)` on every lane:
//! `S = q + c` with one rounding (an FMA) and scaled by `2^n` with
//! [`Simd::mul_pow2`] (results in the subnormal range are rounded once more,
//! by at most half a subnormal ulp), the result for `x < 0`, and `1 - S` for
//! `x >= 0` (`S <= 1/2`: no cancellation). `silu = fma(x, q, x c)` with
//! `N = 1` for `x >= 0`, and scaled the same way for `x < 0`. `|x|` is
//! clamped to 112 where it enters the exponential (`sigmoid` is `+0` below
//! -104 and `silu` is `-0.0` below -109) with [`Simd::min`] and
//! [`Simd::max`] (NaN lanes are the driver's); the unclamped `x` multiplies
//! `q` for `x > 0`, so `silu(x) = x` for large `x`.
//!
//! Cost per AVX-512 vector, besides the load, the store and the NaN rule:
//! `sigmoid` 23 operations (the clamp 2, `m` and `n` 10, `E` 1, the quotient
//! 5 with one division, the result 5: `q + c`, its scaling, `1 - S`, a
//! compare and a select), `silu` 26 (the clamp 3, the quotient 6 with the
//! select of `N`, the result 6). On AVX2 and NEON each [`Simd::mul_pow2`] is
//! two multiplies where AVX-512 has one `vscalefps`, and the two of a kernel
//! share one add and one shift: four operations more.
//!
//! Measured max error over every `f32` (exhaustive): `sigmoid` 1.480 ULP
//! (at `x = -4.846455`), `silu` 1.673 ULP (at `x = -48.240177`); every path
//! gives the scalar path's bits.
//!
//! Special values: `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`,
//! `sigmoid(+inf) = 1`, `sigmoid(±0) = 0.5`; `silu(-inf) = -0.0`,
//! `silu(+inf) = +inf`, `silu(±0) = ±0`.

use super::Kernel;
use super::exp::exp_neg;
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
/// where `neg` (`x < 0`) and `q + c` elsewhere, `c = t r` below an ulp of
/// `q` (see [`Quotient`]).
struct Logistic<S: Simd> {
    quotient: Quotient<S>,
    n: S::F,
    neg: S::M,
}

/// See [`Logistic`], given `a = min(|x|, CLAMP)`; with `LEFT`, every lane
/// gets `sigmoid(-|x|)` instead (`(q + c) 2^n`), as if `neg` were set
/// everywhere.
#[inline(always)]
fn logistic<S: Simd, const LEFT: bool>(s: S, x: S::F, a: S::F) -> Logistic<S> {
    let (m, n) = exp_neg(s, a);
    let neg = s.sign_mask(x);
    Logistic {
        quotient: logistic_of::<S, LEFT>(s, m, None, n, neg),
        n,
        neg,
    }
}

/// The compensated quotient `q + c` of [`logistic_of`], with the correction
/// `c = t r` kept as its two factors: `t` the remainder of `q`, `r` within
/// 12.5% of `1/d`.
pub(crate) struct Quotient<S: Simd> {
    pub(crate) q: S::F,
    t: S::F,
    r: S::F,
}

impl<S: Simd> Quotient<S> {
    /// The correction `c = t r`, rounded.
    #[inline(always)]
    pub(crate) fn c(&self, s: S) -> S::F {
        s.mul(self.t, self.r)
    }

    /// `q + c` with one rounding.
    #[inline(always)]
    fn sum(&self, s: S) -> S::F {
        s.mul_add(self.t, self.r, self.q)
    }
}

/// The compensated quotient of the module docs from `E = e^-|v| = m 2^n`
/// (`m` plus `m_lo` where given, `n` an integer in `[-190, 0]`) and the
/// lanes where `v < 0`: `sigmoid(v) = q + c` where `v >= 0` and
/// `(q + c) 2^n` where `v < 0` (everywhere with `LEFT`), `c` below an ulp
/// of `q`. `m_lo 2^n` is left out of the denominator (below 2^-24 E).
#[inline(always)]
pub(crate) fn logistic_of<S: Simd, const LEFT: bool>(
    s: S,
    m: S::F,
    m_lo: Option<S::F>,
    n: S::F,
    neg: S::M,
) -> Quotient<S> {
    let one = s.splat(1.0);
    let big_e = s.mul_pow2(m, n);
    let d = s.add(one, big_e);
    let num = if LEFT { m } else { s.select(neg, m, one) };
    let q = s.div(num, d);
    let t = match m_lo {
        // num - q is exact (q is in [num/2, num]), so t is
        // num - q (1 + E) rounded once.
        None => s.neg_mul_add(q, big_e, s.sub(num, q)),
        // (rho + m_lo) - q delta: rho = num - q d is exact, and so is the
        // error delta of d (Fast2Sum, E <= 1).
        Some(lo) => {
            let delta = s.add(s.sub(one, d), big_e);
            let rho = s.neg_mul_add(q, d, num);
            let lo = if LEFT {
                lo
            } else {
                s.select(neg, lo, s.splat(0.0))
            };
            s.neg_mul_add(q, delta, s.add(rho, lo))
        }
    };
    // 1/d within 12.5%: the correction is below an ulp of q.
    let r = s.mul_add(big_e, s.splat(-0.5), one);
    Quotient { q, t, r }
}

impl Kernel for Sigmoid {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        // sigmoid(-|x|), and 1 minus that for x >= 0 (it is at most 1/2).
        let a = s.min(s.abs(x), s.splat(CLAMP));
        let Logistic { quotient, n, neg } = logistic::<S, true>(s, x, a);
        let left = s.mul_pow2(quotient.sum(s), n);
        s.select(neg, left, s.sub(s.splat(1.0), left))
    }
}

impl Kernel for Silu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        // x clamped below (it multiplies q), and on both sides (finite, for
        // the correction term).
        let xl = s.max(x, s.splat(-CLAMP));
        let xc = s.min(xl, s.splat(CLAMP));
        let Logistic { quotient, n, neg } = logistic::<S, false>(s, x, s.abs(xc));
        let y = s.mul_add(xl, quotient.q, s.mul(xc, quotient.c(s)));
        s.select(neg, s.mul_pow2(y, n), y)
    }
}
