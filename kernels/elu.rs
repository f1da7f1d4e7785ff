//! The ELU family (PyTorch's definitions):
//! - `elu(x) = x` for `x > 0`, else `alpha (e^x - 1)`;
//! - `selu(x) = scale elu(x; alpha)` with `alpha = 1.6732632423543772...` and
//!   `scale = 1.0507009873554804...`;
//! - `celu(x) = x` for `x > 0`, else `alpha (e^(x/alpha) - 1)`.
//!
//! The negative part goes through the crate's own `e^v - 1`
//! (`kernels/expm1.rs`): a polynomial `v + v w(v)` for `|v| < 1/4`, so inputs
//! near `0-` keep full relative accuracy down to the subnormals (a naive
//! `exp(x) - 1` loses every digit there), and the split exponential elsewhere
//! as a pair `(hi, lo)` in `[-1, -0.22]`, multiplied by `alpha` with one
//! rounding. `selu`'s constants are `f32` pairs (`scale`, `alpha scale`), so
//! the result is the float64 formula's rounded (nearly) once; below `2^-60`
//! its products are taken on `x 2^32`, where the low part does not underflow.
//! For `celu` the quotient `q = x / alpha` is corrected by
//! `(x - q alpha) / alpha` (exact remainder by an FMA) inside the
//! exponential; near zero `alpha (e^q - 1) = x + x w(q)`, which needs no
//! division by `alpha`. With a negative `alpha`, `q > 0` and `e^q` may
//! overflow before the product does: that case (a separate kernel) scales
//! with the exponent of `alpha` (see `scaled_expm1`).
//!
//! Measured max error over all 2^32 inputs: `elu` and `celu` (alpha 1)
//! 0.7457 ULP at -0.28721684, `selu` 0.750 ULP at 8.08e-39 (a subnormal
//! result rounded twice); the test sweeps hold other alphas
//! (0.25, -2; 3.5, 1e-3, -0.75) to 1 ULP.
//!
//! Special values: NaN in, the same NaN out (quieted). `elu(-inf) = -alpha`,
//! `selu(-inf) = -1.7580993` (`-alpha scale`), `celu(-inf) = -alpha`
//! (`-inf` for `alpha < 0`); `+inf` gives `+inf`; `±0` gives `±0` times the
//! slope at zero (`elu(-0.0) = -0.0` for `alpha > 0`, `celu(-0.0) = -0.0`).
//! For `x < 0` the sign of `elu` is that of `-alpha`, a zero result's
//! included (an underflow, or a zero `alpha`: PyTorch's `alpha (e^x - 1)`).

use super::expm1::{Factor, SMALL, negative, scaled_expm1, small_w};
use super::{Kernel, KernelChoice, KernelUse, finite};
use crate::Error;
use crate::simd::Simd;

/// SELU's `scale` rounded to `f32` (`0x1.0cfabep+0`).
const SELU_SCALE_HI: f32 = 1.050_701;
/// `scale - SELU_SCALE_HI` rounded to `f32` (`-0x1.2adddap-25`).
const SELU_SCALE_LO: f32 = -3.479_265_2e-8;
/// `alpha * scale` of SELU rounded to `f32` (`0x1.c212ccp+0`).
const SELU_ALPHA_SCALE_HI: f32 = 1.758_099_3;
/// `alpha * scale - SELU_ALPHA_SCALE_HI` rounded to `f32` (`0x1.903c0cp-26`).
const SELU_ALPHA_SCALE_LO: f32 = 2.329_671_7e-8;

/// Below this `|x|`, `alpha (e^x - 1)` is `alpha x` to far better than an
/// ULP, and `(hi + lo) x` is computed on `x 2^32` (`0x1p-60`).
const TINY: f32 = 8.673_617_4e-19;
/// `2^32`, and its inverse: the exact scaling of tiny inputs.
const TINY_SCALE: f32 = 4_294_967_296.0;
/// See [`TINY_SCALE`] (`0x1p-32`).
const TINY_UNSCALE: f32 = 2.328_306_4e-10;

