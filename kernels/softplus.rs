//! `softplus(x; beta, threshold)`: PyTorch's `Softplus(beta, threshold)`, `x`
//! where `beta x > threshold` (the product rounded to `f32`), else
//! `log1p(e^(beta x)) / beta`.
//!
//! Form: with `b = beta x`, `softplus = max(x, 0) + log1p(E) / beta`,
//! `E = e^-|b|` in `(0, 1]` (`max(b, 0) / beta = max(x, 0)` exactly), so only
//! `log1p(E)` is approximated, and nothing overflows on the way. No table:
//! `log1p(E) = 2 atanh(s)`, `s = E / (2 + E)` in `[0, 1/3]`, is
//! `2 s (1 + w)` with `w = z P(z)`, `z = s^2`, at most 0.04, so the
//! polynomial's own roundings are scaled down by 25 and `2 s` carries the
//! accuracy.
//!
//! `E`: `|b| = nb - e` exactly (`nb = beta |x|` rounded, `e` its error by an
//! FMA; `e = 0` when `beta` is a power of two), and [`exp_neg_reduce`] of `nb`,
//! minus `e`, gives `E = 2^n e^-v`. For a `beta` that is not a power of two,
//! `e^-v = m + m_lo` is [`exp_neg_h`]'s polynomial with its last step kept as a
//! pair ([`one_plus_product`]): within `2^-25` relative (the roundings of `v`
//! and of `v - e`), so the rounding of `m` alone (`2^-24`, up to an ulp of the
//! result where it sits just below a power of two) does not reach the result.
//! For a power of two (the default `beta = 1`; a tiny one below keeps the pair)
//! `m` is rounded once, within about 0.89 ulp as in [`exp_neg`] (measured there
//! for `|b| <= 112`), three operations fewer: that error reaches the result
//! (diluted where `E` is not small: the relative error of `log1p(E)` is that of
//! `E` times `E / ((1 + E) log1p(E)) <= 1`), and at `beta = 1` the max error
//! went from 1.27 to 1.51 ULP. Other `beta` measured up to 1.89 ULP without the
//! pair (every 61st `f32` at `beta = 1e-5`), too near the bound, so they keep
//! it.
//!
//! Division by `beta = m_b 2^k` (`m_b` in `[1, 2)`) goes into the quotient:
//! `log1p(E) / beta = 2^(n + 1 - k) Q (1 + w)` with `Q = m / d`,
//! `d = m_b (2 + E)` (`2 + E` for a power of two, an add instead of an FMA:
//! [`SoftplusKernel`] picks the kernel type by `beta`, and at 1 by the
//! threshold). `q = m / d` rounded is corrected by
//! `c = (rem + m_lo - q e_d) / d` to a fraction of an ulp (no `m_lo` for a
//! power of two): `rem = m - q d` is exact (one FMA), the rounding error `e_d`
//! of `d` is exact for a power of two (`2 - d` and the sum with `E` are exact)
//! and rounded once otherwise (`2 m_b - d` is exact, the FMA rounds), and
//! `1/d` is taken within 4.2% as `r0 + r1 E` (it only scales the correction).
//! `E` leaves out `m_lo 2^n`, so `m_lo` is added whole where `2 / (2 + E)` of
//! it belongs: up to `2^-26.3` relative, inside the measured error.
//! `s = E / (2 + E) = 2^n q m_b` needs no more than `q` (`w` needs `z` to
//! `2^-21` only). Then `y = q + (q w + c)` is rounded and scaled by
//! `2^(n + 1 - k)` with [`Simd::mul_pow2_wide`] (`n + 1 - k` is in
//! `[-160, 150]`, `y` in `[0.11, 0.71]`), exact but for results in the
//! subnormal range, which are rounded once more, and the result is
//! `max(x, 0) + y 2^(n + 1 - k)`. `P` has degree 3, minimax for the relative
//! error of `1 + z P(z)` (2^-27.7 with the `f32` coefficients:
//! `cargo run --release --bin fit -- softplus`). Only scalars depend on
//! `beta`, so a call costs no setup.
//!
//! Where `beta x > 16`, `log1p(E) / beta < 2^-27 x`, so the formula returns `x`
//! anyway (the exact result is within 0.12 ULP of it): the threshold is clamped
//! to 16. Beyond `|beta x| = (160 - k) ln2` the result is `max(x, 0)` (the rest
//! rounds to 0): `|x|` is clamped to that cut-off, `abs_x_max`, where
//! `log1p(E) / beta` is about `2^-160 / m_b` and rounds to `+0`, so the lanes
//! beyond it (`-inf` among them) need no select. Only for a `beta` below about
//! `2^-120`, whose cut-off is past `f32::MAX`, does `-inf` have to be tested
//! and its result set to `+0` (the kernel type for such `beta` keeps the pair
//! `m + m_lo` whatever `beta` is).
//!
//! Cost per vector, besides the load, the store and the NaN rule, for a power
//! of two `beta`: 36 operations on AVX-512 (the cut-off 1, a `vrangeps`, `E`
//! 13 with its reduction, the quotient 2 with one division, its correction 6,
//! `w` 6, the scaled result 4, `max(x, 0)`, the sum and the threshold 4), 26
//! of them FMAs, products, the division, `min`, `max` or `vscalefps`; four
//! fewer for `beta = 1` with a threshold of at least 16 (PyTorch's default is
//! 20), which has a kernel type of its own: it skips the product `beta |x|`
//! (exact at 1), the threshold's compare and select (past 16 the sum is `x`
//! already, as above), and the exponent `n + 1` (it forms the sum doubled,
//! `2q + (q (2w) + 2c)` with `2w` and `2c` from doubled constants, and scales
//! that by `2^n`; each rounding is of a doubled value, so the result has the
//! same bits: the same digest over all 2^32 inputs. Where `w` or `c` is
//! subnormal, so that doubling it is not exact, `E < 2^-61`: `d` rounds to 2,
//! `rem = 0` and `c` is about `-q E/2`, beside which `q w`, about `c E/6`,
//! vanishes in its FMA, and a subnormal `c` vanishes beside `q`, so the sum is
//! `q` and the doubled sum `2q`); six more for other `beta` (`m_lo` three,
//! `beta |x|`'s error and `m_b` three) and three more for a tiny `beta` (the
//! test of `-inf`). On AVX2 and NEON the cut-off is two operations
//! ([`Simd::abs_min`]), the two scalings by `2^max(n, N_FLOOR)` take a `max`,
//! a shift of the shifter sum that rounded `n` (see
//! [`Pow2`](super::exp::Pow2)) and four products where AVX-512 has a `max` and
//! two `vscalefps` (three more), and [`Simd::mul_pow2_wide`] is eight
//! operations, with no branch, where AVX-512 has one `vscalefps`. The select
//! of `|x|` and of the result beyond the cut-off, and `max(x, 0)` as an
//! integer mask, took four operations more on AVX-512 and three on AVX2 and
//! NEON (where the loop also spilled more: llvm-mca counts seven instructions
//! fewer per AVX2 vector). The former form, a degree-6 polynomial in `v` per
//! exponent from 16-entry tables (nine [`Simd::lookup16`] per vector, five
//! operations each on AVX2 and a four-register `tbl` on NEON, and two
//! [`Simd::mul_exp2`]), was no faster on AVX-512 (one `vpermps` per lookup)
//! and slower on every other path.
//!
//! The `ONE` type has a short form within `|x| <= 80` ([`Kernel::apply_short`],
//! the bound [`SHORT_BOUND`]: the driver's main loop takes it for an
//! iteration whose every input is within it): there `n >= -115`, so `2^n` is
//! a normal `f32`, as are `E`, `s` and the result, and each scaling is one
//! product ([`Pow2::scale_normal`](super::exp::Pow2::scale_normal)), exact
//! or rounded once as the general scalings round it; `|x|` is below the
//! cut-off and `n` above the floor, so neither is applied. The same
//! operations otherwise, so the same bits. On AVX2 and NEON the three
//! scalings take a shift, an integer subtraction and three products where
//! the general form takes the floor's `max`, a shift, four products and
//! [`Simd::mul_pow2_wide`]'s eight operations, and the cut-off's `min` goes:
//! ten operations fewer. On AVX-512 it would save the floor's
//! `max` only (each scaling is one `vscalefps` either way), less than the
//! test per iteration costs, so AVX-512 does not take it
//! ([`Kernel::SHORT_SCALING_ONLY`]): it measured 3 to 5% slower there.
//!
//! Measured max error: 1.511 ULP over every `f32` at `beta = 1, threshold = 20`
//! (at `x = -2.0404227`; the tabulated form measured 1.11). On strided
//! sweeps (every 61st `f32`, every 7th at `beta` 1.5 and 0.75): at most
//! 1.38 ULP at `beta` = 0.75, 1.5, 3.3, 0.1, 17, 1e-5, 1e5 and at extreme
//! `beta` (1e-38, 7e-37, 1e-30, 1e30, 3.4e38), and at most 1.47 at powers
//! of two (0.5, 2, 4, 2^-20, 2^60, 2^-126, 2^127). Every path gives the
//! scalar path's bits.
//!
//! Special values: `softplus(NaN) = NaN`, `softplus(-inf) = +0`,
//! `softplus(+inf) = +inf`, `softplus(±0) = ln2 / beta` (rounded once; `±0`
//! itself for a negative `threshold`, as `beta * 0 > threshold` there).
//! Never negative for `threshold >= 0`; a negative `threshold` gives `x`
//! itself wherever `beta x > threshold`, negative values included.

