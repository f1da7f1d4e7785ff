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
//! with `N = 1`, `E` or `m`, and `t = (N - q) - q E` with one rounding (an FMA;
//! `N - q` is exact, `q` being in `[N/2, N]`), which is the remainder
//! `N - q (1 + E)` against the exact denominator; the correction is `c = t / d`
//! with `1/d` taken roughly (`c` is below an ulp of `q`, so that costs little:
//! the float whose bits are a constant less those of `d`, within 5.1% of
//! `1/d`, one integer subtraction, off the FMA pipes on Zen 4), so `q + c` is
//! `N / (1 + E)` to well under an ulp. What remains is the error of `m`, which
//! moves the result by at most 2^-23.66 relative (about 1.3 ULP where the
//! result sits just below a power of two), and the last rounding.
//!
//! `sigmoid` divides `N = E` for `x < 0` and `N = 1` elsewhere, with
//! `E = m 2^n` scaled by [`Pow2::scale`] first: in
//! the normal range the scaling is exact and the quotient carries it (the
//! bits are those of `m / (1 + E)` scaled last), and where `E` is
//! subnormal (`x < -87.3`) so is the result, which is then `E` itself
//! (`d = 1`, `t` underflows), rounded once. The result is `q + t` with one
//! rounding on every lane: no `1 - S`, no second scaling, no select of the
//! result. It takes `1/d` as `1`, which leaves `c E` of the correction
//! (`c` below an ulp of `q`, `E` largest near `x = 0`): the 2-ULP contract
//! spent for one operation: 1.647 ULP over every input, where
//! `q + t (1 - E/2)` (the rough `1/d` then used for `silu`'s correction)
//! measured 1.480.
//!
//! `silu` divides `N = m` on every lane and forms, with one rounding,
//! `W = -a q - a c`, which is `-a sigmoid(-a)` scaled by `2^-n`; `W` is
//! scaled by `2^n` last (`a m 2^n` may be normal where `E` is not), and
//! `silu(x) = max(x, 0) + W`, as `sigmoid(x) = 1 - sigmoid(-x)`. For
//! `x < 0` that is `W` itself, added to `-0.0` (so a `W` of `-0.0`, at
//! `x = -0` and below -109, stays `-0.0`). For `x > 0` the second term is
//! `-x E / (1 + E)`, at most half of `x` and `E` times the result, so its
//! error reaches the result scaled by `E`: 1.125 ULP over every positive
//! `f32` (at `x = 0.6931208`), against 1.017 for `x / (1 + E)` compensated.
//! No select of the numerator or of the result: `max` and the sum take
//! their place (`max(-0.0, x)` is `x` at both zeros on every path, see
//! [`Simd::max`]). `|x|` is clamped to 112 where it enters the exponential
//! (`sigmoid` is `+0` below -104 and `silu` is `-0.0` below -109) with
//! [`Simd::abs_min`] (NaN lanes are the driver's); past 112 on the right,
//! `W` rounds to `-0.0`, so `silu(x) = x` for large `x`.
//!
//! That is `silu`'s general form. Within `|x| <= 80` (the inputs engines
//! meet) it takes a short form instead, which is its value there on every
//! path: `E = e^-80 = 2^-115.4` is normal, so `E = m 2^n` is formed first,
//! exactly, with [`Pow2::scale_normal`] (one product after a shift and an
//! integer subtraction on AVX2 and NEON, where the general scaling takes
//! two), the quotient is taken of `E / (1 + E)` itself, `W` is then
//! `-a sigmoid(-a)` at its scale, and `silu(x) = max(x, 0) + W` with no
//! scaling after it. No clamp either: the driver's main loop takes the
//! short form for an iteration whose every `|x|` is within the bound, NaN
//! excluded ([`Kernel::apply_short`]: one test for the iteration, which
//! replaces the NaN rule's), and the general form for the other
//! iterations. The two forms compute the same quantities, `2^n` apart (at
//! `n = 0`, `|x|` below about 0.35, the same operations), but where the
//! remainder `t` or the correction's product is subnormal at the scale of
//! `E` (small `t` at large `|x|`) they may round it differently, so each
//! lane takes the form its bound names, on every path. The general form
//! ([`Kernel::apply`]) does so without a branch: within the bound it
//! takes the quotient of `E` itself and scales by `2^0` last (three
//! operations more than it would alone on AVX-512, four on AVX2 and
//! NEON), which are the short form's operations. The scalar path takes
//! that form on every iteration ([`Simd::SHORT_FORMS`]): a branch per
//! iteration would keep the compiler from vectorizing its loop (0.71
//! Gelem/s at 1 Mi on Zen 4 with the branch, 0.97 without).
//!
//! `sigmoid` has a short form within `|x| <= 80` ([`Kernel::apply_short`]):
//! `E` is normal there, so `|x|` needs no clamp and `E` comes from one
//! product ([`Pow2::scale_normal`]: a shift, an integer subtraction and the
//! product on AVX2 and NEON, where the general scaling takes a shift and two
//! products), exact as the general form's is: the same bits, one operation
//! fewer and one fewer on the FMA pipes (6 to 7% faster on AVX2 on the
//! Emerald Rapids Xeon of the README). AVX-512 takes the clamp and the
//! scaling in one instruction each either way, so it does not test for it
//! ([`Kernel::SHORT_SCALING_ONLY`]).
//!
//! Cost per AVX-512 vector, besides the load, the store and the NaN rule:
//! `sigmoid` 19 operations (the clamp 1, a `vrangeps`, `m` and `n` 10, `E` 1,
//! the numerator 2: a compare and a select, the quotient 4 with one
//! division, `q + t` 1), `silu` 23 (the clamp 1, `m` and `n` 10, `E` 1,
//! the quotient 4, the correction 2, `W` 2 with its scaling 1, the result
//! 2: a `max` and a sum). On AVX2 and NEON each scaling by
//! `2^n` is three operations where AVX-512 has one `vscalefps` (a shift of
//! the shifter sum that rounded `n`, kept in [`Pow2`],
//! and two products; `silu`'s two share the shift, and the second product
//! of `W`'s is the FMA that adds it to `max(x, 0)`, with the rounding of the
//! two steps: [`Pow2::scale_add`]), and the clamp is two
//! ([`Simd::abs_min`]): three more for `sigmoid`, three for `silu`.
//! (`silu`'s figures are its general form alone: its value,
//! [`Kernel::apply`], takes three more on AVX-512 and four on AVX2 and
//! NEON to give the short form's bits within its bound; see below.)
//! `sigmoid` formerly divided `m` on every lane, scaled `q + c` by `2^n` and
//! took `1 - S` for `x >= 0`: two operations more on AVX-512, three on AVX2
//! and NEON. `silu` formerly divided `N = 1` for `x >= 0`, multiplied by the
//! unclamped `x` and selected the scaled result for `x < 0`: a compare, two
//! selects (three µops each for AVX2's `vblendvps` on Intel) and three
//! clamping operations, against one clamp, a `max` and a sum now: 26.
//! The short form of `silu` takes 22 on AVX-512 (`|x|` 1, `m` and `n` 10,
//! `E` 1, the quotient 4, the correction 2, `W` 2, the result 2) and 24 on
//! AVX2 and NEON, of which 15 on the FMA pipes against 18 for the general
//! form; on Zen 4 it ran `silu` 7 to 10% faster on AVX2 (with four vectors
//! per iteration, [`Kernel::WIDE`]) and as fast on AVX-512 (the README
//! gives the figures).
//!
//! For the gated units (`swiglu`, and `geglu_tanh` and `geglu_quick` through
//! the same [`XSigmoid`]), the product by `up` is rounded once from the value
//! before the last rounding, `max(x, 0) up + P 2^n` with `P = -a up (q + c)`,
//! so that the activation's last rounding does not reach the product (see
//! [`XSigmoid::times`]); the rounded result times `up` would count that
//! rounding's error double in the product's ulps where the product sits just
//! below a power of two.
//!
//! `swiglu`'s product has a short form too ([`Silu::short_times`]): `E`
//! scaled first as in `silu`'s, `|x|` clamped to 80, and `P` taken at its
//! own scale, so neither `E` nor `P` takes the general scaling (three
//! products fewer on AVX2 and NEON, a `vscalefps` fewer on AVX-512). It
//! holds where `x >= -80` and the sum of the small terms of `P` is
//! normal, which keeps `P` as accurate as the general form's, and is then
//! the product's value on every path; elsewhere the general form's is.
//! The lanes are tested as the general form's are (a compare and a class
//! test), and the driver's main loop tests them once per iteration.
//!
//! Measured max error over every `f32` (exhaustive): `sigmoid` 1.647 ULP
//! (at `x = -1.0993261`), `silu` 1.673 ULP (at `x = -48.240177`); every path
//! gives the scalar path's bits.
//!
//! Special values: `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`,
//! `sigmoid(+inf) = 1`, `sigmoid(±0) = 0.5`; `silu(-inf) = -0.0`,
//! `silu(+inf) = +inf`, `silu(±0) = ±0`.

