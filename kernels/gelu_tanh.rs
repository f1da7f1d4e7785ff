//! `gelu_tanh(x) = x/2 (1 + tanh(u))`, `u = sqrt(2/pi) (x + 0.044715 x^3)`
//! (PyTorch's `GELU(approximate='tanh')`), computed as `x sigmoid(v)`,
//! `v = 2u = K1 x + K3 x^3`.
//!
//! With `a = |x|` and `E = e^-|v|`: `sigmoid(v) = 1 / (1 + E)` for `x >= 0`
//! and `E / (1 + E)` for `x < 0`. In the left tail `sigmoid(v) ~ E` with
//! `|v|` up to 112, so `v` must be exact to about 2^-27 absolute. Writing
//! `-|v| = K3 z`, `z = -a (a^2 + C)`, `C = K1 / K3`, the factor `K3` moves
//! into the exponential's reduction, and `z` is formed as a double-`f32`
//! `zh + zl` (exact square and product by FMA, an exact sum, `C` in two
//! parts).
//!
//! `E`: `k = round(16 K3 zh / ln2) = 16 m + j`, held as `k/16` by the
//! shifter, and `r = z - (k/16) L`, `L = ln2 / K3` in two parts (the first
//! difference exact), so
//! `E = 2^m 2^(j/16) e^(K3 r)`, `|K3 r| <= ln2/32`; `2^(j/16)` comes from a
//! 16-entry table in two parts (`exp2_sixteenths`, shared with `exp` and
//! `gelu`) and `e^(K3 r) = 1 + K3 r + c2 r^2 + c3 r^3` (relative error
//! 2^-29.2). `E 2^-m = e_sum + e_res` exactly.
//!
//! The quotient is compensated (see `logistic`): `q + c`
//! with `c` below an ulp of `q`; `y = x q + x c` with one rounding, and for
//! `x < 0` the result is kept in the normal range and scaled by `2^m` last
//! with [`Simd::mul_exp2`], so results in the subnormal range are rounded
//! once.
//! `x` is clamped to `[-11, 11]` where it enters `v` (`gelu_tanh(-11)` is below
//! half the smallest subnormal and `sigmoid(v(11)) = 1` in `f32`); the
//! unclamped `x` multiplies `q` for `x > 11`, so `gelu_tanh(x) = x` there.
//! Coefficients: `cargo run --release --bin fit -- gelu_tanh_exp`.
//!
//! Measured max error: see the README (exhaustive over every `f32`); every
//! path gives the scalar path's bits.
//!
//! Special values: `gelu_tanh(NaN) = NaN`, `gelu_tanh(-inf) = -0.0`,
//! `gelu_tanh(+inf) = +inf`, `gelu_tanh(±0) = ±0`.

use super::Kernel;
use super::exp::{ExpSplit, SHIFTER_16THS, exp2_sixteenths};
use crate::simd::Simd;

/// `C = K1 / K3 = 1 / 0.044715` in two parts, where
/// `v = K1 x + K3 x^3 = K3 x (x^2 + C)`: `C` rounded to a multiple of 2^-15
/// (`0x1.65d260p+4`), coarser than the ulp of `a^2 + C` for `a <= 11`, so
/// that `(C_HI - qh) + sq` is the exact error of `qh = sq + C_HI`.
const C_HI: f32 = 22.363_861;
/// `C - C_HI` rounded to `f32` (`-0x1.226128p-20`).
const C_LO: f32 = -1.081_748e-6;
/// `K3 = 0.044715 * 2 sqrt(2/pi)` rounded to `f32` (`0x1.2444f2p-4`): it only
/// scales the reduced argument, so its rounding costs a relative 2^-25 of `r`.
const K3: f32 = 7.135_481_4e-2;
/// `K3 / ln2` rounded to `f32` (`0x1.a5a7d0p-4`).
const K3_LOG2E: f32 = 1.029_432_4e-1;
/// `L = ln2 / K3` in two parts (`0x1.36d9d6p+3`): 24 significant bits with
/// the lowest at 2^-20, so `zh - (k/16) L_HI` is exact for the `|k| < 2^12`
/// that occur.
const L_HI: f32 = 9.714_091;
/// `L - L_HI` rounded to `f32` (`-0x1.25115cp-22`).
const L_LO: f32 = -2.729_406_7e-7;
/// `x` is clamped to `[-X_MAX, X_MAX]` where it enters `v`.
const X_MAX: f32 = 11.0;
/// `c2` of `e^(K3 r) ~ 1 + K3 r + c2 r^2 + c3 r^3` on
/// `[-ln2/(32 K3), ln2/(32 K3)]` (relative error 2^-29.2;
/// `fit -- gelu_tanh_exp`).
const EXP_C2: f32 = 2.545_837_3e-3; // 0x1.4db020p-9
/// `c3`, see [`EXP_C2`].
const EXP_C3: f32 = 6.055_081_4e-5; // 0x1.fbefe2p-15