use super::exp::{exp_neg, exp_neg_h, exp_neg_reduce, one_plus_product};
use super::{Kernel, KernelChoice, KernelUse, SHORT_BOUND, horner, quotient_residual};
use crate::Error;
use crate::simd::Simd;

/// Above `beta x = 16` the result is `x` (see the module docs).
const IDENTITY_ABOVE: f32 = 16.0;
/// `|beta x|` is cut at `(SCALE_FLOOR - k) ln2`: beyond it the result
/// `log1p(E) / beta < 2^-SCALE_FLOOR` rounds to 0.
const SCALE_FLOOR: f64 = 160.0;
/// `E` and `s` are scaled by `2^max(n, N_FLOOR)`, in the range of
/// [`Simd::mul_pow2`]; below it they come out `0` or `2^-149`, which change
/// nothing next to `2 m_b` and `1`.
const N_FLOOR: f32 = -150.0;

/// `c1..c4` of `atanh(s) / s = 1 + z (c1 + c2 z + c3 z^2 + c4 z^3)`,
/// `z = s^2` in `[0, 1/9]`, minimax for relative error: 2^-27.7 with the
/// `f32` coefficients (`fit -- softplus`).
const SOFTPLUS_C1: f32 = 3.333_321e-1; // 0x1.555502p-2
/// See [`SOFTPLUS_C1`].
const SOFTPLUS_C2: f32 = 2.001_071_9e-1; // 0x1.99d1ccp-3
/// See [`SOFTPLUS_C1`].
const SOFTPLUS_C3: f32 = 1.400_151_3e-1; // 0x1.1ec040p-3
/// See [`SOFTPLUS_C1`].
const SOFTPLUS_C4: f32 = 1.400_339e-1; // 0x1.1eca18p-3

