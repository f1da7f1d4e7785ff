//! `gelu_tanh(x) = x/2 (1 + tanh(u))`, `u = sqrt(2/pi) (x + 0.044715 x^3)`
//! (PyTorch's `GELU(approximate='tanh')`), computed as `x sigmoid(v)`,
//! `v = 2u = K1 x + K3 x^3`.
//!
//! With `a = |x|` and `E = e^-|v|`: `sigmoid(v) = 1 / (1 + E)` for `x >= 0`
//! and `E / (1 + E)` for `x < 0`. In the left tail `sigmoid(v) ~ E` with
//! `|v|` up to 112, so `v` must be exact to about 2^-27 absolute: `-|v| =
//! -a P`, `P = K1 + K3 a^2`, is formed as a double-`f32` `zh + zl` (exact
//! square and products by FMA, a two-sum, `K1` and `K3` in two parts).
//!
//! `E`: `k = round(16 zh / ln2) = 16 m + j`, `r = zh - k LN2_16_HI + zl` (the
//! difference exact), `E = 2^m 2^(j/16) e^r` with `2^(j/16)` from a 16-entry
//! table in two parts and `e^r = 1 + r + c2 r^2 + c3 r^3` on
//! `[-ln2/32, ln2/32]` (relative error 2^-29.2; the table and the split of `k`
//! are shared with `gelu`). `K1` and `K3` are stored multiplied by
//! `LN2_16_HI / (ln2/16) = 1 + 2.7e-9`, which stands in for the low part of
//! `ln2/16`: `r` is then `e`'s true reduced argument times `1 + 2.7e-9`, a
//! relative error below 2^-33 in `E`. `E 2^-m = e_sum + e_res` exactly.
//!
//! The quotient is compensated as in `sigmoid`: `d + d_lo = 1 + E`,
//! `q = N / d` with `N = 1` or `e_sum`, `rho = N - q d` exact, and
//! `c = (rho + N_lo - q d_lo) / d` with a rough `1/d` (`q` itself for
//! `N = 1`, a linear function of `E` within 6% otherwise); `y = x q + x c` with one rounding, and for
//! `x < 0` the result is kept in the normal range and scaled by `2^m` last with
//! [`Simd::mul_exp2`], so results in the subnormal range are rounded once.
//! `x` is clamped to `[-11, 11]` where it enters `v` (`gelu_tanh(-11)` is below
//! half the smallest subnormal and `sigmoid(v(11)) = 1` in `f32`); the
//! unclamped `x` multiplies `q` for `x > 11`, so `gelu_tanh(x) = x` there.
//! Coefficients: `cargo run --release --bin fit -- gelu_tanh_exp`.
//!
//! Measured max error (every `f32`, exhaustively): 0.94 ULP, at
//! `x = -0.33775434`; every path gives the scalar path's bits.
//!
//! Special values: `gelu_tanh(NaN) = NaN`, `gelu_tanh(-inf) = -0.0`,
//! `gelu_tanh(+inf) = +inf`, `gelu_tanh(±0) = ±0`.

use super::Kernel;
use super::exp::LN2_HI;
use super::gelu::{SHIFTER, exp2_sixteenths};
use crate::simd::Simd;

/// `K1 = 2 sqrt(2/pi)`, scaled by `LN2_16_HI / (ln2/16)` (see the module
/// docs), rounded to `f32` (`0x1.988454p+0`).
const K1_HI: f32 = 1.595_769_2;
/// The scaled `K1` minus `K1_HI`, rounded to `f32` (`-0x1.5fceb0p-25`).
const K1_LO: f32 = -4.095_577e-8;
/// `K3 = 0.044715 K1`, scaled like `K1`, rounded to `f32` (`0x1.2444f2p-4`).
const K3_HI: f32 = 7.135_481_4e-2;
/// The scaled `K3` minus `K3_HI`, rounded to `f32` (`0x1.64a40ep-29`).
const K3_LO: f32 = 2.594_903_6e-9;
/// `x` is clamped to `[-X_MAX, X_MAX]` where it enters `v`.
const X_MAX: f32 = 11.0;
/// `16 / ln 2` rounded to `f32` (`0x1.715476p+4`).
const LOG2E_16: f32 = 23.083_12;
/// `ln2 / 16` to 21 significant bits (`0x1.62e430p-5`), so `zh - k LN2_16_HI`
/// is exact for the `|k| < 2^12` that occur.
const LN2_16_HI: f32 = LN2_HI / 16.0;
/// `c2` of `e^r ~ 1 + r + c2 r^2 + c3 r^3` on `[-ln2/32, ln2/32]`
/// (`fit -- gelu_tanh_exp`).
const EXP_C2: f32 = 5.000_161_5e-1; // 0x1.00021ep-1
/// `c3`, see [`EXP_C2`].
const EXP_C3: f32 = 1.666_671_8e-1; // 0x1.55559ap-3