/// `gelu_tanh`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluTanh;

impl Kernel for GeluTanh {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let xl = s.select(s.lt(x, s.splat(-X_MAX)), s.splat(-X_MAX), x);
        let xc = s.select(s.gt(xl, s.splat(X_MAX)), s.splat(X_MAX), xl);
        // -a, a = |x| (clamped).
        let na = s.or(xc, s.splat(-0.0));

        // Q = a^2 + C = qh + ql, C = K1 / K3: a^2 = sq + sq_lo exactly, and
        // qh + err = sq + C_HI exactly (see `C_HI`).
        let sq = s.mul(xc, xc);
        let sq_lo = s.mul_sub(xc, xc, sq);
        let ch = s.splat(C_HI);
        let qh = s.add(sq, ch);
        let err = s.add(s.sub(ch, qh), sq);
        let ql = s.add(err, s.add(sq_lo, s.splat(C_LO)));
        // -|v| = K3 z, z = -a Q = zh + zl.
        let zh = s.mul(na, qh);
        let zl = s.mul_add(na, ql, s.mul_sub(na, qh, zh));

        // -|v| = k ln2/16 + K3 r: k = round(16 K3 zh / ln2) = 16 m + j, held
        // as n = k/16; r = z - n L, L = ln2 / K3 (the first difference exact).
        let shifter = s.splat(SHIFTER_16THS);
        let kk = s.mul_add(zh, s.splat(K3_LOG2E), shifter);
        let n = s.sub(kk, shifter);
        let r_hi = s.neg_mul_add(n, s.splat(L_HI), zh);
        let r = s.add(r_hi, s.neg_mul_add(n, s.splat(L_LO), zl));
        // e^(K3 r) - 1.
        let p = s.mul(
            s.mul_add(
                s.mul_add(s.splat(EXP_C3), r, s.splat(EXP_C2)),
                r,
                s.splat(K3),
            ),
            r,
        );
        let (e_hi, t_lo) = exp2_sixteenths(s, kk);
        let e_lo = s.mul_add(e_hi, p, t_lo);
        let e_sum = s.add(e_hi, e_lo);
        let e_res = s.add(s.sub(e_hi, e_sum), e_lo);
        let e = ExpSplit {
            hi: e_sum,
            lo: e_res,
            n,
        };
        let (q, c, scale) = logistic(s, e, s.lt(x, s.splat(0.0)));
        s.mul_exp2(s.mul_add(xl, q, s.mul(xc, c)), scale)
    }
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
fn logistic<S: Simd>(s: S, e: ExpSplit<S::F>, neg: S::M) -> (S::F, S::F, S::F) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `K3` in `f64`.
    fn k3() -> f64 {
        0.044_715 * 2.0 * (2.0 / core::f64::consts::PI).sqrt()
    }

    #[test]
    fn constants_split_their_values() {
        let ln2 = core::f64::consts::LN_2;
        let c = f64::from(C_HI) + f64::from(C_LO);
        assert!((c - 1.0 / 0.044_715).abs() < 1e-13);
        let l = f64::from(L_HI) + f64::from(L_LO);
        assert!((l - ln2 / k3()).abs() < 1e-14);
        assert_eq!(L_HI, (ln2 / k3()) as f32);
        assert_eq!(K3, k3() as f32);
        assert_eq!(K3_LOG2E, (k3() / ln2) as f32);
    }

    #[test]
    fn sum_with_c_hi_has_an_exact_error() {
        // Every 997th f32 of [0, 121]: an odd step, so the low bits of `sq`
        // take every pattern.
        let mut sq = 0.0f32;
        while sq <= X_MAX * X_MAX {
            let qh = sq + C_HI;
            let err = (C_HI - qh) + sq;
            let exact = f64::from(sq) + f64::from(C_HI);
            assert_eq!(f64::from(qh) + f64::from(err), exact, "sq = {sq:e}");
            sq = f32::from_bits(sq.to_bits() + 997);
        }
    }

    #[test]
    fn l_hi_has_no_bits_below_2_to_the_minus_20() {
        assert_eq!((f64::from(L_HI) * 2f64.powi(20)).fract(), 0.0);
    }
}