use super::exp::{Pow2, exp_neg};
use super::{Kernel, SHORT_BOUND, recip_rough};
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

/// The compensated quotient `q + c` of `logistic_of`: `q`, its remainder
/// `t` against the exact denominator, and the rounded denominator `d`, from
/// which the correction `c = t / d` is taken.
struct Quotient<S: Simd> {
    q: S::F,
    t: S::F,
    d: S::F,
}

impl<S: Simd> Quotient<S> {
    /// `q + t` with one rounding: the correction with `1/d` taken as `1`,
    /// which is off by `c E` (see the module docs).
    #[inline(always)]
    fn sum_rough(&self, s: S) -> S::F {
        s.add(self.q, self.t)
    }
}

/// The compensated quotient of the module docs, `num / (1 + E)` as `q + c`
/// with `c` below an ulp of `q`, from `E = e^-|v|` in `[0, 1]` and a
/// numerator `num` in `{1, E, m}` per lane (`E = m 2^n`, `m` rounded; the
/// quotient is then `sigmoid(|v|)`, `sigmoid(-|v|)` or `2^-n` times it).
#[inline(always)]
fn logistic_of<S: Simd>(s: S, big_e: S::F, num: S::F) -> Quotient<S> {
    let one = s.splat(1.0);
    let d = s.add(one, big_e);
    let q = s.div(num, d);
    // num - q is exact (q is in [num/2, num]), so t is num - q (1 + E)
    // rounded once.
    let t = s.neg_mul_add(q, big_e, s.sub(num, q));
    Quotient { q, t, d }
}

