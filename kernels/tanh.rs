//! `tanh(x)`.
//!
//! `tanh` is odd: the kernel works on `a = |x|` and puts the sign bit of `x`
//! back at the end, so `tanh(-x) = -tanh(x)` bit for bit.
//!
//! Approximation: `a` is clamped to `TANH_CLAMP = 9.02` (`tanh` rounds to 1
//! above 9.0109) and falls in one of 8 pieces, one per half binade of
//! `v = a + 0.75` (the exponent and top mantissa bit of `v` are the table
//! index, [`Simd::lookup8`]): `[0, 0.25)`, `[0.25, 0.75)`, `[0.75, 1.25)`,
//! `[1.25, 2.25)`, `[2.25, 3.25)`, `[3.25, 5.25)`, `[5.25, 7.25)` and
//! `[7.25, 9.02]`. The local variable `u = a - TANH_CENTRE` is exact
//! (Sterbenz; the first piece is centred at 0), but for the few `a` just
//! under 0.25 whose `a + 0.75` rounds up to 1: they land in the piece
//! centred at 0.5, where `a - 0.5` is rounded once (by at most 2^-26; the
//! fit covers them, with a margin around every piece). A degree-7 polynomial `P(u)`
//! read from 8-entry tables gives
//! - for `a < 0.75` (`v < 1.5`): `tanh(a) = fma(a, P(u), a)`,
//!   `P ≈ tanh(a)/a - 1` with relative error below `2^-29`, so the result
//!   keeps full relative accuracy down to the subnormal range;
//! - above: `tanh(a) = TANH_HI + fma(u, P(u), TANH_LO)`, degree 8 in `u`,
//!   whose constant term `TANH_HI + TANH_LO` is split over two `f32` so the
//!   only large rounding is the final addition (absolute error below
//!   `2^-28.7`).
//!
//! The pieces are minimax fits with `f32` coefficients rounded greedily:
//! `cargo run --release --bin fit -- tanh`. No division, no `exp`. Eleven
//! lookups per vector, each one instruction on every path but NEON's
//! two-register `tbl`; 16 pieces of degree 5 took nine [`Simd::lookup16`],
//! five operations each on AVX2.
//!
//! Measured max error: 0.767 ULP over every `f32` (exhaustive, worst at
//! `x = ±0.75087225`); every path gives the scalar path's bits.
//!
//! Special values: `tanh(NaN) = NaN`, `tanh(±inf) = ±1`, `tanh(±0) = ±0`;
//! tiny and subnormal inputs return themselves (correctly rounded).

use super::{Kernel, OddPieces};
use crate::simd::Simd;

/// Added to `a` so that 8 half binades cover `[0, TANH_CLAMP]`.
const OFFSET: f32 = 0.75;
/// `|x|` is clamped to this; `tanh` rounds to 1 from `9.0109` on
/// (`0x1.20a3d8p+3`).
const TANH_CLAMP: f32 = 9.02;
/// `a + OFFSET` below this (`a < 0.75`): the `fma(a, P, a)` pieces.
const Q_END: f32 = 1.5;

/// The hyperbolic tangent.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tanh;

impl Kernel for Tanh {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let a = s.abs_min(x, s.splat(TANH_CLAMP));
        let v = s.add(a, s.splat(OFFSET));
        // Exponent and top mantissa bit; `lookup8` keeps the low three.
        let idx = s.shr::<22>(s.to_bits(v));
        let u = s.sub(a, s.lookup8(&TANH_CENTRE, idx));
        TANH_PIECES.eval(s, x, (a, u), idx, s.lt(v, s.splat(Q_END)))
    }
}

