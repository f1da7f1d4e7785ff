//! `sigmoid(x) = 1 / (1 + e^-x)` and `silu(x) = x sigmoid(x)`.
//!
//! Both work from `S(a) = sigmoid(-a)`, `a = |x|`: `sigmoid(x) = S(a)` for
//! `x < 0` and `1 - S(a)` for `x >= 0` (no cancellation: `S(a) <= 1/2`), so
//! the negative side keeps full relative accuracy, down to the subnormal
//! range.
//!
//! Approximation of `S` on `[0, 15.5)`: 16 pieces, one per integer
//! `k = round(a)` (the shifter trick; `k` is the table index and `u = a - k`
//! is exact). Per piece a degree-7 polynomial in `u`,
//! `HI + LO + P0 u + u^2 Q(u)`, minimax for relative error (2^-28 or better
//! with the `f32` coefficients; `cargo run --release --bin fit -- sigmoid`).
//! `S` varies by up to `e^0.5` over a piece, so the linear term is large;
//! it is added exactly: `w = fma(P0, u, HI)` and its rounding error
//! `fma(P0, u, HI - w)` (`HI - w` is exact, Sterbenz), then
//! `S = w + (err + fma(u^2, Q(u), LO))`: one rounding at the result's scale,
//! the others on terms below a quarter of it. No division, no `exp`.
//!
//! Beyond `a >= 15.5` (rare in practice: one vector test skips it),
//! `S(a) = E (1 - E)` to far below an ulp, `E = e^-a` as the split
//! exponential `(hi + lo) 2^n`: `S = (hi + (lo - hi E)) 2^n`, with the power of
//! two applied last so subnormal results round once.
//!
//! `silu(x)` is `fma(x, s_hi, x s_lo)` for `x <= 0`, with `S = s_hi + s_lo`
//! exactly (Fast2Sum of `w + t`), and `fma(-x, s_hi, x)` (`x - x S`) above;
//! in the tail the same with the scaled pair, `x` clamped to `±150` (where
//! `silu` is `-0.0` or `x`).
//!
//! Measured max error: see the README (exhaustive over every `f32`); every
//! path gives the scalar path's bits.
//!
//! Special values: `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`,
//! `sigmoid(+inf) = 1`, `sigmoid(±0) = 0.5`; `silu(-inf) = -0.0`,
//! `silu(+inf) = +inf`, `silu(±0) = ±0`.

use super::exp::exp_split_clamped;
use super::{Kernel, SHIFTER, lookup_horner};
use crate::simd::Simd;

/// The logistic sigmoid.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sigmoid;

/// `x * sigmoid(x)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Silu;

/// From this `a` on, the tail form (the pieces cover `[0, 15.5)`).
const TAIL: f32 = 15.5;
/// In the tail, `|x|` is clamped to this: `e^-150` is `0` in `f32`, and
/// `silu` is `-0.0` below `-150` and `x` above `150`.
const CLAMP: f32 = 150.0;

/// `S(a) = sigmoid(-a)` on the pieces (`a < 15.5`): `(w, t)` with
/// `S = w + t` to about 2^-28 relative, `|t|` below `w / 4`.
#[inline(always)]
fn pieces<S: Simd>(s: S, a: S::F) -> (S::F, S::F) {
    let shifter = s.splat(SHIFTER);
    let kk = s.add(a, shifter);
    let u = s.sub(a, s.sub(kk, shifter));
    let idx = s.to_bits(kk);
    let q = lookup_horner(
        s,
        u,
        idx,
        [
            &SIGMOID_P6,
            &SIGMOID_P5,
            &SIGMOID_P4,
            &SIGMOID_P3,
            &SIGMOID_P2,
            &SIGMOID_P1,
        ],
    );
    let r = s.mul_add(s.mul(u, u), q, s.lookup16(&SIGMOID_LO, idx));
    let hi = s.lookup16(&SIGMOID_HI, idx);
    let p0 = s.lookup16(&SIGMOID_P0, idx);
    let w = s.mul_add(p0, u, hi);
    let w_err = s.mul_add(p0, u, s.sub(hi, w));
    (w, s.add(w_err, r))
}

