//! `erf(x)`.
//!
//! `erf` is odd: the kernel works on `a = |x|` and puts the sign bit of `x`
//! back at the end, so `erf(-x) = -erf(x)` bit for bit.
//!
//! Approximation: `a` is clamped to `ERF_CLAMP = 3.93` (`erf` rounds to 1
//! above 3.9193) and falls in one of 8 pieces of width `STEP = 17/32`
//! centred at `k STEP`, `k = round(a / STEP)` (computed with the shifter
//! trick, which leaves `k` in the low bits of the sum: the table index).
//! The local variable `u = a - k STEP` is exact (one FMA; Sterbenz for
//! `k >= 1`, `u = a` for `k = 0`). A degree-6 polynomial `P(u)` read from
//! 8-entry tables ([`Simd::lookup8`]) gives
//! - for `a < 1.5 STEP = 0.797` (pieces 0 and 1): `erf(a) = fma(a, P(u), a)`,
//!   `P ≈ erf(a)/a - 1` with relative error below `2^-26`, so the result
//!   keeps full relative accuracy down to the subnormal range (where it is
//!   `a (1 + P(0))` rounded once);
//! - above: `erf(a) = ERF_HI + fma(u, P(u), ERF_LO)`, degree 7 in `u`, whose
//!   constant term `ERF_HI + ERF_LO` is split over two `f32` so the only
//!   large rounding is the final addition (absolute error below `2^-29.6`).
//!
//! The pieces are minimax fits with `f32` coefficients rounded greedily:
//! `cargo run --release --bin fit -- erf`. No division, no `exp`. Nine
//! lookups per vector, each one instruction on every path but NEON's
//! two-register `tbl`, where 16 pieces of degree 5 took eight
//! [`Simd::lookup16`] (five operations each on AVX2, a four-register `tbl`
//! on NEON).
//!
//! Measured max error: 0.779 ULP over every `f32` (exhaustive, worst at
//! `x = ±0.47645417`; the same bits on every path). Subnormal inputs give
//! `a (1 + ERF_P0[0])` rounded once, within 0.508 ULP of `2x/sqrt(pi)`
//! (`ERF_P0[0]` is `2/sqrt(pi) - 1` rounded to `f32`).
//!
//! Special values: `erf(NaN) = NaN`, `erf(±inf) = ±1`, `erf(±0) = ±0`.

use super::{Kernel, OddPieces, SHIFTER};
use crate::simd::Simd;

/// Width of a piece, `17 / 32` (`0x1.100000p-1`).
const STEP: f32 = 0.531_25;
/// `1 / STEP` rounded to `f32` (`0x1.e1e1e2p+0`).
const INV_STEP: f32 = 1.882_353;
/// `|x|` is clamped to this; `erf` rounds to 1 from `3.9193` on
/// (`0x1.f70a3ep+1`).
const ERF_CLAMP: f32 = 3.93;
/// Pieces `k <= 1` use `fma(a, P, a)`: `SHIFTER + k <= Q_LAST`
/// (`0x1.800002p+23`).
const Q_LAST: f32 = SHIFTER + 1.0;

/// The error function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Erf;

impl Kernel for Erf {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let a = s.abs_min(x, s.splat(ERF_CLAMP));
        let r = s.mul_add(a, s.splat(INV_STEP), s.splat(SHIFTER));
        let idx = s.to_bits(r);
        let k = s.sub(r, s.splat(SHIFTER));
        let u = s.mul_add(k, s.splat(-STEP), a);
        ERF_PIECES.eval(s, x, (a, u), idx, s.le(r, s.splat(Q_LAST)))
    }
}

