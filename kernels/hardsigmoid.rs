//! `hardsigmoid(x) = relu6(x + 3) / 6` and `hardswish(x) = x relu6(x + 3) / 6`
//! (PyTorch's `Hardsigmoid` and `Hardswish`).
//!
//! Both are `0` (`-0.0` for `hardswish`) for `x <= -3` and `1` (`x`) for
//! `x >= 3`, decided on `x` itself, not on a rounded `x + 3`. In between the
//! numerator is kept exact: `x + 3 = a + e` (Fast2Sum, `|x| < 3`), and for
//! `hardswish` `x (a + e) = p + (p_err + x e)` with `p_err` the exact error of
//! the product (an FMA). The division by 6 is compensated: `q = N (1/6)`
//! (within an ULP), `rho = N - 6 q` exact (an FMA), `y = q + (rho + N_lo) / 6`
//! rounded once. `hardsigmoid` divides the correction by 6 (one division)
//! instead of multiplying it by the inexact `1/6`, so where `(x + 3) / 6` is
//! exactly halfway between two floats the correction is exact and the tie
//! rounds to even.
//!
//! No approximation. Measured exhaustively (all 2^32 inputs) against the
//! float64 formula: `hardsigmoid` is correctly rounded on every input (max
//! 0.5 ULP, ties to even); `hardswish` max 0.5000001 ULP.
//!
//! Special values: NaN in, the same NaN out (quieted).
//! `hardsigmoid(-inf) = +0`, `hardsigmoid(+inf) = 1`, `hardsigmoid(±0) = 0.5`;
//! `hardswish(-inf) = -0.0` (the limit; PyTorch's `-inf * 0` is NaN),
//! `hardswish(+inf) = +inf`, `hardswish(±0) = ±0`.

use super::Kernel;
use crate::simd::Simd;

/// `1/6` rounded to `f32` (`0x1.555556p-3`).
const SIXTH: f32 = 0.166_666_67;

/// `x + 3 = a + e` exactly, for `|x| <= 3` (Fast2Sum).
#[inline(always)]
fn plus_three<S: Simd>(s: S, x: S::F) -> (S::F, S::F) {
    let three = s.splat(3.0);
    let a = s.add(x, three);
    (a, s.add(s.sub(three, a), x))
}

/// `(n + n_lo) / 6`, rounded once (up to the tiny error of the correction).
/// `q = n * (1/6)` is within an ULP of `n / 6`, so `rho = n - 6 q` is exact
/// (a multiple of `ulp(q)` of at most a few of them) and no division is
/// needed.
#[inline(always)]
fn div6<S: Simd>(s: S, n: S::F, n_lo: S::F) -> S::F {
    let sixth = s.splat(SIXTH);
    let q = s.mul(n, sixth);
    let rho = s.neg_mul_add(q, s.splat(6.0), n);
    s.mul_add(s.add(rho, n_lo), sixth, q)
}

/// `relu6(x + 3) / 6`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hardsigmoid;

impl Kernel for Hardsigmoid {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let (a, e) = plus_three(s, x);
        // As `div6`, but the correction is divided, not multiplied by an
        // inexact 1/6: where `(x + 3) / 6` is exactly halfway between two
        // floats, `rho + e` and the correction are exact, so the last
        // addition sees the tie and rounds it to even.
        let six = s.splat(6.0);
        let q = s.mul(a, s.splat(SIXTH));
        let rho = s.neg_mul_add(q, six, a);
        let y = s.add(q, s.div(s.add(rho, e), six));
        let y = s.select(s.le(x, s.splat(-3.0)), s.splat(0.0), y);
        s.select(s.ge(x, s.splat(3.0)), s.splat(1.0), y)
    }
}

/// `x relu6(x + 3) / 6`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hardswish;

impl Kernel for Hardswish {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let (a, e) = plus_three(s, x);
        let p = s.mul(x, a);
        let p_err = s.mul_sub(x, a, p);
        let y = div6(s, p, s.mul_add(x, e, p_err));
        // `±0` keeps its sign (the sum of the parts would give `+0`).
        let y = s.select(s.eq(x, s.splat(0.0)), x, y);
        let y = s.select(s.le(x, s.splat(-3.0)), s.splat(-0.0), y);
        s.select(s.ge(x, s.splat(3.0)), x, y)
    }
}