impl Kernel for Sigmoid {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        // E / (1 + E) for x < 0, 1 / (1 + E) elsewhere, E = e^-|x| scaled
        // as it is: where it is subnormal, so is the result, which is then E.
        let a = s.abs_min(x, s.splat(CLAMP));
        let (m, p) = exp_neg(s, a);
        Self::of_e(s, x, p.scale(s, m))
    }

    const SHORT_MAX: Option<f32> = Some(SHORT_BOUND);

    /// It saves a clamp and a product that AVX-512 takes in as many
    /// instructions: not taken there.
    const SHORT_SCALING_ONLY: bool = true;

    /// Within `|x| <= SHORT_BOUND`, `E` is normal: no clamp, and `E` exact
    /// from one product ([`Pow2::scale_normal`]), as the general scaling
    /// gives it there; the same operations otherwise, so the same bits.
    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F) -> S::F {
        let (m, p) = exp_neg(s, s.abs(x));
        Self::of_e(s, x, p.scale_normal(s, m))
    }
}

impl Sigmoid {
    /// `sigmoid(x)` from `E = e^-|x|` as either form scales it:
    /// `E / (1 + E)` for `x < 0`, `1 / (1 + E)` elsewhere, compensated and
    /// rounded once ([`logistic_of`], [`Quotient::sum_rough`]).
    #[inline(always)]
    fn of_e<S: Simd>(s: S, x: S::F, big_e: S::F) -> S::F {
        let num = s.select(s.sign_mask(x), big_e, s.splat(1.0));
        logistic_of(s, big_e, num).sum_rough(s)
    }
}

impl XSigmoidForm for Silu {
    #[inline(always)]
    fn unrounded<S: Simd>(s: S, x: S::F) -> XSigmoid<S> {
        let (a, m, p) = Self::reduce(s, x);
        XSigmoid::new(s, x, (a, CLAMP), m, p)
    }

    /// `silu`'s value on every lane, without a branch: the general form,
    /// but the short form's operations within `|x| <= SHORT_BOUND`
    /// ([`XSigmoid::rounded_within`]).
    #[inline(always)]
    fn rounded<S: Simd>(s: S, x: S::F) -> S::F {
        let (a, m, p) = Self::reduce(s, x);
        XSigmoid::rounded_within(s, x, (a, CLAMP), (m, p), SHORT_BOUND)
    }

    const SHORT_MAX: Option<f32> = Some(SHORT_BOUND);

    /// Four vectors per iteration on AVX2: 2 to 5% faster there on Zen 4
    /// with the short form (the iteration's one test spread over twice the
    /// vectors; not measured on Intel, where two had been 8% faster for
    /// the form before).
    const WIDE: bool = true;

    #[inline(always)]
    fn rounded_short<S: Simd>(s: S, x: S::F) -> S::F {
        Self::short(s, x)
    }

    /// The short form's product where it holds ([`Silu::short_times`]),
    /// the general one elsewhere.
    #[inline(always)]
    fn times<S: Simd>(s: S, x: S::F, up: S::F) -> S::F {
        let (short, held) = Self::short_times(s, x, up);
        let beyond = s.mask_not(held);
        if s.any(beyond) {
            s.select(held, short, Self::unrounded(s, x).times(s, up))
        } else {
            short
        }
    }

    #[inline(always)]
    fn times_fast<S: Simd>(s: S, x: S::F, up: S::F) -> (S::F, S::M) {
        Self::short_times(s, x, up)
    }
}

impl Silu {
    /// `a = |x|`, clamped (past 109, `-a sigmoid(-a)` is below half the
    /// smallest subnormal, and it only ever leaves `x` itself for `x > 0`),
    /// and `e^-a = m 2^n`.
    #[inline(always)]
    fn reduce<S: Simd>(s: S, x: S::F) -> (S::F, S::F, Pow2<S>) {
        let a = s.abs_min(x, s.splat(CLAMP));
        let (m, p) = exp_neg(s, a);
        (a, m, p)
    }