/// The pieces: polynomial tables (highest degree first) and the constant's parts.
const TANH_PIECES: OddPieces<8> = OddPieces {
    poly: [
        &TANH_P7, &TANH_P6, &TANH_P5, &TANH_P4, &TANH_P3, &TANH_P2, &TANH_P1, &TANH_P0,
    ],
    hi: &TANH_HI,
    lo: &TANH_LO,
};

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^0`, per piece.
const TANH_P0: [f32; 8] = [
    1.1381212e-1,  // 0x1.d22ca8p-4
    1.6214289e-2,  // 0x1.09a7a8p-6
    8.135233e-4,   // 0x1.aa8540p-11
    1.4906099e-5,  // 0x1.f42a6ap-17
    3.4362452e-7,  // 0x1.70f6cap-22
    -7.4423e-12,   // -0x1.05da48p-37
    -7.5765684e-2, // -0x1.365614p-4
    4.1997433e-1,  // 0x1.ae0dc0p-2
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^1`, per piece.
const TANH_P1: [f32; 8] = [
    -1.0713989e-1, // -0x1.b6d852p-4
    -1.6082302e-2, // -0x1.077e10p-6
    -8.131966e-4,  // -0x1.aa5966p-11
    -1.4906024e-5, // -0x1.f429c6p-17
    -3.4362475e-7, // -0x1.70f6dap-22
    3.868749e-9,   // 0x1.09dbc0p-28
    -2.7557316e-1, // -0x1.1a2fdap-2
    -3.1985e-1,    // -0x1.4786c2p-2
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^2`, per piece.
const TANH_P2: [f32; 8] = [
    6.292029e-2,   // 0x1.01b8b4p-4
    1.0546524e-2,  // 0x1.5996a8p-7
    5.419534e-4,   // 0x1.1c23c2p-11
    9.942788e-6,   // 0x1.4d9fe6p-17
    2.2914352e-7,  // 0x1.ec14fcp-23
    -3.3333367e-1, // -0x1.55556cp-2
    -1.7571636e-1, // -0x1.67ddfap-3
    1.0360652e-1,  // 0x1.a85f50p-4
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^3`, per piece.
const TANH_P3: [f32; 8] = [
    -2.3520293e-2, // -0x1.815b42p-6
    -5.099905e-3,  // -0x1.4e3a36p-8
    -2.705099e-4,  // -0x1.1ba672p-12
    -4.971062e-6,  // -0x1.4d9a32p-18
    -1.1456991e-7, // -0x1.ec12f2p-24
    1.10832625e-5, // 0x1.73e480p-17
    1.6302803e-1,  // 0x1.4de1a4p-3
    2.7711617e-2,  // 0x1.c606f2p-6
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^4`, per piece.
const TANH_P4: [f32; 8] = [
    3.7142176e-3,  // 0x1.e6d476p-9
    1.9045349e-3,  // 0x1.f3432cp-10
    1.0690223e-4,  // 0x1.c06166p-14
    1.9682484e-6,  // 0x1.082c80p-19
    4.5550813e-8,  // 0x1.87474cp-25
    1.3315551e-1,  // 0x1.10b3d6p-3
    3.3543487e-3,  // 0x1.b7a944p-9
    -4.6384443e-2, // -0x1.7bfb3ap-5
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^5`, per piece.
const TANH_P5: [f32; 8] = [
    1.9873476e-3,  // 0x1.047c52p-9
    -5.4608943e-4, // -0x1.1e4ee2p-11
    -3.545435e-5,  // -0x1.2969a4p-15
    -6.563021e-7,  // -0x1.60597ap-21
    -1.5187094e-8, // -0x1.04e98cp-26
    1.5526615e-3,  // 0x1.97055ap-10
    -6.102371e-2,  // -0x1.f3e7fep-5
    1.8933892e-2,  // 0x1.363680p-6
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^6`, per piece.
const TANH_P6: [f32; 8] = [
    -2.0386176e-3, // -0x1.0b34a8p-9
    1.003081e-4,   // 0x1.a4b900p-14
    1.1265453e-5,  // 0x1.7a0182p-17
    2.141629e-7,   // 0x1.cbe94cp-23
    4.809925e-9,   // 0x1.4a8918p-28
    -6.1547607e-2, // -0x1.f832b0p-5
    1.97217e-2,    // 0x1.431ecep-6
    3.4065733e-3,  // 0x1.be81a2p-9
];
/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P7 u^7`: coefficient of `u^7`, per piece.
const TANH_P7: [f32; 8] = [
    8.3927147e-4,  // 0x1.b8051cp-11
    6.834972e-7,   // 0x1.6ef324p-21
    -2.7028118e-6, // -0x1.6ac3e8p-19
    -5.336272e-8,  // -0x1.ca61dcp-25
    -1.20027e-9,   // -0x1.49ed7ep-30
    1.9680707e-2,  // 0x1.4272dep-6
    1.4442973e-2,  // 0x1.d94470p-7
    -6.9441735e-3, // -0x1.c717e6p-8
];
/// Centre of each piece: `u = a - TANH_CENTRE` is exact.
const TANH_CENTRE: [f32; 8] = [
    1.75e0,  // 0x1.c00000p+0
    2.75e0,  // 0x1.600000p+1
    4.25e0,  // 0x1.100000p+2
    6.25e0,  // 0x1.900000p+2
    8.135e0, // 0x1.0451ecp+3
    0e0,     // 0x0.000000p+0
    5e-1,    // 0x1.000000p-1
    1e0,     // 0x1.000000p+0
];
/// Constant term of each piece (about `tanh` at its centre), leading part; 0 for the `fma(a, P, a)` pieces.
const TANH_HI: [f32; 8] = [
    9.4137555e-1, // 0x1.e1fbfap-1
    9.9185973e-1, // 0x1.fbd50ap-1
    9.9959314e-1, // 0x1.ffcaacp-1
    9.9999255e-1, // 0x1.ffff06p-1
    9.999998e-1,  // 0x1.fffffap-1
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    7.615942e-1,  // 0x1.85efacp-1
];
/// Constant term of each piece minus `TANH_HI`, rounded; 0 for the `fma(a, P, a)` pieces.
const TANH_LO: [f32; 8] = [
    -1.5297315e-8, // -0x1.06ce4ep-26
    -9.468627e-9,  // -0x1.4556ecp-27
    6.988328e-9,   // 0x1.e03bf8p-28
    -2.7069271e-9, // -0x1.740988p-29
    6.999878e-9,   // 0x1.e10728p-28
    0e0,           // 0x0.000000p+0
    0e0,           // 0x0.000000p+0
    -2.033594e-8,  // -0x1.5d5e68p-26
];