/// The pieces: polynomial tables (highest degree first) and the constant's parts.
const ERF_PIECES: OddPieces<7> = OddPieces {
    poly: [
        &ERF_P6, &ERF_P5, &ERF_P4, &ERF_P3, &ERF_P2, &ERF_P1, &ERF_P0,
    ],
    hi: &ERF_HI,
    lo: &ERF_LO,
};

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^0`, per piece.
const ERF_P0: [f32; 8] = [
    1.2837917e-1, // 0x1.06eba8p-3
    3.064178e-2,  // 0x1.f608f0p-6
    3.6490288e-1, // 0x1.75a91ap-2
    8.898772e-2,  // 0x1.6c7e64p-4
    1.2340821e-2, // 0x1.946250p-7
    9.732382e-4,  // 0x1.fe41d2p-11
    4.3647047e-5, // 0x1.6e2352p-15
    1.113111e-6,  // 0x1.2acc68p-20
];
/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^1`, per piece.
const ERF_P1: [f32; 8] = [
    -2.4565644e-8, // -0x1.a608d8p-26
    -3.383109e-1,  // -0x1.5a6e2cp-2
    -3.877098e-1,  // -0x1.8d03ccp-2
    -1.4182428e-1, // -0x1.2274c4p-3
    -2.6224123e-2, // -0x1.ada7f2p-6
    -2.5851633e-3, // -0x1.52d7b0p-9
    -1.3913355e-4, // -0x1.23c8c2p-13
    -4.1398835e-6, // -0x1.15d2a8p-18
];
/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^2`, per piece.
const ERF_P2: [f32; 8] = [
    -3.7612513e-1, // -0x1.8126f2p-2
    -2.1409255e-1, // -0x1.b67628p-3
    1.5299287e-1,  // 0x1.395454p-3
    1.2102598e-1,  // 0x1.efb8f0p-4
    3.303734e-2,   // 0x1.0ea452p-5
    4.2534564e-3,  // 0x1.16c128p-8
    2.8109804e-4,  // 0x1.26c0aep-12
    9.898078e-6,   // 0x1.4c1fd8p-17
];
/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^3`, per piece.
const ERF_P3: [f32; 8] = [
    -2.6885307e-5, // -0x1.c30f84p-16
    1.7041238e-1,  // 0x1.5d012ap-3
    4.799276e-2,   // 0x1.89281cp-5
    -4.9161226e-2, // -0x1.92ba90p-5
    -2.636933e-2,  // -0x1.b008fcp-6
    -4.7874497e-3, // -0x1.39c014p-8
    -4.0101504e-4, // -0x1.a47ea8p-12
    -1.6976135e-5, // -0x1.1ccff2p-16
];
/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^4`, per piece.
const ERF_P4: [f32; 8] = [
    1.131075e-1,  // 0x1.cf49d0p-4
    2.4549145e-2, // 0x1.923694p-6
    -6.626863e-2, // -0x1.0f6fb2p-4
    -4.979039e-3, // -0x1.464e6ap-8
    1.2498393e-2, // 0x1.998c1ep-7
    3.8118174e-3, // 0x1.f39f5ep-9
    4.2745715e-4, // 0x1.c038a8p-12
    2.2038916e-5, // 0x1.71c06cp-16
];
/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^5`, per piece.
const ERF_P5: [f32; 8] = [
    -1.3191922e-3, // -0x1.59d17ep-10
    -4.8587997e-2, // -0x1.8e086ap-5
    9.909775e-3,   // 0x1.44b938p-7
    1.5605027e-2,  // 0x1.ff5874p-7
    -1.6279938e-3, // -0x1.aac4d0p-10
    -2.0971666e-3, // -0x1.12e13cp-9
    -3.6097813e-4, // -0x1.7a8354p-12
    -2.4355297e-5, // -0x1.989d34p-16
];
/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P6 u^6`: coefficient of `u^6`, per piece.
const ERF_P6: [f32; 8] = [
    -2.415691e-2,  // -0x1.8bc96cp-6
    2.2004277e-3,  // 0x1.206a1ap-9
    1.2340418e-2,  // 0x1.945eeep-7
    -5.7260133e-3, // -0x1.774290p-8
    -1.9184201e-3, // -0x1.f6e6fep-10
    6.626262e-4,   // 0x1.5b682ep-11
    2.191184e-4,   // 0x1.cb864cp-13
    2.341109e-5,   // 0x1.88c5dep-16
];
/// Constant term of each piece (about `erf` at its centre), leading part; 0 for the `fma(a, P, a)` pieces.
const ERF_HI: [f32; 8] = [
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    8.670583e-1,  // 0x1.bbef10p-1
    9.757977e-1,  // 0x1.f39bc2p-1
    9.97346e-1,   // 0x1.fea422p-1
    9.998277e-1,  // 0x1.ffe96ap-1
    9.9999344e-1, // 0x1.ffff24p-1
    9.999999e-1,  // 0x1.fffffcp-1
];
/// Constant term of each piece minus `ERF_HI`, rounded; 0 for the `fma(a, P, a)` pieces.
const ERF_LO: [f32; 8] = [
    0e0,           // 0x0.000000p+0
    0e0,           // 0x0.000000p+0
    -6.8505197e-9, // -0x1.d6c39ep-28
    7.779957e-9,   // 0x1.0b513ap-27
    -1.3646209e-8, // -0x1.d4e152p-27
    1.4040799e-8,  // 0x1.e2702cp-27
    6.378891e-9,   // 0x1.b65aa4p-28
    -2.554697e-8,  // -0x1.b6e4c4p-26
];