/// PyTorch's `Softplus(beta, threshold)` for `beta = m_b 2^k`: with
/// `SCALED = false` for `m_b = 1` (a power of two, the default 1 among them:
/// `beta |x|` is exact and the quotient's denominator is `2 + E`), else
/// with `SCALED = true`. `TINY` is true for a `beta` so small (below about
/// `2^-120`) that every finite `x` is inside the cut-off `|x| <= abs_x_max`
/// (`abs_x_max` is `f32::MAX`): only `x = -inf` is beyond it, so it is tested
/// and selected; for every other `beta` the cut-off is one clamp of `|x|`,
/// where the result already rounds to `0`. `ONE` is true for `beta = 1`
/// with a threshold of at least 16 (PyTorch's default: 1 and 20), whose
/// kernel skips the product `beta |x|`, the threshold's select and the
/// exponent `n + 1` (see the module docs); the same bits as the kernel of a
/// power of two.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Softplus<const SCALED: bool, const TINY: bool, const ONE: bool = false> {
    beta: f32,
    /// `m_b` of `beta = m_b 2^k`, in `[1, 2)`.
    m_b: f32,
    /// `1 / (2 m_b)` and `-1 / (6 m_b)` rounded: `1/d` within 4.2% is
    /// `r0 + r1 E` (it only scales the correction).
    r0: f32,
    /// See [`Softplus::r0`].
    r1: f32,
    /// `k - 1`, `k` of `beta = m_b 2^k`: the result is scaled by `2^(n - k + 1)`
    /// (unused by the `ONE` type, which scales its doubled sum by `2^n`).
    k_minus_1: f32,
    /// The largest `x` with `beta x <= min(threshold, 16)` in `f32` (unused by
    /// the `ONE` type, whose threshold is at least 16).
    x_last: f32,
    /// Beyond this `|x|` the result is `max(x, 0)`.
    abs_x_max: f32,
}