/// `1/(1 + E) ~ INV_D_AT_0 - INV_D_SLOPE E` within 6% for `E` in `[0, 1]`:
/// enough for the correction term of the quotient.
const INV_D_AT_0: f32 = 0.941; // 0x1.e1cac0p-1
/// See [`INV_D_AT_0`].
const INV_D_SLOPE: f32 = 0.47; // 0x1.e147aep-2

/// `gelu_tanh`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluTanh;

impl Kernel for GeluTanh {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let one = s.splat(1.0);
        let zero = s.splat(0.0);
        let xl = s.select(s.lt(x, s.splat(-X_MAX)), s.splat(-X_MAX), x);
        let xc = s.select(s.gt(xl, s.splat(X_MAX)), s.splat(X_MAX), xl);
        let a = s.abs(xc);
        let na = s.neg(a);

        // P = K1 + K3 a^2 = ph + pl: a^2 = sq + sq_lo and K3_HI sq = t + t_lo
        // exactly, ph + err = K1_HI + t exactly (two-sum).
        let sq = s.mul(a, a);
        let sq_lo = s.mul_sub(a, a, sq);
        let k3 = s.splat(K3_HI);
        let t = s.mul(k3, sq);
        let t_lo = s.mul_sub(k3, sq, t);
        let k1 = s.splat(K1_HI);
        let ph = s.add(k1, t);
        let bb = s.sub(ph, k1);
        let err = s.add(s.sub(k1, s.sub(ph, bb)), s.sub(t, bb));
        let small = s.mul_add(s.splat(K3_LO), sq, s.mul_add(k3, sq_lo, t_lo));
        let pl = s.add(s.add(err, small), s.splat(K1_LO));
        // -|v| = -a P = zh + zl.
        let zh = s.mul(na, ph);
        let zl = s.mul_add(na, pl, s.mul_sub(na, ph, zh));

        // E = e^(zh + zl) = (e_sum + e_res) 2^m.
        let shifter = s.splat(SHIFTER);
        let kk = s.mul_add(zh, s.splat(LOG2E_16), shifter);
        let k = s.sub(kk, shifter);
        let r_hi = s.neg_mul_add(k, s.splat(LN2_16_HI), zh);
        let r = s.add(r_hi, zl);
        let p = s.mul(
            s.mul_add(s.mul_add(s.splat(EXP_C3), r, s.splat(EXP_C2)), r, one),
            r,
        );
        let (e_hi, t_lo, m) = exp2_sixteenths(s, kk);
        let e_lo = s.mul_add(e_hi, p, t_lo);
        let e_sum = s.add(e_hi, e_lo);
        let e_res = s.add(s.sub(e_hi, e_sum), e_lo);

        // 1 + E = d + d_lo.
        let e_val = s.mul_exp2(e_sum, m);
        let d = s.add(one, e_val);
        let d_lo = s.add(s.sub(one, d), e_val);

        let neg = s.lt(x, zero);
        let num = s.select(neg, e_sum, one);
        let num_lo = s.select(neg, e_res, zero);
        let scale = s.select(neg, m, zero);
        let q = s.div(num, d);
        let rho = s.neg_mul_add(q, d, num);
        let c = s.neg_mul_add(q, d_lo, s.add(rho, num_lo));
        // 1/d roughly: q itself when num = 1, else linear in E.
        let rough = s.mul_add(e_val, s.splat(-INV_D_SLOPE), s.splat(INV_D_AT_0));
        let inv_d = s.select(neg, rough, q);
        let c = s.mul(c, inv_d);
        s.mul_exp2(s.mul_add(xl, q, s.mul(xc, c)), scale)
    }
}