/// `S(a) = sigmoid(-a)` in the tail (`a >= 15.5`, any larger value
/// included): `(hi, v, n)` with `S = (hi + v) 2^n` to far below an ulp.
#[inline(always)]
fn tail<S: Simd>(s: S, a: S::F) -> (S::F, S::F, S::F) {
    let na = s.clamp(s.neg(a), s.splat(-CLAMP), s.splat(0.0));
    let e = exp_split_clamped(s, na);
    let v = s.mul_add(e.hi, s.neg(e.value(s)), e.lo);
    (e.hi, v, e.n)
}

impl Kernel for Sigmoid {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let one = s.splat(1.0);
        let a = s.abs(x);
        let neg = s.lt(x, s.splat(0.0));
        let (w, t) = pieces(s, a);
        let sn = s.add(w, t);
        let y = s.select(neg, sn, s.sub(one, sn));
        let far = s.ge(a, s.splat(TAIL));
        if !s.any(far) {
            return y;
        }
        let (hi, v, n) = tail(s, a);
        let sn = s.mul_exp2(s.add(hi, v), n);
        s.select(far, s.select(neg, sn, s.sub(one, sn)), y)
    }
}

impl Kernel for Silu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let a = s.abs(x);
        // `x <= 0`: `±0` go through `x HI`, which keeps their sign.
        let neg = s.le(x, s.splat(0.0));
        let (w, t) = pieces(s, a);
        // S = s_hi + s_lo exactly (Fast2Sum: |t| < |w|).
        let s_hi = s.add(w, t);
        let s_lo = s.add(s.sub(w, s_hi), t);
        let y_neg = s.mul_add(x, s_hi, s.mul(x, s_lo));
        let y_pos = s.neg_mul_add(x, s_hi, x);
        let y = s.select(neg, y_neg, y_pos);
        let far = s.ge(a, s.splat(TAIL));
        if !s.any(far) {
            return y;
        }
        let xc = s.clamp(x, s.splat(-CLAMP), s.splat(CLAMP));
        let (hi, v, n) = tail(s, a);
        let y_neg = s.mul_exp2(s.mul_add(xc, hi, s.mul(xc, v)), n);
        let y_pos = s.neg_mul_add(xc, s.mul_exp2(s.add(hi, v), n), xc);
        let y_far = s.select(neg, y_neg, y_pos);
        let y_far = s.select(s.gt(x, s.splat(CLAMP)), x, y_far);
        s.select(far, y_far, y)
    }
}