/// A validated `softplus`: [`Softplus`] for `beta = 1` with a threshold of at
/// least 16, a power of two, any other `beta`, or a tiny one.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SoftplusKernel {
    /// `beta = 1`, a threshold of at least 16.
    One(Softplus<false, false, true>),
    /// `beta` a power of two, not tiny (1 among them, with a threshold below
    /// 16).
    PowerOfTwo(Softplus<false, false>),
    /// Any other `beta`, not tiny.
    Scaled(Softplus<true, false>),
    /// A `beta` whose cut-off `abs_x_max` is `f32::MAX`, a power of two or
    /// not.
    Tiny(Softplus<true, true>),
}

impl KernelChoice for SoftplusKernel {
    #[inline(always)]
    fn hand_to<U: KernelUse>(self, u: U) -> U::Output {
        match self {
            SoftplusKernel::One(k) => u.with(k),
            SoftplusKernel::PowerOfTwo(k) => u.with(k),
            SoftplusKernel::Scaled(k) => u.with(k),
            SoftplusKernel::Tiny(k) => u.with(k),
        }
    }
}

impl SoftplusKernel {
    /// Validates the parameters: `beta` finite and `> 0`, `threshold` not NaN.
    pub(crate) fn new(beta: f32, threshold: f32) -> Result<SoftplusKernel, Error> {
        if !(beta.is_finite() && beta > 0.0) {
            return Err(Error::InvalidParameter {
                function: "softplus",
                parameter: "beta",
                value: beta,
                requirement: "finite and > 0",
            });
        }
        if threshold.is_nan() {
            return Err(Error::InvalidParameter {
                function: "softplus",
                parameter: "threshold",
                value: threshold,
                requirement: "a number (not NaN)",
            });
        }
        let b = f64::from(beta);
        // `beta = m_b 2^k` from the bits of `b` (f64: `beta` may be subnormal).
        let exponent_bits = b.to_bits() & (0x7ff << 52);
        let k = f64::from((exponent_bits >> 52) as i32 - 1023);
        let m = b / f64::from_bits(exponent_bits);
        let abs_b_max = (SCALE_FLOOR - k) * std::f64::consts::LN_2;
        let abs_x_max = (abs_b_max / b).min(f64::from(f32::MAX));
        let x_last = last_at_most(beta, threshold.min(IDENTITY_ABOVE));
        // The fields, for any of the four types.
        macro_rules! kernel {
            () => {
                Softplus {
                    beta,
                    m_b: m as f32,
                    r0: (0.5 / m) as f32,
                    r1: (-1.0 / (6.0 * m)) as f32,
                    k_minus_1: (k - 1.0) as f32,
                    x_last,
                    abs_x_max: abs_x_max as f32,
                }
            };
        }
        Ok(if abs_x_max == f64::from(f32::MAX) {
            SoftplusKernel::Tiny(kernel!())
        } else if beta == 1.0 && threshold >= IDENTITY_ABOVE {
            SoftplusKernel::One(kernel!())
        } else if m == 1.0 {
            SoftplusKernel::PowerOfTwo(kernel!())
        } else {
            SoftplusKernel::Scaled(kernel!())
        })
    }
}

/// The largest `f32` `x` with `beta * x <= t` in `f32` arithmetic (`-inf` if
/// there is none), so that `x > x_last` exactly when `beta * x > t`: the
/// rounded product is monotonic in `x`.
fn last_at_most(beta: f32, t: f32) -> f32 {
    if t == f32::NEG_INFINITY {
        return f32::NEG_INFINITY;
    }
    let mut x = (f64::from(t) / f64::from(beta)) as f32;
    while beta * x > t {
        x = x.next_down();
    }
    while x < f32::MAX && beta * x.next_up() <= t {
        x = x.next_up();
    }
    x
}