/// `(hi + lo) x` rounded (nearly) once, also where `lo x` would underflow:
/// tiny `x` are scaled by `2^32` first and back after the sum.
#[inline(always)]
fn pair_times<S: Simd>(s: S, hi: f32, lo: f32, x: S::F) -> S::F {
    let hi = s.splat(hi);
    let lo = s.splat(lo);
    let wide = s.mul(x, s.splat(TINY_SCALE));
    let tiny = s.mul(s.mul_add(hi, wide, s.mul(lo, wide)), s.splat(TINY_UNSCALE));
    let y = s.mul_add(hi, x, s.mul(lo, x));
    s.select(s.lt(s.abs(x), s.splat(TINY)), tiny, y)
}

/// `(a_hi + a_lo) (m_hi + m_lo)`, rounded once (up to the tiny low terms).
#[inline(always)]
fn times_pair<S: Simd>(s: S, a_hi: f32, a_lo: f32, m_hi: S::F, m_lo: S::F) -> S::F {
    let a = s.splat(a_hi);
    s.mul_add(a, m_hi, s.mul_add(a, m_lo, s.mul(s.splat(a_lo), m_hi)))
}

/// PyTorch's `ELU(alpha)`, for an `alpha` whose sign bit is clear
/// (`NEGATIVE_ALPHA = false`: `elu(x) <= 0` for `x < 0`) or set (`-0.0`
/// included: `elu(x) >= 0` for `x < 0`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Elu<const NEGATIVE_ALPHA: bool> {
    alpha: f32,
}

/// A validated `elu`, of either sign of `alpha`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum EluKernel {
    /// `alpha >= +0`.
    Positive(Elu<false>),
    /// `alpha <= -0`.
    Negative(Elu<true>),
}

impl EluKernel {
    /// Validates `alpha`: finite (any sign, as PyTorch out of place).
    pub(crate) fn new(alpha: f32) -> Result<EluKernel, Error> {
        let alpha = finite("elu", "alpha", alpha)?;
        Ok(if alpha.is_sign_negative() {
            EluKernel::Negative(Elu { alpha })
        } else {
            EluKernel::Positive(Elu { alpha })
        })
    }
}

impl KernelChoice for EluKernel {
    #[inline(always)]
    fn hand_to<U: KernelUse>(self, u: U) -> U::Output {
        match self {
            EluKernel::Positive(k) => u.with(k),
            EluKernel::Negative(k) => u.with(k),
        }
    }
}

impl<const NEGATIVE_ALPHA: bool> Kernel for Elu<NEGATIVE_ALPHA> {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let a = s.splat(self.alpha);
        // Near zero: alpha x + alpha x w(x), alpha x rounded once.
        let ax = s.mul(a, x);
        let near = s.add(ax, s.mul_add(ax, small_w(s, x), s.mul_sub(a, x, ax)));
        let (m_hi, m_lo) = negative(s, x, zero);
        let far = times_pair(s, self.alpha, 0.0, m_hi, m_lo);
        let neg = s.select(s.lt(s.abs(x), s.splat(SMALL)), near, far);
        // For `x < 0`, `alpha (e^x - 1)` has the sign of `-alpha`, zero or
        // not: the sums above add zeros of both signs where the result
        // underflows to zero (or `alpha` is zero), so the sign is set (one
        // bitwise operation).
        let neg = if NEGATIVE_ALPHA {
            s.abs(neg)
        } else {
            s.or(neg, s.splat(-0.0))
        };
        // `±0` times the slope keeps the zero's sign.
        let neg = s.select(s.eq(x, zero), ax, neg);
        s.select(s.gt(x, zero), x, neg)
    }
}

/// PyTorch's `SELU`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Selu;