    /// `silu`'s short form, its value within `|x| <= SHORT_BOUND`: `E =
    /// e^-|x|` is normal there, so the quotient is taken of `E / (1 + E)`
    /// at its scale and `max(x, 0) + w` needs no scaling (see the module
    /// docs).
    #[inline(always)]
    fn short<S: Simd>(s: S, x: S::F) -> S::F {
        let a = s.abs(x);
        let (m, p) = exp_neg(s, a);
        XSigmoid::short(s, x, a, (m, p))
    }

    /// The short product's `x sigmoid(x)` before its last rounding
    /// ([`Silu::short_times`]), from `a` clamped to `SHORT_BOUND`:
    /// `E = m 2^n` scaled first (normal for `a <= 80`) and the quotient of
    /// `E / (1 + E)` at its scale ([`XSigmoid::at_scale`]).
    #[inline(always)]
    fn at_scale<S: Simd>(s: S, x: S::F, a: S::F) -> XSigmoid<S> {
        XSigmoid::of_normal(s, x, a, exp_neg(s, a))
    }

    /// `silu(x) up` from the short form, and the lanes where that is the
    /// product's value ([`XSigmoid::held_at_scale`]). `a = min(|x|, 80)`,
    /// `E = m 2^n` formed first (normal), the quotient of `E / (1 + E)`,
    /// and `max(x, 0) up + P` with `P = -a up (q + c)` at its own scale:
    /// the general form's operations `2^n` apart, without the scaling of
    /// `P` (two products on AVX2 and NEON, a `vscalefps` on AVX-512) or
    /// the general scaling of `E` (one product more on AVX2 and NEON, where
    /// [`Pow2::scale_normal`] takes an integer subtraction in its place).
    ///
    /// It holds where `x >= -80` and the sum of `P`'s small terms,
    /// `h (-c) - e q`, is normal. That sum is at most about `1.3 2^-23` of
    /// `|P|`, so `|P|` is at least about `2^-103.4` and `h = a up` at least
    /// twice that: `e` is exact, or off by at most `2^-150`, and every term
    /// that may be subnormal at this scale (the remainder `t`, which is
    /// `-E^2` once `1 + E` rounds to 1 and subnormal past `|x|` of about
    /// 44, and the products of the small terms) adds at most `2^-150`,
    /// below `2^-34` of `P`: `P` is the general form's, as accurate. For
    /// `x > 80`, `a` is 80 and `P` below `2^-110` of `x up`, as the exact
    /// term is, on the same side: the product is the exact one correctly
    /// rounded either way. Elsewhere the general form gives the product:
    /// where `x` is below -80 or NaN, where `x` or `up` is zero, `up`
    /// infinite or NaN, or `a up` overflows, and where the small terms'
    /// sum is zero or subnormal: `|P|` below about `2^-102` (a small `up`,
    /// or `x` near -80 with an `up` near 1), or a sum that vanishes, as
    /// where `a up` is exact and `t` zero or subnormal (most pairs of
    /// 16-bit elements with `|x|` above about 45, and `x` past 80 with an
    /// exact `x up`). Those cost speed only.
    #[inline(always)]
    fn short_times<S: Simd>(s: S, x: S::F, up: S::F) -> (S::F, S::M) {
        let xs = Self::at_scale(s, x, s.abs_min(x, s.splat(SHORT_BOUND)));
        let (term, small) = xs.product_term(s, up);
        (s.mul_add(xs.base(s), up, term), xs.held_at_scale(s, small))
    }
}

/// A function of `silu`'s form, `x sigmoid(v)` as [`XSigmoid`] computes it
/// (`silu`, `gelu_tanh`, `gelu_quick`): a kernel whose product by `up` is
/// rounded from its value before the last rounding.
pub(crate) trait XSigmoidForm: Copy {
    /// The function's value before its last rounding.
    fn unrounded<S: Simd>(s: S, x: S::F) -> XSigmoid<S>;

    /// The function's value ([`Kernel::apply`]): by default the value
    /// before its last rounding, rounded.
    #[inline(always)]
    fn rounded<S: Simd>(s: S, x: S::F) -> S::F {
        Self::unrounded(s, x).rounded(s)
    }

    /// [`Kernel::WIDE`]: false by default.
    const WIDE: bool = false;

    /// [`Kernel::SHORT_MAX`]: none by default.
    const SHORT_MAX: Option<f32> = None;

    /// [`Kernel::apply_short`]: by default the function's value.
    #[inline(always)]
    fn rounded_short<S: Simd>(s: S, x: S::F) -> S::F {
        Self::rounded(s, x)
    }

