//! `mish(x) = x tanh(softplus(x))`.
//!
//! Form: with `u = e^-|x|` in `(0, 1]`, `tanh(softplus(x))` is
//! `u (u + 2) / (u^2 + 2u + 2)` for `x <= 0` and `(2u + 1) / (2u^2 + 2u + 1)`
//! for `x > 0`. Both sides are `mish = X (1 - k)` with `k` in `[0, 0.4]` a
//! quotient of one shape, `k = z (z + g) / (z^2 + 2z + 2)`:
//! - `x <= 0`: `z = u`, `g = 1`, `X = x u`, computed as `2^n P` with
//!   `u = m 2^n` from [`exp_neg`] (`m` rounded once, within 0.89 ulp) and
//!   `P = x m`, the power of two last, so results in the subnormal range are
//!   rounded once;
//! - `x > 0`: `z = 2u`, `g = 0`, `X = P = x`.
//!
//! No table: [`exp_neg`] (a polynomial and a power of two), one division and
//! its compensation. Errors in `k` reach the result scaled by
//! `k / (1 - k) <= 2/3`, so `k` is needed to a couple of ulps only; the
//! division's remainder `rho = N - k d` (exact, one FMA) and the rounding
//! errors of the numerator `N = fma(z, z, g z)` and of the denominator
//! `d = fma(z, z + 2, 2)` (each recovered by an FMA: `g z - N` and `2 - d` are
//! exact) make the correction `c = (rho + eN - k ed) / d`, with `1/d` taken
//! within 5.1% from the bits of `d` by an integer subtraction (`c` is a few
//! ulps of `k`). The rounding of `z + 2` is left in (it moves `d` by at most
//! `2^-24` relative).
//! Then `mish = 2^n (P + ((lo - P c) - P k))` (`n = 0` on the right) in two
//! FMAs and an add, where `x m = P + lo` exactly on the left (one FMA) and
//! `lo = 0` on the right; `lo k` is left out (at most a third of an ulp of
//! the result, and included in the measured error below). Without the
//! correction the error reaches 2.3 ULP (every 101st `f32`); with `rho` and
//! `ed` alone, 2.002 over every `f32`: both beyond the bound of 2.
//!
//! `|x|` is clamped to 112 where it enters the exponential (`mish` is `-0.0`
//! below about `-108.7`), and `x` to `-112` from below where it multiplies.
//! On the right `x` is not clamped: past 16, `k < 2^-45` and the result
//! rounds to `x`, and past 112, `u`, `k` and `c` are `+0`, so the result is
//! `x` exactly, unscaled. `+inf` (where `x m - P` is NaN) and `±0` (where the
//! sum gives `+0`) are passed through as they come with
//! [`Simd::pass_zero_inf`].
//!
//! Cost per vector, besides the load, the store and the NaN rule: 39 operations
//! on AVX-512 (the exponential 12 with its clamp and scaling, the quotient 5
//! with one division, its correction 9 of which 1 on the integer side, the two
//! sides' selects 5, the result 6 with its scaling, the clamp of `x` and the
//! pass of `±0` and `+inf` 2), of which 32 are FMAs, products, sums, min/max or
//! the division; on AVX2 and NEON each of the two scalings by `2^n` is a shift
//! of the shifter sum that rounded `n` (see [`Pow2`](super::exp::Pow2)) and two
//! products where AVX-512 has one `vscalefps`, the clamp of `|x|` is two
//! operations ([`Simd::abs_min`]) where AVX-512 has one `vrangeps`, and the
//! pass four (two compares, an `or` and a select) where AVX-512 has one
//! `vfixupimmps`: 46 in all (the two scalings share their shift), and three
//! more for the short form's lanes (below). The former form, degree-6 polynomials per exponent
//! from two 16-entry tables (15 [`Simd::lookup16`] and 7 selects per vector:
//! one `vpermps` each on AVX-512, five operations on AVX2, a four-register
//! `tbl` with its index arithmetic on NEON, and two [`Simd::mul_exp2`] with a
//! branch), was faster on AVX-512 only.
//!
//! That is the general form. Within `|x| <= 80` (the inputs engines meet)
//! `mish` takes a short form, which is its value there on every path (see
//! [`Kernel::apply_short`]: the driver's main loop takes it for an
//! iteration whose every `|x|` is within the bound, NaN excluded, with one
//! test for the iteration that replaces the NaN rule's, on every path but
//! the scalar one): `u = e^-80 = 2^-115.4` is normal there, and so
//! is `x u`, so `u` is scaled first with
//! [`Pow2::scale_normal`](super::exp::Pow2::scale_normal) (one product
//! on AVX2 and NEON where the general scaling takes two) and `X = x u =
//! P + lo` is taken at its scale: no clamp of `x`, no scaling or select
//! after. The two forms compute the same quantities `2^n` apart (at
//! `n = 0`, `|x|` below about 0.35, the same operations), but `lo` and the
//! correction's products may round where they are subnormal at the scale of
//! `u`, so each lane takes the form its bound names: the general form
//! ([`Kernel::apply`]) takes `X = x u` and no last scaling within the
//! bound, without a branch (three operations more than it would alone),
//! which are the short form's operations there. Per
//! vector, the short form saves three operations on AVX-512 (the clamp of
//! `x`, the last scaling and its select) and five on AVX2 and NEON (those,
//! the last scaling being two there, its shift shared with the first, and
//! one of the two of the clamp of `|x|`); on Zen 4 it ran 8 to 9% faster
//! on AVX2 and 0 to 3% on AVX-512 (the README gives the figures).
//!
//! Special values: `mish(NaN) = NaN`, `mish(-inf) = -0.0`,
//! `mish(+inf) = +inf`, `mish(±0) = ±0`.
//!
//! Measured max error: 1.731 ULP over every `f32` (at `x = -0.6052169`);
//! every path gives the scalar path's bits.

