//! `gelu(x) = x Phi(x) = 0.5 x erfc(-x / sqrt 2)` (PyTorch's exact GELU).
//!
//! Near zero, `|x| < 0.25`: `Phi(x) = 1/2 + x S(x^2)`, so
//! `gelu(x) = x/2 + x^2 S(x^2)`, one fused multiply-add after the
//! polynomial; the cancellation for `x < 0` is at most a factor 1.25.
//!
//! Elsewhere, with `a = |x|` and `Psi(a) = erfc(a / sqrt 2) / 2 = Phi(-a)`,
//! `gelu(x) = -a Psi(a)` for `x < 0` and `x - a Psi(a)` for `x > 0`. The
//! Gaussian factor is split off exactly: `a Psi(a) = e^(-a^2/2) G(a)` with
//! `G(a) = a e^(a^2/2) Psi(a)` smooth (it tends to `1/sqrt(2 pi)`).
//! `-a^2/2 = hi + lo` exactly (`lo` from an FMA), and
//! `e^(hi + lo) = (h + l') 2^n`, `l' = l + h lo`, from [`exp_split_clamped`].
//! `G` is a piecewise polynomial of degree 6 in the exact local variable
//! `u = a - centre`, on 16 segments picked per lane by [`Simd::lookup16`] from
//! the top bits of `a + 5` (so the segments are 1/4 wide below 0.5, then 1/2
//! up to 3, 1 up to 11, 2 up to 15). Each segment's centre is chosen so that
//! its constant term `c0` is within a small fraction of an ulp of `G(centre)`,
//! and `W = G (h + l')` is formed as `c0 h + (t (h + l') + c0 l')` with
//! `t = G - c0 = u q(u)`, so only the last fused multiply-add rounds at full
//! weight. `2^n` is applied last with [`Simd::mul_exp2`]: results down to the
//! subnormal range are rounded once. `a` is clamped to 14.5, past which
//! `gelu(-a)` is below half the smallest subnormal and `gelu(a) = a`.
//! Coefficients: `cargo run --release --bin fit -- gelu_tail` (per-segment
//! relative error below 2^-26.3) and `-- gelu_small --refit`.
//!
//! Measured max error: see the README (exhaustive over every `f32`).
//!
//! Special values: `gelu(NaN) = NaN`, `gelu(-inf) = -0.0`,
//! `gelu(+inf) = +inf`, `gelu(±0) = ±0`.

use super::exp::exp_split_clamped;
use super::{Kernel, horner};
use crate::simd::Simd;

/// Below this `|x|`, the polynomial around zero.
const SMALL_MAX: f32 = 0.25;
/// `|x|` is clamped to this for the tail: `gelu(-14.5)` rounds to `-0.0`
/// and `gelu(14.5) = 14.5` in `f32`; it is inside the last segment.
const TAIL_MAX: f32 = 14.5;
/// The segment index is bits 20..24 of `a + INDEX_SHIFT`: the top three
/// mantissa bits and the lowest exponent bit.
const INDEX_SHIFT: f32 = 5.0;

/// `gelu`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gelu;

impl Kernel for Gelu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let a = s.abs(x);
        let ac = s.select(s.lt(a, s.splat(TAIL_MAX)), a, s.splat(TAIL_MAX));

        // -a^2/2 = hi + lo exactly, e^(hi + lo) = (h + l) 2^n.
        let sq = s.mul(ac, ac);
        let hi = s.mul(sq, s.splat(-0.5));
        let lo = s.mul(s.mul_sub(ac, ac, sq), s.splat(-0.5));
        let e = exp_split_clamped(s, hi);
        let l = s.mul_add(e.hi, lo, e.lo);

        // G(a) = c0 + t, t = u q(u).
        let idx = s.shr::<20>(s.to_bits(s.add(ac, s.splat(INDEX_SHIFT))));
        let u = s.sub(ac, s.lookup16(&TAIL_CENTRE, idx));
        let mut q = s.lookup16(&TAIL_POLY[0], idx);
        for c in &TAIL_POLY[1..TAIL_POLY.len() - 1] {
            q = s.mul_add(q, u, s.lookup16(c, idx));
        }
        let c0 = s.lookup16(&TAIL_POLY[TAIL_POLY.len() - 1], idx);
        let t = s.mul(q, u);

        // W = G (h + l) = a Psi(a) 2^-n.
        let hl = s.add(e.hi, l);
        let w = s.mul_add(c0, e.hi, s.mul_add(t, hl, s.mul(c0, l)));
        let base = s.select(s.lt(x, zero), s.splat(-0.0), x);
        let tail = s.sub(base, s.mul_exp2(w, e.n));

        let x2 = s.mul(x, x);
        let small = s.mul_add(x2, horner(s, x2, SMALL_POLY), s.mul(x, s.splat(0.5)));
        let y = s.select(s.lt(a, s.splat(SMALL_MAX)), small, tail);
        // gelu(x) <= 0 for x <= 0: this only turns +0 into -0 for x = -0.
        s.or(y, s.sign_bit(x))
    }
}