    /// [`Kernel::apply_times`]: by default [`XSigmoid::times`].
    #[inline(always)]
    fn times<S: Simd>(s: S, x: S::F, up: S::F) -> S::F {
        Self::unrounded(s, x).times(s, up)
    }

    /// [`Kernel::apply_times_fast`]: by default [`XSigmoid::times_fast`].
    #[inline(always)]
    fn times_fast<S: Simd>(s: S, x: S::F, up: S::F) -> (S::F, S::M) {
        Self::unrounded(s, x).times_fast(s, up)
    }
}

impl<K: XSigmoidForm> Kernel for K {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        K::rounded(s, x)
    }

    const SHORT_MAX: Option<f32> = K::SHORT_MAX;
    const WIDE: bool = K::WIDE;

    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F) -> S::F {
        K::rounded_short(s, x)
    }

    #[inline(always)]
    fn apply_times<S: Simd>(self, s: S, x: S::F, up: S::F) -> S::F {
        K::times(s, x, up)
    }

    #[inline(always)]
    fn apply_times_fast<S: Simd>(self, s: S, x: S::F, up: S::F) -> Option<(S::F, S::M)> {
        Some(K::times_fast(s, x, up))
    }
}

/// `x sigmoid(v)` before its last rounding, from `a = |x|` (clamped) and
/// `E = e^-|v| = m 2^n`, as `silu` forms it (see the module docs), for `silu`,
/// `gelu_tanh` and `gelu_quick`: `max(x, 0) + P 2^n` with `P = -a (q + c)`,
/// `q + c` the quotient of `m / (1 + E)` (or of `E / (1 + E)` with `2^0`,
/// where `E` is normal: [`XSigmoid::at_scale`], and the value of `silu` and
/// `gelu_quick` within their short forms' bounds, [`XSigmoid::short`] and
/// [`XSigmoid::rounded_within`]). That is `x - a sigmoid(-|v|)` for `x >= 0`,
/// as `sigmoid(v) = 1 - sigmoid(-v)`, and `-a sigmoid(-|v|)` for `x < 0`;
/// `a m 2^n` may be normal where `E` is not, so `2^n` is applied last.
pub(crate) struct XSigmoid<S: Simd> {
    x: S::F,
    a: S::F,
    /// The clamp of `a`: below `-clamp` the function is `-0.0`.
    clamp: f32,
    q: S::F,
    /// The remainder `t` of the quotient, and `-r`, `r` within 5.1% of
    /// `1/d`: the correction is `c = t r`.
    t: S::F,
    neg_r: S::F,
    p: Pow2<S>,
}

impl<S: Simd> XSigmoid<S> {
    /// The quotient `q + c` of `m / (1 + E)`, `E = m 2^n`, kept as `q`, the
    /// remainder `t` and `-r`.
    #[inline(always)]
    pub(crate) fn new(s: S, x: S::F, (a, clamp): (S::F, f32), m: S::F, p: Pow2<S>) -> Self {
        Self::of_quotient(s, x, (a, clamp), logistic_of(s, p.scale(s, m), m), p)
    }

    /// From the quotient of `E / (1 + E)` itself, where `E` is normal, for
    /// the short forms of `silu` and `gelu_quick` ([`XSigmoid::short`],
    /// through [`XSigmoid::sum`]) and of `swiglu`'s product
    /// ([`XSigmoid::product_term`], [`XSigmoid::held_at_scale`]):
    /// `P` is then `-a sigmoid(-a)` at its scale and `2^n` is `1`; `a` is
    /// `|x|`, or clamped where the caller's test sets aside the lanes it
    /// clamps (`x` below -80). Only those methods and [`XSigmoid::base`]
    /// are meant for such a value (the others take the quotient of
    /// `m / (1 + E)`, the exponential's `2^n` and the clamp of `a`;
    /// [`XSigmoid::rounded_within`] builds the value within the bound with
    /// the clamp of `a` for [`XSigmoid::rounded`], which then scales by
    /// `2^0`).
    #[inline(always)]
    fn at_scale(s: S, x: S::F, a: S::F, quotient: Quotient<S>) -> Self {
        Self::of_quotient(s, x, (a, f32::INFINITY), quotient, Pow2::one(s))
    }

    /// The value of a function of this form on every lane, without a
    /// branch, from `a` (with its clamp) and `E = m 2^n` ([`XSigmoid::new`]'s
    /// arguments): the general form, but within `a <= bound` (where `E` is
    /// normal) the quotient of `E / (1 + E)` and the last scaling by `2^0`
    /// (exact), which are [`XSigmoid::short`]'s operations, so the bits are
    /// the short form's there. Three operations more than the general form
    /// alone on AVX-512 (a compare and two selects: the numerator and the
    /// power of two's `n`), four on AVX2 and NEON (the power of two's shifter
    /// sum is selected, so the two scalings no longer share its shift).
    #[inline(always)]
    pub(crate) fn rounded_within(
        s: S,
        x: S::F,
        (a, clamp): (S::F, f32),
        (m, p): (S::F, Pow2<S>),
        bound: f32,
    ) -> S::F {
        let big_e = p.scale(s, m);
        let within = s.le(a, s.splat(bound));
        let quotient = logistic_of(s, big_e, s.select(within, big_e, m));
        let p = Pow2::one(s).select(s, within, p);
        Self::of_quotient(s, x, (a, clamp), quotient, p).rounded(s)
    }