/// `P(u) = SIGMOID_P0 + SIGMOID_P1 u + ... + SIGMOID_P6 u^6`, where
/// `S = HI + LO + u P(u)` on piece `k`: coefficient of `u^0`, per piece
/// (`fit -- sigmoid`).
const SIGMOID_P0: [f32; 16] = [
    -2.5e-1,       // -0x1.000000p-2
    -1.9661194e-1, // -0x1.92a948p-3
    -1.0499359e-1, // -0x1.ae0dc2p-4
    -4.517666e-2,  // -0x1.721652p-5
    -1.7662706e-2, // -0x1.2162c2p-6
    -6.6480567e-3, // -0x1.b3afe2p-8
    -2.4665094e-3, // -0x1.434a52p-9
    -9.102212e-4,  // -0x1.dd37d2p-11
    -3.3523768e-4, // -0x1.5f85aep-12
    -1.2337934e-4, // -0x1.02bec8p-13
    -4.539581e-5,  // -0x1.7ccec2p-15
    -1.6701142e-5, // -0x1.1832dcp-16
    -6.144137e-6,  // -0x1.9c5378p-18
    -2.2603192e-6, // -0x1.2f5ffap-19
    -8.3152736e-7, // -0x1.be6c40p-21
    -3.0590215e-7, // -0x1.4875bep-22
];
/// Coefficient of `u^1` in `P(u)`, per piece (see [`SIGMOID_P0`]).
const SIGMOID_P1: [f32; 16] = [
    1.16697265e-8, // 0x1.90f800p-27
    4.5428835e-2,  // 0x1.74272cp-5
    3.99813e-2,    // 0x1.4786dcp-5
    2.044578e-2,   // 0x1.4efbd2p-6
    8.513665e-3,   // 0x1.16f9ccp-7
    3.2795337e-3,  // 0x1.addae4p-9
    1.227156e-3,   // 0x1.41b10cp-10
    4.542814e-4,   // 0x1.dc593cp-12
    1.6750644e-4,  // 0x1.5f4956p-13
    6.167445e-5,   // 0x1.02ae70p-14
    2.2695847e-5,  // 0x1.7cc5ecp-16
    8.350293e-6,   // 0x1.183078p-17
    3.0720312e-6,  // 0x1.9c5230p-19
    1.1301547e-6,  // 0x1.2f5fa4p-20
    4.1576305e-7,  // 0x1.be6c14p-22
    1.52951e-7,    // 0x1.4875b4p-23
];
/// Coefficient of `u^2` in `P(u)`, per piece (see [`SIGMOID_P0`]).
const SIGMOID_P2: [f32; 16] = [
    2.0832978e-2,  // 0x1.5553d8p-6
    5.8877645e-3,  // 0x1.81dc4cp-8
    -6.475175e-3,  // -0x1.a85b68p-8
    -5.488544e-3,  // -0x1.67b27cp-8
    -2.6318245e-3, // -0x1.58f560p-9
    -1.0638129e-3, // -0x1.16df46p-10
    -4.0499942e-4, // -0x1.a8ac34p-12
    -1.5087465e-4, // -0x1.3c6836p-13
    -5.5760243e-5, // -0x1.d3c036p-15
    -2.0548123e-5, // -0x1.58bd84p-16
    -7.563863e-6,  // -0x1.fb9a2ep-18
    -2.7832627e-6, // -0x1.75902ep-19
    -1.0239825e-6, // -0x1.12df8ap-20
    -3.7671418e-7, // -0x1.947e68p-22
    -1.3858647e-7, // -0x1.299cb8p-23
    -5.098314e-8,  // -0x1.b5f11cp-25
];
/// Coefficient of `u^3` in `P(u)`, per piece (see [`SIGMOID_P0`]).
const SIGMOID_P3: [f32; 16] = [
    3.668164e-6,   // 0x1.ec5528p-19
    -5.1451395e-3, // -0x1.51311ep-8
    -8.669858e-4,  // -0x1.c68cdep-11
    7.8027835e-4,  // 0x1.991730p-11
    5.591615e-4,   // 0x1.252962p-11
    2.5149656e-4,  // 0x1.07b698p-12
    9.9233606e-5,  // 0x1.a03746p-14
    3.7441918e-5,  // 0x1.3a15e8p-15
    1.3902118e-5,  // 0x1.d27a48p-17
    5.1318616e-6,  // 0x1.5864b6p-18
    1.8902009e-6,  // 0x1.fb659ep-20
    6.95707e-7,    // 0x1.75813ep-21
    2.5597316e-7,  // 0x1.12d95ep-22
    9.417236e-8,   // 0x1.94779ap-24
    3.464495e-8,   // 0x1.29990cp-25
    1.2745223e-8,  // 0x1.b5ec2ap-27
];
/// Coefficient of `u^4` in `P(u)`, per piece (see [`SIGMOID_P0`]).
const SIGMOID_P4: [f32; 16] = [
    -2.1010106e-3, // -0x1.136238p-9
    4.2377601e-4,  // 0x1.bc5c82p-12
    7.229354e-4,   // 0x1.7b06c0p-11
    4.180831e-5,   // 0x1.5eb6aap-15
    -7.462478e-5,  // -0x1.38ffc0p-14
    -4.4644916e-5, // -0x1.76823ap-15
    -1.906161e-5,  // -0x1.3fccfep-16
    -7.3818273e-6, // -0x1.ef62d4p-18
    -2.7680558e-6, // -0x1.7385acp-19
    -1.0236355e-6, // -0x1.12c7b2p-20
    -3.7812336e-7, // -0x1.9601c2p-22
    -1.3899727e-7, // -0x1.2a7e8ep-23
    -5.1211025e-8, // -0x1.b7e63cp-25
    -1.8839058e-8, // -0x1.43a70ep-26
    -6.9348736e-9, // -0x1.dc8f96p-28
    -2.5526088e-9, // -0x1.5ed3f0p-29
];
/// Coefficient of `u^5` in `P(u)`, per piece (see [`SIGMOID_P0`]).
const SIGMOID_P5: [f32; 16] = [
    4.2144093e-5,  // 0x1.6187c0p-15
    3.8641554e-4,  // 0x1.952fa2p-12
    -1.4132285e-4, // -0x1.286020p-13
    -5.634256e-5,  // -0x1.d8a2bap-15
    8.285829e-7,   // 0x1.bcd792p-21
    5.5865753e-6,  // 0x1.76e8a2p-18
    2.9266075e-6,  // 0x1.88cd78p-19
    1.2021155e-6,  // 0x1.42b0c0p-20
    4.5982247e-7,  // 0x1.edbb0ap-22
    1.7102494e-7,  // 0x1.6f45f4p-23
    6.344175e-8,   // 0x1.107af2p-24
    2.33125e-8,    // 0x1.908176p-26
    8.602186e-9,   // 0x1.2791a0p-27
    3.167912e-9,   // 0x1.b364fep-29
    1.1652977e-9,  // 0x1.40508ap-30
    4.2892287e-10, // 0x1.d79b0ep-32
];
/// Coefficient of `u^6` in `P(u)`, per piece (see [`SIGMOID_P0`]).
const SIGMOID_P6: [f32; 16] = [
    1.6799087e-4,   // 0x1.604d6ap-13
    -1.0443568e-4,  // -0x1.b608f6p-14
    -9.209506e-6,   // -0x1.35050ep-17
    1.4870419e-5,   // 0x1.f2f7eep-17
    2.4231135e-6,   // 0x1.45398cp-19
    -3.0196767e-7,  // -0x1.443c3ep-22
    -3.1404062e-7,  // -0x1.5132d4p-22
    -1.5357817e-7,  // -0x1.49ce7ep-23
    -5.8449555e-8,  // -0x1.f613eep-25
    -2.5443041e-8,  // -0x1.b51baep-26
    -8.234262e-9,   // -0x1.1aed56p-27
    -3.5132102e-9,  // -0x1.e2da18p-29
    -1.180895e-9,   // -0x1.449a1ap-30
    -4.4044657e-10, // -0x1.e446b0p-32
    -1.5297777e-10, // -0x1.5066d4p-33
    -5.3476522e-11, // -0x1.d6626cp-35
];
/// The constant term of piece `k`, `S(k)` in two parts: the high part.
const SIGMOID_HI: [f32; 16] = [
    5e-1,         // 0x1.000000p-1
    2.6894143e-1, // 0x1.136562p-2
    1.1920292e-1, // 0x1.e84152p-4
    4.7425874e-2, // 0x1.848344p-5
    1.798621e-2,  // 0x1.26afa2p-6
    6.692851e-3,  // 0x1.b69f68p-8
    2.4726233e-3, // 0x1.441778p-9
    9.110512e-4,  // 0x1.dda738p-11
    3.3535014e-4, // 0x1.5fa3dep-12
    1.2339458e-4, // 0x1.02c6f6p-13
    4.539787e-5,  // 0x1.7cd32ep-15
    1.6701422e-5, // 0x1.183410p-16
    6.1441747e-6, // 0x1.9c541ep-18
    2.2603242e-6, // 0x1.2f6026p-19
    8.3152804e-7, // 0x1.be6c58p-21
    3.0590223e-7, // 0x1.4875c4p-22
];
/// The low part of the constant term (see [`SIGMOID_HI`]).
const SIGMOID_LO: [f32; 16] = [
    5.779266e-12,   // 0x1.96ae00p-38
    -1.0383794e-8,  // -0x1.64c8d2p-27
    2.3366606e-9,   // 0x1.4125f0p-29
    -3.4960568e-10, // -0x1.806540p-32
    -7.7526846e-11, // -0x1.54f778p-34
    -3.578712e-11,  // -0x1.3ac96ep-35
    -9.5392916e-11, // -0x1.a38ae0p-34
    1.930167e-11,   // 0x1.538efep-36
    -7.643654e-12,  // -0x1.0cefeap-37
    -4.536353e-12,  // -0x1.3f37acp-38
    4.375499e-13,   // 0x1.eca32cp-42
    -4.4568857e-13, // -0x1.f5ccfcp-42
    -7.854217e-14,  // -0x1.61b8f4p-44
    8.767829e-14,   // 0x1.8ade30p-44
    -1.3990063e-14, // -0x1.f80b8ep-47
    -6.6038737e-15, // -0x1.dbdbf8p-48
];