/// Centres of the tail segments (see the module docs).
const TAIL_CENTRE: [f32; 16] = [
    3.479492e0, // 0x1.bd5ffep+1
    4.4941406e0, // 0x1.1fa000p+2
    5.4853516e0, // 0x1.5f1000p+2
    6.5126953e0, // 0x1.a0d000p+2
    7.501953e0, // 0x1.e02000p+2
    8.475586e0, // 0x1.0f3800p+3
    9.483398e0, // 0x1.2f7800p+3
    1.0509766e1, // 0x1.505000p+3
    1.20078125e1, // 0x1.804000p+3
    1.3777828e1, // 0x1.b8e3f8p+3
    3.6962983e-1, // 0x1.7a803ep-2
    7.5830084e-1, // 0x1.844002p-1
    1.2583009e0, // 0x1.422002p+0
    1.7495117e0, // 0x1.bfe000p+0
    2.262207e0, // 0x1.219000p+1
    2.746582e0, // 0x1.5f9000p+1
];
/// Coefficients of `G` per segment, highest degree first, in `u = a - centre`.
const TAIL_POLY: [[f32; 16]; 7] = [
    // u^6
    [
        -2.0443034e-5, // -0x1.56fa2ap-16
        -4.9299115e-6, // -0x1.4ad73cp-18
        -1.1516389e-6, // -0x1.352406p-20
        -4.745727e-7, // -0x1.fd918cp-22
        -8.99707e-7, // -0x1.e306cap-21
        -3.2439726e-8, // -0x1.16a7b6p-25
        -6.960638e-9, // -0x1.de54d6p-28
        -5.700688e-7, // -0x1.320da8p-21
        -3.2225206e-8, // -0x1.14cffap-25
        -1.9727265e-8, // -0x1.52e96ep-26
        -9.615492e-3, // -0x1.3b1498p-7
        -3.7096918e-3, // -0x1.e63c9ap-9
        -1.2486083e-3, // -0x1.4750b0p-10
        -4.1538442e-4, // -0x1.b38fe8p-12
        -1.5542872e-4, // -0x1.45f528p-13
        -8.363854e-5, // -0x1.5ece32p-14
    ],
    // u^5
    [
        8.7605134e-5, // 0x1.6f714cp-14
        2.3457953e-5, // 0x1.898f24p-16
        7.661501e-6, // 0x1.0113cap-17
        2.7721665e-6, // 0x1.7412eap-19
        1.1622677e-6, // 0x1.37fe6ep-20
        5.3282554e-7, // 0x1.1e0efcp-21
        2.580504e-7, // 0x1.15145ap-22
        9.918338e-8, // 0x1.a9fd48p-24
        5.4973526e-8, // 0x1.d83810p-25
        1.9025773e-8, // 0x1.46dc3cp-26
        2.5094502e-2, // 0x1.9b25f8p-6
        1.0456687e-2, // 0x1.56a50cp-7
        3.6084824e-3, // 0x1.d8f894p-9
        1.3915065e-3, // 0x1.6cc66cp-10
        5.6014187e-4, // 0x1.25acf8p-11
        2.542465e-4, // 0x1.0a98c6p-12
    ],
    // u^4
    [
        -3.4712252e-4, // -0x1.6bfbfep-12
        -1.0924342e-4, // -0x1.ca333ap-14
        -4.1334002e-5, // -0x1.5abc18p-15
        -1.7034261e-5, // -0x1.1dc998p-16
        -7.747164e-6, // -0x1.03f3a2p-17
        -4.1358057e-6, // -0x1.158c9ap-18
        -2.217296e-6, // -0x1.2999b6p-19
        -1.0299655e-6, // -0x1.147ab0p-20
        -5.3867467e-7, // -0x1.2132e2p-21
        -2.471775e-7, // -0x1.0967a2p-22
        -5.7598542e-2, // -0x1.d7d8e6p-5
        -2.5493663e-2, // -0x1.a1b02cp-6
        -9.748677e-3, // -0x1.3f71d4p-7
        -4.138616e-3, // -0x1.0f3a74p-8
        -1.8322003e-3, // -0x1.e04ce2p-10
        -9.047263e-4, // -0x1.da564ep-11
    ],
    // u^3
    [
        1.3084613e-3, // 0x1.57015ap-10
        4.8527837e-4, // 0x1.fcd9ecp-12
        2.113728e-4, // 0x1.bb47e8p-13
        9.9848425e-5, // 0x1.a2cb6ep-14
        5.2788433e-5, // 0x1.bad24cp-15
        3.0100127e-5, // 0x1.f8ff10p-16
        1.7799008e-5, // 0x1.2a9e28p-16
        1.0952715e-5, // 0x1.6f831ap-17
        5.7864904e-6, // 0x1.845326p-18
        2.9792782e-6, // 0x1.8fdf38p-19
        1.1749088e-1, // 0x1.e13e1ep-4
        5.6580026e-2, // 0x1.cf80eap-5
        2.4083303e-2, // 0x1.8a94b2p-6
        1.1302819e-2, // 0x1.725eeap-7
        5.536546e-3, // 0x1.6ad7d4p-8
        3.0008429e-3, // 0x1.895394p-9
    ],
    // u^2
    [
        -4.4571212e-3, // -0x1.241a16p-8
        -1.9639384e-3, // -0x1.016ad6p-9
        -9.934162e-4, // -0x1.046b08p-10
        -5.388811e-4, // -0x1.1a8766p-11
        -3.2111743e-4, // -0x1.50b74ep-12
        -2.0369567e-4, // -0x1.ab2e48p-13
        -1.3321471e-4, // -0x1.175f1ap-13
        -8.999863e-5, // -0x1.797b4cp-14
        -5.3858585e-5, // -0x1.c3cc6ep-15
        -3.155759e-5, // -0x1.08b968p-15
        -2.0533913e-1, // -0x1.a488d8p-3
        -1.0863303e-1, // -0x1.bcf5fcp-4
        -5.198469e-2, // -0x1.a9dbccp-5
        -2.7243063e-2, // -0x1.be59b0p-6
        -1.4889418e-2, // -0x1.e7e57ep-7
        -8.901021e-3, // -0x1.23ab2ep-7
    ],
    // u^1
    [
        1.2956488e-2, // 0x1.a88ee6p-7
        6.8547875e-3, // 0x1.c13c40p-8
        4.055615e-3, // 0x1.09c9eep-8
        2.5394051e-3, // 0x1.4cd84cp-9
        1.7114521e-3, // 0x1.c0a59cp-10
        1.2111648e-3, // 0x1.3d7fe4p-10
        8.778204e-4, // 0x1.cc3b10p-11
        6.523273e-4, // 0x1.5601e4p-11
        4.4259886e-4, // 0x1.d0193ap-12
        2.9578942e-4, // 0x1.36285ep-12
        2.8557822e-1, // 0x1.246e9ep-2
        1.6809133e-1, // 0x1.584044p-3
        9.1777444e-2, // 0x1.77eba0p-4
        5.4381248e-2, // 0x1.bd7dbep-5
        3.352874e-2, // 0x1.12aadep-5
        2.2300007e-2, // 0x1.6d5d02p-6
    ],
    // u^0
    [
        3.719442e-1, // 0x1.7cdef0p-2
        3.8157517e-1, // 0x1.86bba4p-2
        3.8682562e-1, // 0x1.8c1c04p-2
        3.9013422e-1, // 0x1.8f7f58p-2
        3.9220157e-1, // 0x1.919d4ap-2
        3.9360592e-1, // 0x1.930d6ep-2
        3.946467e-1, // 0x1.941e44p-2
        3.954244e-1, // 0x1.94ea22p-2
        3.962311e-1, // 0x1.95bd9cp-2
        3.9687306e-1, // 0x1.9665e4p-2
        1.4082396e-1, // 0x1.206850p-3
        2.2657716e-1, // 0x1.d007b0p-3
        2.8921583e-1, // 0x1.282832p-2
        3.2412887e-1, // 0x1.4be870p-2
        3.4612837e-1, // 0x1.626f7ap-2
        3.594169e-1, // 0x1.700afcp-2
    ],
];
/// `S(t)`, `t = x^2`, highest degree first: `Phi(x) = 1/2 + x S(x^2)` for `|x| < 0.25`.
const SMALL_POLY: [f32; 3] = [
    9.8331515e-3, // 0x1.423674p-7
    -6.64862e-2, // -0x1.1053d6p-4
    3.9894226e-1, // 0x1.988452p-2
];