    /// The short form's value, from `a = |x|` and `E = m 2^n` normal (`E` is
    /// scaled first, [`Pow2::scale_normal`], and the quotient of
    /// `E / (1 + E)` taken at its scale): [`XSigmoid::rounded_within`]'s
    /// value within its bound, with no scaling after.
    #[inline(always)]
    pub(crate) fn short(s: S, x: S::F, a: S::F, e: (S::F, Pow2<S>)) -> S::F {
        Self::of_normal(s, x, a, e).sum(s)
    }

    /// From `a` and `E = m 2^n` normal: `E` scaled first
    /// ([`Pow2::scale_normal`]) and the quotient of `E / (1 + E)` taken at
    /// its scale ([`XSigmoid::at_scale`]), for [`XSigmoid::short`] and
    /// `silu`'s short product.
    #[inline(always)]
    fn of_normal(s: S, x: S::F, a: S::F, (m, p): (S::F, Pow2<S>)) -> Self {
        let big_e = p.scale_normal(s, m);
        Self::at_scale(s, x, a, logistic_of(s, big_e, big_e))
    }

    /// From `x`, `a` (with its clamp), the quotient and the power of two
    /// that scales it.
    #[inline(always)]
    fn of_quotient(
        s: S,
        x: S::F,
        (a, clamp): (S::F, f32),
        quotient: Quotient<S>,
        p: Pow2<S>,
    ) -> Self {
        Self {
            x,
            a,
            clamp,
            q: quotient.q,
            t: quotient.t,
            neg_r: recip_rough::<_, true>(s, quotient.d),
            p,
        }
    }

    /// `max(x, 0) + w` with `w` as it is, for a quotient taken at scale
    /// ([`XSigmoid::at_scale`]): what [`XSigmoid::rounded`] computes `2^n`
    /// apart (not always its bits: the remainder may round differently
    /// where it is subnormal at this scale).
    #[inline(always)]
    fn sum(&self, s: S) -> S::F {
        s.add(self.base(s), self.w(s))
    }

    /// `w`: `P = -a q - a c` rounded once, with `a c` taken as
    /// `-(t (a (-r)))` (at `x = ±0`, `t = +0` gives `-0.0`, so `w` is
    /// `-0.0`): `a (-r)` does not wait for the division, so one product
    /// fewer follows it than in `a (t (-r))` (2 to 4% faster on Zen 4; the
    /// two differ by at most about an ulp of `a c`, itself below an ulp of
    /// `a q`).
    #[inline(always)]
    fn w(&self, s: S) -> S::F {
        s.neg_mul_add(self.a, self.q, s.mul(self.t, s.mul(self.a, self.neg_r)))
    }

    /// `max(x, 0)`: `x` for `x >= 0`, `-0.0` below, so that a scaled `w`
    /// of `-0.0` (at `x = -0` and past the clamp) stays `-0.0`.
    #[inline(always)]
    fn base(&self, s: S) -> S::F {
        s.max(s.splat(-0.0), self.x)
    }

    /// The result: `max(x, 0) + w 2^n`, `w` scaled last. The scaling and
    /// the sum round as two steps would ([`Pow2::scale_add`]): `w 2^n` can
    /// be inexact only where `n < 0` (at `n = 0` it is `w` itself,
    /// subnormal or not), which takes `|x|` above 0.2 (`silu` 0.34,
    /// `gelu_tanh` about 0.21, `gelu_quick` 0.203), and there `max(x, 0)` is `-0.0` or `x`.
    #[inline(always)]
    pub(crate) fn rounded(&self, s: S) -> S::F {
        self.p.scale_add(s, self.base(s), self.w(s))
    }