impl<const SCALED: bool, const TINY: bool, const ONE: bool> Kernel for Softplus<SCALED, TINY, ONE> {
    // Four vectors per iteration on AVX2: 16 to 19% faster than two on
    // Zen 4, within 1% on a Xeon (the README's Throughput section).
    const WIDE: bool = true;
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        self.eval::<S, false>(s, x)
    }

    /// The `ONE` type's short form within `|x| <= SHORT_BOUND` (see the
    /// module docs); the other types have none.
    const SHORT_MAX: Option<f32> = if ONE { Some(SHORT_BOUND) } else { None };

    /// It saves what `vscalefps` makes free: not taken on AVX-512.
    const SHORT_SCALING_ONLY: bool = true;

    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F) -> S::F {
        self.eval::<S, ONE>(s, x)
    }
}

impl<const SCALED: bool, const TINY: bool, const ONE: bool> Softplus<SCALED, TINY, ONE> {
    /// `softplus(x)`: with `SHORT` (the `ONE` type's short form, for
    /// `|x| <= SHORT_BOUND` only), without the cut-off and the floor of `n`,
    /// which change nothing there, and with each scaling by `2^n` one
    /// product ([`Pow2::scale_normal`](super::exp::Pow2::scale_normal)): the
    /// same bits.
    #[inline(always)]
    fn eval<S: Simd, const SHORT: bool>(self, s: S, x: S::F) -> S::F {
        const { assert!(!SHORT || ONE) };
        let zero = s.splat(0.0);
        let beta = s.splat(self.beta);
        let abs_x_max = s.splat(self.abs_x_max);
        // The cut-off: |x| clamped to abs_x_max, where the result rounds to
        // 0 already; for a tiny `beta`, -inf tested (its result is set to 0
        // below) and read as 0.
        let (ax, far) = if SHORT {
            (s.abs(x), None)
        } else if TINY {
            let ax = s.abs(x);
            let far = s.gt(ax, abs_x_max);
            (s.select(far, zero, ax), Some(far))
        } else {
            (s.abs_min(x, abs_x_max), None)
        };
        // beta |x| = nb - e exactly (e = 0 for a power of two), and
        // E = e^-(nb - e) = (m + m_lo) 2^n.
        // m + m_lo: the pair for other `beta`, `m` alone (`exp_neg`'s) for a
        // power of two (see the module docs).
        let nb = if ONE { ax } else { s.mul(beta, ax) };
        let (m, m_lo, p) = if SCALED {
            let (v, p) = exp_neg_reduce(s, nb);
            let v = s.sub(v, s.neg_mul_add(beta, ax, nb));
            let (m, m_lo) = one_plus_product(s, exp_neg_h(s, v), v);
            (m, Some(m_lo), p)
        } else {
            let (m, p) = exp_neg(s, nb);
            (m, None, p)
        };
        // NaN lanes are the driver's.
        // Within the short form's bound, `n >= -115`: `2^n` is normal, and
        // so are `E`, `s` and the result, each exact or rounded once by one
        // product, as the general scalings round them.
        let p_floor = if SHORT { p } else { p.max(s, N_FLOOR) };
        let scale = |v: S::F| {
            if SHORT {
                p.scale_normal(s, v)
            } else {
                p_floor.scale(s, v)
            }
        };
        let big_e = scale(m);
        // q = m / d, d = mb (2 + E), and its correction c: the remainder
        // (exact), m_lo (other `beta`), and the rounding error of d (exact
        // for a power of two, rounded once otherwise; 2 mb - d is exact).
        let mb = s.splat(self.m_b);
        let two_mb = s.splat(2.0 * self.m_b);
        let d = if SCALED {
            s.mul_add(mb, big_e, two_mb)
        } else {
            s.add(big_e, two_mb)
        };
        let q = s.div(m, d);
        let e_d = if SCALED {
            s.mul_add(mb, big_e, s.sub(two_mb, d))
        } else {
            s.add(s.sub(two_mb, d), big_e)
        };
        let c_num = quotient_residual(s, q, (m, m_lo), (d, e_d));
        // The `ONE` type forms the sum below doubled (see there): `c` and `w`
        // come out doubled from doubled constants (exactly, but where they
        // are subnormal and vanish in the sum: see the module docs).
        let twice = if ONE { 2.0 } else { 1.0 };
        let c = s.mul(
            c_num,
            s.mul_add(big_e, s.splat(twice * self.r1), s.splat(twice * self.r0)),
        );
        // s = E / (2 + E) = 2^n q mb to a rounding or two: it only enters
        // w = z P(z), at most 0.04.
        let q_mb = if SCALED { s.mul(q, mb) } else { q };
        let sv = scale(q_mb);
        let z = s.mul(sv, sv);
        let poly = horner(
            s,
            z,
            [SOFTPLUS_C4, SOFTPLUS_C3, SOFTPLUS_C2, SOFTPLUS_C1].map(|c| twice * c),
        );
        let w = s.mul(z, poly);
        // log1p(E) / beta = 2^(n + 1 - k) (q + (q w + c)), rounded once. The
        // `ONE` type (`k = 0`) forms the sum doubled, `2q + (q 2w + 2c)` (the
        // same roundings, each of a doubled value), and scales it by `2^n`: no
        // `n + 1` to form.
        let r = if ONE {
            let y2 = s.mul_add(q, s.splat(2.0), s.mul_add(q, w, c));
            if SHORT {
                p.scale_normal(s, y2)
            } else {
                s.mul_pow2_wide(y2, p.n())
            }
        } else {
            let y = s.add(q, s.mul_add(q, w, c));
            s.mul_pow2_wide(y, s.sub(p.n(), s.splat(self.k_minus_1)))
        };
        // Far out, the result is max(x, 0).
        let r = far.map_or(r, |far| s.select(far, zero, r));
        // max(x, 0) + r: the sign of a zero `max` gives is lost in the sum
        // (r >= +0), and NaN lanes are the driver's.
        let y = s.add(s.max(x, zero), r);
        if ONE {
            // The threshold is at least 16 (see `SoftplusKernel::new`), and
            // past 16 the sum is `x` already: no select for any such threshold.
            y
        } else {
            s.select(s.gt(x, s.splat(self.x_last)), x, y)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::scalar::Scalar;

    /// The kernel type of `beta = 1` (threshold 20) gives the bits of the
    /// kernel type of a power of two with the same fields, which forms `n + 1`,
    /// sums `q + (q w + c)` undoubled and selects `x` past the threshold: on
    /// every 251st `f32` and around 16, where the select stops mattering.
    #[test]
    fn the_beta_one_kernel_gives_the_power_of_two_kernels_bits() {
        let SoftplusKernel::One(one) = SoftplusKernel::new(1.0, 20.0).unwrap() else {
            panic!("beta = 1, threshold 20 takes the kernel type of its own");
        };
        let two = Softplus::<false, false> {
            beta: one.beta,
            m_b: one.m_b,
            r0: one.r0,
            r1: one.r1,
            k_minus_1: one.k_minus_1,
            x_last: one.x_last,
            abs_x_max: one.abs_x_max,
        };
        assert_eq!(one.x_last, 16.0);
        let around_16 = (0..2000u32).map(|i| f32::from_bits(16f32.to_bits() - 1000 + i));
        let strided = (0..=u32::MAX / 251).map(|i| f32::from_bits(i * 251));
        let mut past_16 = 0;
        for x in around_16.chain(strided).filter(|x| !x.is_nan()) {
            let got = one.apply(Scalar, x);
            assert_eq!(got.to_bits(), two.apply(Scalar, x).to_bits(), "x = {x:e}");
            if x > 16.0 {
                assert_eq!(got.to_bits(), x.to_bits(), "x = {x:e}");
                past_16 += 1;
            }
        }
        assert!(past_16 > 4_000_000, "{past_16}");
    }

    /// The `ONE` type's short form gives its value within its bound.
    #[test]
    fn short_form_gives_its_value_within_its_bound() {
        let SoftplusKernel::One(one) = SoftplusKernel::new(1.0, 20.0).unwrap() else {
            panic!("beta = 1, threshold 20 takes the kernel type of its own");
        };
        crate::kernels::assert_short_form_gives_apply(one);
    }

    /// `beta = 1` with a threshold below 16 takes the kernel of a power of
    /// two, which keeps the select of `x`; 16 and above, `+inf` among them,
    /// the kernel type of its own.
    #[test]
    fn the_threshold_picks_the_kernel_type_at_beta_one() {
        for t in [16f32.next_down(), 15.5, 3.0, f32::NEG_INFINITY] {
            let k = SoftplusKernel::new(1.0, t);
            assert!(matches!(k, Ok(SoftplusKernel::PowerOfTwo(_))), "{t}");
        }
        for t in [16.0, 20.0, f32::INFINITY] {
            let k = SoftplusKernel::new(1.0, t);
            assert!(matches!(k, Ok(SoftplusKernel::One(_))), "{t}");
        }
    }
}