use super::exp::exp_neg;
use super::{Kernel, SHORT_BOUND, quotient_residual, recip_rough};
use crate::simd::Simd;

/// `mish`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mish;

/// `|x|` is clamped here where it enters the exponential, and `x` from below
/// (as `-112`) where it multiplies: below about `-108.7`, `mish` rounds to
/// `-0.0`.
const ABS_X_MAX: f32 = 112.0;

impl Kernel for Mish {
    /// The short form's value within `|x| <= SHORT_BOUND`, the general
    /// form's beyond, without a branch (see [`general`]).
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        general(s, x)
    }

    const SHORT_MAX: Option<f32> = Some(SHORT_BOUND);

    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F) -> S::F {
        short(s, x)
    }
}

/// `mish`'s general form, its value on every lane, without a branch (see
/// the module docs): within `|x| <= SHORT_BOUND` it takes the short form's
/// operations, `X = x u` from `u` itself (exact there) and no last scaling
/// (the short form's scale is the result's), so the bits are the short
/// form's there. Three operations more than without that: the compare,
/// the select of `m` or `u`, and an and-not of the masks that pick the
/// lanes to scale.
#[inline(always)]
fn general<S: Simd>(s: S, x: S::F) -> S::F {
    let a = s.abs_min(x, s.splat(ABS_X_MAX));
    let (m, pow2) = exp_neg(s, a);
    let u = pow2.scale(s, m);
    let left = s.sign_mask(x);
    let within = s.le(a, s.splat(SHORT_BOUND));
    // 2^n (P (1 - k - c) + lo) with x m = P + lo on the left (P + lo =
    // x u, unscaled, within the bound), x (1 - k - c) on the right; x
    // clamped below at -112 only: on the right, k and c are +0 past the
    // exponential's clamp, so a finite x gives x.
    let xc = s.max(x, s.splat(-ABS_X_MAX));
    let f = s.select(left, s.select(within, u, m), s.splat(1.0));
    let y = one_less_k(s, xc, f, u, left);
    // Scaled on the left beyond the bound only: on the right X = x, and
    // `pow2` holds the exponent of e^-|x|.
    let scaled = s.mask_and(left, s.mask_not(within));
    let y = s.select(scaled, pow2.scale(s, y), y);
    // +inf (where lo is NaN) and ±0 (where y is +0) as they come.
    s.pass_zero_inf(x, y)
}

/// `mish`'s short form, its value within `|x| <= SHORT_BOUND`: `u` is
/// normal there, and so is `x u` but for a subnormal `x` (where `n = 0` and
/// the two forms are the same operations), so `X = x u` is taken at its
/// scale and nothing is scaled after (see the module docs).
#[inline(always)]
fn short<S: Simd>(s: S, x: S::F) -> S::F {
    let (m, pow2) = exp_neg(s, s.abs(x));
    let u = pow2.scale_normal(s, m);
    let left = s.sign_mask(x);
    let y = one_less_k(s, x, s.select(left, u, s.splat(1.0)), u, left);
    // ±0 as they come (+inf is beyond the bound).
    s.pass_zero_inf(x, y)
}

/// `X (1 - k)` for `X = x f` (`f` is `m` or `u` on the left, `1` on the
/// right), `k` the quotient of the module docs from `u = e^-|x|`: the
/// quotient, its correction and `P + ((lo - P c) - P k)` with `x f = P + lo`
/// exactly.
#[inline(always)]
fn one_less_k<S: Simd>(s: S, x: S::F, f: S::F, u: S::F, left: S::M) -> S::F {
    let zero = s.splat(0.0);
    let two = s.splat(2.0);
    // The two sides (at ±0 both give +0, and `pass_zero_inf` restores x).
    let z = s.select(left, u, s.add(u, u));
    let gz = s.select(left, z, zero);
    // k = N / d, N = z^2 + g z, d = z^2 + 2z + 2, and its correction c.
    let num = s.mul_add(z, z, gz);
    let z_plus_2 = s.add(z, two);
    let d = s.mul_add(z, z_plus_2, two);
    let k = s.div(num, d);
    let e_num = s.mul_add(z, z, s.sub(gz, num));
    let e_d = s.mul_add(z, z_plus_2, s.sub(two, d));
    let residual = quotient_residual(s, k, (num, Some(e_num)), (d, e_d));
    let p = s.mul(x, f);
    let lo = s.mul_sub(x, f, p);
    // P c as residual (P r), 1/d within 5.1% (d is in [2, 10]): `P r`
    // does not wait for the division.
    let p_r = s.mul(p, recip_rough::<_, false>(s, d));
    let t = s.neg_mul_add(p, k, s.neg_mul_add(residual, p_r, lo));
    s.add(p, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_form_gives_its_value_within_its_bound() {
        crate::kernels::assert_short_form_gives_apply(Mish);
    }
}