    /// The result times `up`, rounded once from the value before the last
    /// rounding: `max(x, 0) up + P 2^n` with `P = -a up (q + c)`, where
    /// `a up = h + e` (`h` rounded, `e` from an FMA: exact wherever
    /// `|a up|` is above about `2^-103`), so `P` is `-h q` plus the small
    /// terms `h (-c) - e q` (`e c`, about `2^-48` of `P`, left out), rounded
    /// once in the FMA that adds them; `P` is scaled by `2^n` (exactly,
    /// unless `P 2^n` is subnormal, which for `x > 0` may happen under a
    /// normal product and costs up to half an ulp of it more) before the FMA
    /// that adds `max(x, 0) up`. Where `a up` is subnormal, `e` is lost and
    /// the product is rounded up to three times on the subnormal grid:
    /// about 1.25 ULP at most there, against 0.5 for the two-pass product.
    ///
    /// Outside the lanes [`XSigmoid::held`] gives (where the scaled `P` is
    /// zero, infinite or NaN, or `x` is below `-clamp`, where `a` is not
    /// `|x|`, or NaN; above `clamp` the second term is far below an ulp of
    /// `x up`), the lane takes [`XSigmoid::odd`]'s value; those lanes are
    /// tested once per vector and computed only where there is one (the
    /// driver's main loop tests them once per iteration instead, through
    /// [`XSigmoid::times_fast`], for `geglu_tanh` and `geglu_quick`; `swiglu` takes this form
    /// only for the lanes its short form sets aside).
    ///
    /// Cost over the rounded result times `up`: two operations (`e` and the
    /// small terms' FMA; `w` and its rounding are not needed), then the
    /// test: AVX-512 a class test, a compare, and the mask test that joins
    /// them; AVX2 five (the class test three, a compare, an `and`) and the
    /// mask test.
    #[inline(always)]
    pub(crate) fn times(self, s: S, up: S::F) -> S::F {
        let (scaled, fused) = self.fused(s, up);
        let odd = s.mask_not(self.held(s, scaled));
        if s.any(odd) {
            s.select(odd, self.odd(s, up, (scaled, fused)), fused)
        } else {
            fused
        }
    }

    /// The product of [`XSigmoid::times`] without its lanes set aside, and
    /// the lanes where it is `times`'s value ([`XSigmoid::held`]).
    ///
    /// Cost over the product: AVX-512 a class test, a compare and a mask
    /// and-not; AVX2 five operations (the class test three, a compare, an
    /// `and`), against the mask test and branch per vector of `times`.
    #[inline(always)]
    pub(crate) fn times_fast(self, s: S, up: S::F) -> (S::F, S::M) {
        let (scaled, fused) = self.fused(s, up);
        (fused, self.held(s, scaled))
    }

    /// The lanes where the fused product is the result, given the scaled
    /// `P`: that finite and nonzero, and `x` at or above `-clamp` (not
    /// NaN). A NaN `up` makes the scaled `P` NaN, so neither input is NaN
    /// there, nor is the product (`x = +inf` gives an infinite product).
    #[inline(always)]
    fn held(&self, s: S, scaled: S::F) -> S::M {
        s.mask_and(
            s.mask_not(s.is_zero_or_not_finite(scaled)),
            s.ge(self.x, s.splat(-self.clamp)),
        )
    }

    /// `P = -a up (q + c)` rounded once (see [`XSigmoid::times`]), and the
    /// sum of its small terms, `h (-c) - e q`.
    #[inline(always)]
    fn product_term(&self, s: S, up: S::F) -> (S::F, S::F) {
        let h = s.mul(self.a, up);
        let e = s.mul_sub(self.a, up, h);
        // h (-c) as t (h (-r)), as in `w`: `h (-r)` does not wait for the
        // division (`r < 1` for `d >= 1`, so it is finite wherever `h` is).
        let small = s.neg_mul_add(e, self.q, s.mul(self.t, s.mul(h, self.neg_r)));
        (s.neg_mul_add(h, self.q, small), small)
    }

    /// `P 2^n` and the product it gives.
    #[inline(always)]
    fn fused(&self, s: S, up: S::F) -> (S::F, S::F) {
        let scaled = self.p.scale(s, self.product_term(s, up).0);
        (scaled, s.mul_add(self.base(s), up, scaled))
    }

    /// For a quotient taken at scale ([`XSigmoid::at_scale`], `swiglu`'s
    /// short form), the lanes where the product `max(x, 0) up + P`, `P` at
    /// that scale, is the short form's: `x >= -SHORT_BOUND` (not NaN) and
    /// the sum of the small terms normal (see [`Silu::short_times`]).
    /// Cost: a compare, [`Simd::is_normal`] and the `and` of the masks, as
    /// much as [`XSigmoid::held`] on every path (AVX-512 three operations,
    /// AVX2 five).
    #[inline(always)]
    fn held_at_scale(&self, s: S, small: S::F) -> S::M {
        s.mask_and(s.ge(self.x, s.splat(-SHORT_BOUND)), s.is_normal(small))
    }