impl Kernel for Selu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let (a_hi, a_lo) = (SELU_ALPHA_SCALE_HI, SELU_ALPHA_SCALE_LO);
        let a = s.splat(a_hi);
        // Near zero: (a_hi + a_lo) x (1 + w(x)), the product rounded once.
        let ax = s.mul(a, x);
        let ax_err = s.mul_add(s.splat(a_lo), x, s.mul_sub(a, x, ax));
        let near = s.add(ax, s.mul_add(ax, small_w(s, x), ax_err));
        let (m_hi, m_lo) = negative(s, x, zero);
        let far = times_pair(s, a_hi, a_lo, m_hi, m_lo);
        let neg = s.select(s.lt(s.abs(x), s.splat(SMALL)), near, far);
        let tiny = pair_times(s, a_hi, a_lo, x);
        let neg = s.select(s.lt(s.abs(x), s.splat(TINY)), tiny, neg);
        let neg = s.select(s.eq(x, zero), ax, neg);
        let pos = pair_times(s, SELU_SCALE_HI, SELU_SCALE_LO, x);
        // `lo * inf` may have the other sign: `+inf` stays `+inf`.
        let pos = s.select(s.lt(x, s.splat(f32::INFINITY)), pos, x);
        s.select(s.gt(x, zero), pos, neg)
    }
}

/// PyTorch's `CELU(alpha)` for `alpha > 0` (`NEGATIVE_ALPHA = false`, where
/// `x / alpha <= 0` on the negative side) or `alpha < 0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Celu<const NEGATIVE_ALPHA: bool> {
    alpha: f32,
    factor: Factor,
}

/// A validated `celu`, of either sign of `alpha`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum CeluKernel {
    /// `alpha > 0`.
    Positive(Celu<false>),
    /// `alpha < 0`.
    Negative(Celu<true>),
}

/// `|x / alpha|` from which on `e^(x/alpha)` is `0` or `+inf` anyway (the
/// quotient's correction is dropped there).
const CELU_EXP_RANGE: f32 = 400.0;

impl CeluKernel {
    /// Validates `alpha`: finite and nonzero (any sign, as PyTorch out of
    /// place).
    pub(crate) fn new(alpha: f32) -> Result<CeluKernel, Error> {
        let alpha = finite("celu", "alpha", alpha)?;
        if alpha == 0.0 {
            return Err(Error::InvalidParameter {
                function: "celu",
                parameter: "alpha",
                value: alpha,
                requirement: "nonzero",
            });
        }
        let factor = Factor::new(alpha, 0.0);
        Ok(if alpha > 0.0 {
            CeluKernel::Positive(Celu { alpha, factor })
        } else {
            CeluKernel::Negative(Celu { alpha, factor })
        })
    }
}

impl KernelChoice for CeluKernel {
    #[inline(always)]
    fn hand_to<U: KernelUse>(self, u: U) -> U::Output {
        match self {
            CeluKernel::Positive(k) => u.with(k),
            CeluKernel::Negative(k) => u.with(k),
        }
    }
}

impl<const NEGATIVE_ALPHA: bool> Kernel for Celu<NEGATIVE_ALPHA> {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let alpha = s.splat(self.alpha);
        let q = s.div(x, alpha);
        let q_lo = s.div(s.neg_mul_add(q, alpha, x), alpha);
        let q_lo = s.select(s.lt(s.abs(q), s.splat(CELU_EXP_RANGE)), q_lo, zero);
        // Near zero: alpha (q + q w(q)) = x + x w(q).
        let near = s.mul_add(x, small_w(s, q), x);
        let far = if NEGATIVE_ALPHA {
            scaled_expm1(s, q, q_lo, self.factor)
        } else {
            let (m_hi, m_lo) = negative(s, q, q_lo);
            times_pair(s, self.alpha, 0.0, m_hi, m_lo)
        };
        let neg = s.select(s.lt(s.abs(q), s.splat(SMALL)), near, far);
        let neg = s.select(s.eq(x, zero), x, neg);
        s.select(s.gt(x, zero), x, neg)
    }
}
