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
//! `E`: `n = round(K3 zh / ln2)` (the shifter trick) and `r = z - n L`,
//! `L = ln2 / K3` in two parts (the first difference exact), so
//! `E = 2^n e^(K3 r)`, `|K3 r| <= ln2/2`, with no table:
//! `e^(K3 r) = 1 + r (K3 + r h(r))`, `h` of degree 4 (2^-27.3 as fitted;
//! about 2^-25.3 evaluated in `f32`, with `K3` and the inner sum rounded),
//! the last step one FMA: `m = e^(K3 r)` rounded once, half an ulp on top of
//! those errors and of `r`'s. (Kept as a pair `m + m_lo`, the last product's
//! rounding error taken by a second FMA and fed to the quotient's
//! correction, it measured 1.369 ULP, for six more operations per vector.)
//!
//! The quotient is compensated (see `XSigmoid` in `kernels/sigmoid.rs`, shared
//! with `silu` and `gelu_quick`; the exponential is [`ScaledExp`], shared with
//! `gelu_quick`): `q + c` with `c` below an ulp of `q`, for the numerator `m`
//! on every lane. As in `silu`, `W = -a q - a c` with one rounding is
//! `-a sigmoid(-|v|)` scaled by `2^-n`; it is scaled by `2^n` last, fused with
//! the sum that follows it ([`Pow2::scale_add`](super::exp::Pow2::scale_add)),
//! so results in the subnormal range are rounded once, and
//! `gelu_tanh(x) = max(x, 0) + W` (`W` for `x < 0`, added to `-0.0`; for
//! `x > 0`, `x` less `E` times the result): no select of the numerator or of
//! the result. `|x|` is clamped to 11 where it enters `v` (`gelu_tanh(-11)` is
//! below half the smallest subnormal and `sigmoid(v(11)) = 1` in `f32`); past
//! 11 on the right, `W` rounds to `-0.0`, so `gelu_tanh(x) = x` there.
//! Coefficients: `cargo run --release --bin fit -- gelu_tanh_exp`.
//!
//! Measured max error: 1.891 ULP over every `f32` (exhaustive, worst at
//! `x = -2.7500377`); every path gives the scalar path's bits.
//!
//! Special values: `gelu_tanh(NaN) = NaN`, `gelu_tanh(-inf) = -0.0`,
//! `gelu_tanh(+inf) = +inf`, `gelu_tanh(±0) = ±0`.

use super::exp::ScaledExp;
use super::sigmoid::{XSigmoid, XSigmoidForm};
use crate::simd::Simd;

/// `C = K1 / K3 = 1 / 0.044715` in two parts, where
/// `v = K1 x + K3 x^3 = K3 x (x^2 + C)`: `C` rounded to a multiple of 2^-15
/// (`0x1.65d260p+4`), coarser than the ulp of `a^2 + C` for `a <= 11`, so
/// that `(C_HI - qh) + sq` is the exact error of `qh = sq + C_HI`.
const C_HI: f32 = 22.363_861;
/// `C - C_HI` rounded to `f32` (`-0x1.226128p-20`).
const C_LO: f32 = -1.081_748e-6;
/// `e^(K3 r)`, `K3 = 0.044715 * 2 sqrt(2/pi)` (`0x1.2444f2p-4` rounded,
/// `K3 / ln2` `0x1.a5a7d0p-4`), and `L = ln2 / K3` in two parts
/// (`0x1.36d9d6p+3` and `-0x1.25115cp-22`): `L_HI` in `[8, 16)`, so its
/// lowest bit is at 2^-20 or above, so `zh - n L_HI` is exact for the integers `|n| <= 163`
/// that occur: where `n != 0`, `|zh| >= 4.8`, so `zh` is a multiple of
/// 2^-21, and so is the difference, which is below 8. `c2..c6` as fitted
/// (relative error 2^-27.3 with the `f32` coefficients and the exact `K3`,
/// about 2^-25.3 as the kernel evaluates it; `fit -- gelu_tanh_exp`).
const EXP: ScaledExp = ScaledExp::new(K3, [EXP_C2, EXP_C3, EXP_C4, EXP_C5, EXP_C6]);

/// `K3 = 0.044715 * 2 sqrt(2/pi)` in `f64` (as the fitter has it).
const K3: f64 = 0.044_715 * 1.595_769_121_605_730_8;

/// `c2..c6` of `EXP` (`fit -- gelu_tanh_exp`, which prints them so).
const EXP_C2: f32 = 2.545_754_7e-3; // 0x1.4dad5ap-9
/// See [`EXP_C2`].
const EXP_C3: f32 = 6.055_009_4e-5; // 0x1.fbee56p-15
/// See [`EXP_C2`].
const EXP_C4: f32 = 1.080_189_3e-6; // 0x1.21f60cp-20
/// See [`EXP_C2`].
const EXP_C5: f32 = 1.548_017e-8; // 0x1.09f282p-26
/// See [`EXP_C2`].
const EXP_C6: f32 = 1.823_381_4e-10; // 0x1.90f740p-33

/// `|x|` is clamped to this where it enters `v`.
const X_MAX: f32 = 11.0;

/// `gelu_tanh`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluTanh;

impl XSigmoidForm for GeluTanh {
    /// Four vectors per iteration on AVX2, as `silu`: on the Emerald Rapids
    /// Xeon 4% faster at 4 Ki and 1% at 1 Mi (the median over five alternating
    /// runs of each run's best), and `scripts/mca.sh` 2.24 to 2.02 cycles per
    /// element on `alderlake`, 3.12 to 2.84 on `icelake-server`, 2.52 to 2.49
    /// on `znver4` and 2.60 to 2.72 on `znver3`.
    const WIDE: bool = true;

    #[inline(always)]
    fn unrounded<S: Simd>(s: S, x: S::F) -> XSigmoid<S> {
        // a = |x| clamped, and -a.
        let a = s.abs_min(x, s.splat(X_MAX));
        let na = s.or(a, s.splat(-0.0));

        // Q = a^2 + C = qh + ql, C = K1 / K3: a^2 = sq + sq_lo exactly, and
        // qh + err = sq + C_HI exactly (see `C_HI`).
        let sq = s.mul(na, na);
        let sq_lo = s.mul_sub(na, na, sq);
        let ch = s.splat(C_HI);
        let qh = s.add(sq, ch);
        let err = s.add(s.sub(ch, qh), sq);
        let ql = s.add(err, s.add(sq_lo, s.splat(C_LO)));
        // -|v| = K3 z, z = -a Q = zh + zl.
        let zh = s.mul(na, qh);
        let zl = s.mul_add(na, ql, s.mul_sub(na, qh, zh));

        // -|v| = K3 z = n ln2 + K3 r, e^(K3 r) = m rounded once.
        let (m, p) = EXP.eval(s, zh, Some(zl));
        XSigmoid::new(s, x, (a, X_MAX), m, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_split_their_values() {
        let c = f64::from(C_HI) + f64::from(C_LO);
        assert!((c - 1.0 / 0.044_715).abs() < 1e-13);
        let k3 = 0.044_715 * 2.0 * (2.0 / core::f64::consts::PI).sqrt();
        assert!((K3 - k3).abs() < 1e-17, "{K3:e} against {k3:e}");
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
}