    /// The lanes [`XSigmoid::times`] sets aside (a NaN `x` is the driver's,
    /// which overwrites the lane; `x = +inf` gives the same bits either
    /// way):
    /// - where `up` is zero, infinite or NaN, `x` is zero, or `x` is below
    ///   `-clamp`: the rounded result times `up`, with IEEE's zeros,
    ///   infinities and NaN (the product's signs, `0 * inf`), and `-0.0`
    ///   times `up` below `-clamp`, where the activation is `-0.0`;
    /// - where the scaled `P` is infinite or NaN: the product with `up`
    ///   scaled by `2^-64`, scaled back by `2^64`. Every step scales exactly,
    ///   so this is the direct product's bits wherever that is finite, on a
    ///   path whose scaling did not overflow first (AVX-512's `vscalefps`
    ///   does not; the portable scaling by `2^(n + 65)` first does, for a
    ///   scaled `P` of `2^63` or more), and where `a up` overflowed. Nothing
    ///   underflows: `|up| >= 2^55` there (`|P 2^n| <= 0.28 |up|`, as
    ///   `a sigmoid(-a) <= 0.28`), so `up 2^-64` is exact and `e` and `h c`
    ///   stay normal, and `|P 2^n| >= 2^-34` where `a up` overflowed. The
    ///   same bound keeps the rescaled `P 2^n` below `2^62`, so the portable
    ///   scaling does not overflow again: a function of this form must keep
    ///   `a sigmoid(-|v|)` below 1;
    /// - elsewhere (the scaled `P` zero: an underflow) the direct product,
    ///   whose zero has the product's sign.
    #[inline(always)]
    fn odd(&self, s: S, up: S::F, (scaled, fused): (S::F, S::F)) -> S::F {
        let below_clamp = s.lt(self.x, s.splat(-self.clamp));
        let special = s.mask_or(
            s.mask_or(s.is_zero_or_not_finite(up), s.eq(self.x, s.splat(0.0))),
            below_clamp,
        );
        let (_, rescaled) = self.fused(s, s.mul(up, s.splat(TWO_POW_MINUS_64)));
        let rescaled = s.mul(rescaled, s.splat(TWO_POW_64));
        let finite = s.lt(s.abs(scaled), s.splat(f32::INFINITY));
        let direct = s.select(finite, fused, rescaled);
        s.select(special, s.mul(self.rounded(s), up), direct)
    }
}

/// `2^64`.
const TWO_POW_64: f32 = 18_446_744_073_709_551_616.0;
/// `2^-64`.
const TWO_POW_MINUS_64: f32 = 5.421_011e-20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::scalar::Scalar;

    #[test]
    fn silu_short_form_gives_its_value_within_its_bound() {
        crate::kernels::assert_short_form_gives_apply(Silu);
    }

    #[test]
    fn sigmoid_short_form_gives_its_value_within_its_bound() {
        crate::kernels::assert_short_form_gives_apply(Sigmoid);
    }

    /// The lanes `swiglu`'s short form holds ([`Silu::short_times`]) on
    /// each side of its bounds, on the scalar path (every path gives its
    /// bits: `tests/gated.rs`), and where it holds, its product within an
    /// ulp of the general form's (the same value, rounded the same way but
    /// where a term is subnormal at one of the two scales).
    #[test]
    fn short_product_holds_where_its_small_terms_are_normal() {
        let cases = [
            (1.5f32, 0.75f32, true),
            (-3.25, -2.5, true),
            (40.0, 1.1, true),
            // At -80, with an inexact `a up` (so `e` is not zero): held;
            // just past -80, the same terms (`a` is clamped): set aside.
            (-80.0, 1.0e10, true),
            (-80.000_01, 1.0e10, false),
            // Past 80, `a` is 80: held where the small terms are normal,
            // set aside where `x up` is exact and `t` zero.
            (85.0, 1.0e10, true),
            (85.0, 0.5, false),
            (f32::INFINITY, 1.0e10, true),
            // `a up` exact and `t = -E^2` subnormal: the sum vanishes.
            (-50.0, 2.0, false),
            // `|P|` about 2^-121.
            (-30.0, 1.0e-25, false),
            (5.0e-39, 1.0, false),
            (0.0, 1.0, false),
            (-0.0, 1.0, false),
            (1.5, 0.0, false),
            (1.5, -0.0, false),
            (1.5, f32::INFINITY, false),
            (1.5, f32::NAN, false),
            (f32::NAN, 1.5, false),
            (f32::NEG_INFINITY, 1.5, false),
            (-1.5, f32::MAX, false),
        ];
        for (gate, up, want) in cases {
            let (short, held) = Silu::short_times(Scalar, gate, up);
            assert_eq!(held, want, "gate = {gate:e}, up = {up:e}");
            if held {
                let general = Silu::unrounded(Scalar, gate).times(Scalar, up);
                if general.is_finite() {
                    let apart = (short.to_bits() as i64 - general.to_bits() as i64).abs();
                    assert!(
                        short.is_sign_negative() == general.is_sign_negative() && apart <= 1,
                        "gate = {gate:e}, up = {up:e}: {short:e} against {general:e}"
                    );
                } else {
                    assert_eq!(short.to_bits(), general.to_bits(), "gate = {gate:e}");
                }
            }
        }
    }
}
