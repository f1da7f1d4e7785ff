//! `tanh(x)`.
//!
//! `tanh` is odd: the kernel works on `a = |x|` and puts the sign bit of `x`
//! back at the end, so `tanh(-x) = -tanh(x)` bit for bit.
//!
//! Approximation: `a` is clamped to `TANH_CLAMP = 9.02` (`tanh` rounds to 1
//! above 9.0109) and falls in one of 16 pieces, one per quarter binade of
//! `v = a + 0.625` (the exponent and top two mantissa bits of `v` are the
//! table index): widths 1/8 on `[0, 0.375)`, 1/4 up to 1.375, 1/2 up to
//! 3.375, 1 up to 7.375, and `[7.375, 9.375)`. The local variable
//! `u = a - TANH_CENTRE` is exact (Sterbenz; the first piece is centred at
//! 0). A degree-5 polynomial `P(u)` read from 16-entry tables (`lookup16`)
//! gives
//! - for `a < 0.625` (`v < 1.25`): `tanh(a) = fma(a, P(u), a)`,
//!   `P ≈ tanh(a)/a - 1` with relative error below `2^-27.3`, so the result
//!   keeps full relative accuracy down to the subnormal range;
//! - above: `tanh(a) = TANH_HI + fma(u, P(u), TANH_LO)`, degree 6 in `u`,
//!   whose constant term `TANH_HI + TANH_LO` is split over two `f32` so the
//!   only large rounding is the final addition (absolute error below
//!   `2^-27.8`).
//!
//! The pieces are minimax fits with `f32` coefficients rounded greedily:
//! `cargo run --release --bin fit -- tanh`. No division, no `exp`.
//!
//! Measured max error: 0.640 ULP over every `f32` (exhaustive, worst at
//! `x = ±0.8731436`; the same bits on every path).
//!
//! Special values: `tanh(NaN) = NaN`, `tanh(±inf) = ±1`, `tanh(±0) = ±0`;
//! tiny and subnormal inputs return themselves (correctly rounded).

use super::{Kernel, OddPieces};
use crate::simd::Simd;

/// Added to `a` so that 16 quarter binades cover `[0, TANH_CLAMP]`.
const OFFSET: f32 = 0.625;
/// `|x|` is clamped to this; `tanh` rounds to 1 from `9.0109` on
/// (`0x1.20a3d8p+3`).
const TANH_CLAMP: f32 = 9.02;
/// `a + OFFSET` below this (`a < 0.625`): the `fma(a, P, a)` pieces.
const Q_END: f32 = 1.25;

/// The hyperbolic tangent.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tanh;

impl Kernel for Tanh {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let a = s.abs(x);
        let a = s.min(a, s.splat(TANH_CLAMP));
        let v = s.add(a, s.splat(OFFSET));
        // Exponent and top two mantissa bits; `lookup16` keeps the low four.
        let idx = s.shr::<21>(s.to_bits(v));
        let u = s.sub(a, s.lookup16(&TANH_CENTRE, idx));
        TANH_PIECES.eval(s, x, (a, u), idx, s.lt(v, s.splat(Q_END)))
    }
}

/// The pieces: polynomial tables (highest degree first) and the constant's parts.
const TANH_PIECES: OddPieces = OddPieces {
    poly: [&TANH_P5, &TANH_P4, &TANH_P3, &TANH_P2, &TANH_P1, &TANH_P0],
    hi: &TANH_HI,
    lo: &TANH_LO,
};

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P5 u^5`: coefficient of `u^0`, per piece.
const TANH_P0: [f32; 16] = [
    1.4373429e-1,  // 0x1.265e2ap-3
    5.546336e-2,   // 0x1.c65b18p-5
    2.0771507e-2,  // 0x1.545204p-6
    7.6920916e-3,  // 0x1.f81be2p-8
    1.7215229e-3,  // 0x1.c34972p-10
    2.3315662e-4,  // 0x1.e8f702p-13
    3.1557505e-5,  // 0x1.08b93ap-15
    4.270902e-6,   // 0x1.1e9d8ap-18
    2.1261009e-7,  // 0x1.c893a2p-23
    1.1128495e-10, // 0x1.e96fb6p-34
    -1.1556267e-2, // -0x1.7aacfep-7
    -3.1328864e-2, // -0x1.00a564p-5
    -7.5765684e-2, // -0x1.365614p-4
    5.965858e-1,   // 0x1.3173b2p-1
    4.1997436e-1,  // 0x1.ae0dc2p-2
    2.8041485e-1,  // 0x1.1f2512p-2
];

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P5 u^5`: coefficient of `u^1`, per piece.
const TANH_P1: [f32; 16] = [
    -1.3300395e-1, // -0x1.106460p-3
    -5.3903308e-2, // -0x1.b9936ep-5
    -2.0554643e-2, // -0x1.50c46cp-6
    -7.6624495e-3, // -0x1.f62a92p-8
    -1.7200346e-3, // -0x1.c2e592p-10
    -2.3312886e-4, // -0x1.e8e81ap-13
    -3.155693e-5,  // -0x1.08b7fep-15
    -4.2708825e-6, // -0x1.1e9d34p-18
    -2.1325636e-7, // -0x1.c9f6ecp-23
    -5.6465527e-8, // -0x1.e50902p-25
    -1.2155802e-1, // -0x1.f1e6d2p-4
    -1.9297381e-1, // -0x1.8b35dap-3
    -2.7557313e-1, // -0x1.1a2fd8p-2
    -3.7892085e-1, // -0x1.8403d4p-2
    -3.1985003e-1, // -0x1.4786c4p-2
    -2.3787135e-1, // -0x1.e72918p-3
];

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P5 u^5`: coefficient of `u^2`, per piece.
const TANH_P2: [f32; 16] = [
    7.51733e-2,    // 0x1.33e8ecp-4
    3.390049e-2,   // 0x1.15b67ap-5
    1.3415869e-2,  // 0x1.b79c78p-7
    5.068636e-3,   // 0x1.4c2d9ap-8
    1.1435412e-3,  // 0x1.2bc5c0p-10
    1.5521547e-4,  // 0x1.4582acp-13
    2.1014457e-5,  // 0x1.609068p-16
    2.84415e-6,    // 0x1.7dbc40p-19
    1.4186229e-7,  // 0x1.30a59ep-23
    -3.3332813e-1, // -0x1.5553f8p-2
    -3.0618256e-1, // -0x1.3987ecp-2
    -2.6239246e-1, // -0x1.0cb09cp-2
    -1.7571853e-1, // -0x1.67df1ep-3
    4.1804634e-2,  // 0x1.5676acp-5
    1.03603914e-1, // 0x1.a85c94p-4
    1.08311735e-1, // 0x1.bba516p-4
];

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P5 u^5`: coefficient of `u^3`, per piece.
const TANH_P3: [f32; 16] = [
    -2.5223967e-2, // -0x1.9d44fcp-6
    -1.497986e-2,  // -0x1.eadc2cp-7
    -6.4246766e-3, // -0x1.a50c30p-8
    -2.4951275e-3, // -0x1.470a96p-9
    -5.698716e-4,  // -0x1.2ac6e0p-11
    -7.757803e-5,  // -0x1.4562c6p-14
    -1.0507381e-5, // -0x1.6091b8p-17
    -1.4221723e-6, // -0x1.7dc2f0p-20
    -6.728566e-8,  // -0x1.20fd5ep-24
    -1.7819763e-4, // -0x1.75b520p-13
    9.315998e-2,   // 0x1.7d9552p-4
    1.3708794e-1,  // 0x1.18c190p-3
    1.6302304e-1,  // 0x1.4ddf06p-3
    9.975592e-2,   // 0x1.9899aap-4
    2.771484e-2,   // 0x1.c61476p-6
    -1.258743e-2,  // -0x1.9c7704p-7
];

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P5 u^5`: coefficient of `u^4`, per piece.
const TANH_P4: [f32; 16] = [
    1.1559278e-3,  // 0x1.2f0500p-10
    4.454811e-3,   // 0x1.23f354p-8
    2.35814e-3,    // 0x1.35160cp-9
    9.7506295e-4,  // 0x1.ff36bcp-11
    2.3575466e-4,  // 0x1.ee69d2p-13
    3.2340875e-5,  // 0x1.0f4b80p-15
    4.384859e-6,   // 0x1.26434ep-18
    5.935727e-7,   // 0x1.3eac02p-21
    2.9228476e-8,  // 0x1.f62432p-26
    1.3609952e-1,  // 0x1.16bb58p-3
    1.06484875e-1, // 0x1.b4297cp-4
    6.724007e-2,   // 0x1.136a52p-4
    3.788284e-3,   // 0x1.f089b8p-9
    -6.344556e-2,  // -0x1.03df7ep-4
    -4.623922e-2,  // -0x1.7acaacp-5
    -1.9321013e-2, // -0x1.3c8e34p-6
];

/// `P(u) = TANH_P0 + TANH_P1 u + ... + TANH_P5 u^5`: coefficient of `u^5`, per piece.
const TANH_P5: [f32; 16] = [
    4.2311763e-3,  // 0x1.154b5cp-8
    -5.299579e-4,  // -0x1.15d9bep-11
    -6.3604786e-4, // -0x1.4d78e6p-11
    -3.035281e-4,  // -0x1.3e45b4p-12
    -7.7247045e-5, // -0x1.43ff62p-14
    -1.0741882e-5, // -0x1.687010p-17
    -1.4590545e-6, // -0x1.87a976p-20
    -1.9755865e-7, // -0x1.a84104p-23
    -1.5013653e-8, // -0x1.01eebep-26
    -1.986235e-2,  // -0x1.456cbcp-6
    -5.293904e-2,  // -0x1.b1ad36p-5
    -6.9495e-2,    // -0x1.1ca6cap-4
    -6.0530733e-2, // -0x1.efde26p-5
    -1.3602941e-3, // -0x1.6497cap-10
    1.868131e-2,   // 0x1.321318p-6
    1.5160533e-2,  // 0x1.f0c7c4p-7
];

/// Centre of each piece: `u = a - TANH_CENTRE` is exact.
const TANH_CENTRE: [f32; 16] = [
    1.625e0,  // 0x1.a00000p+0
    2.125e0,  // 0x1.100000p+1
    2.625e0,  // 0x1.500000p+1
    3.125e0,  // 0x1.900000p+1
    3.875e0,  // 0x1.f00000p+1
    4.875e0,  // 0x1.380000p+2
    5.875e0,  // 0x1.780000p+2
    6.875e0,  // 0x1.b80000p+2
    8.375e0,  // 0x1.0c0000p+3
    0e0,      // 0x0.000000p+0
    1.875e-1, // 0x1.800000p-3
    3.125e-1, // 0x1.400000p-2
    5e-1,     // 0x1.000000p-1
    7.5e-1,   // 0x1.800000p-1
    1e0,      // 0x1.000000p+0
    1.25e0,   // 0x1.400000p+0
];

/// Constant term of each piece (about `tanh` at its centre), leading part; 0 for the `fma(a, P, a)` pieces.
const TANH_HI: [f32; 16] = [
    9.253462e-1,  // 0x1.d9c6fap-1
    9.7187275e-1, // 0x1.f1994ep-1
    9.8955977e-1, // 0x1.faa794p-1
    9.9614656e-1, // 0x1.fe06ecp-1
    9.991389e-1,  // 0x1.ff8f22p-1
    9.998834e-1,  // 0x1.fff0b8p-1
    9.999842e-1,  // 0x1.fffdeep-1
    9.9999785e-1, // 0x1.ffffb8p-1
    9.999999e-1,  // 0x1.fffffcp-1
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    6.3514894e-1, // 0x1.45323ep-1
    7.615942e-1,  // 0x1.85efacp-1
    8.4828365e-1, // 0x1.b2523cp-1
];

/// Constant term of each piece minus `TANH_HI`, rounded; 0 for the `fma(a, P, a)` pieces.
const TANH_LO: [f32; 16] = [
    2.9218473e-8,  // 0x1.f5f834p-26
    -1.0711576e-9, // -0x1.267004p-30
    -2.101452e-8,  // -0x1.6906d6p-26
    -2.9034801e-8, // -0x1.f2d068p-26
    -5.5609055e-9, // -0x1.7e247cp-28
    4.2003316e-9,  // 0x1.20a504p-28
    1.6712114e-8,  // 0x1.1f1ca8p-26
    1.0362302e-8,  // 0x1.640bc6p-27
    1.2910256e-8,  // 0x1.bb97d0p-27
    0e0,           // 0x0.000000p+0
    0e0,           // 0x0.000000p+0
    0e0,           // 0x0.000000p+0
    0e0,           // 0x0.000000p+0
    9.719066e-9,   // 0x1.4df1d0p-27
    -2.0124281e-8, // -0x1.59bb86p-26
    -8.467944e-9,  // -0x1.22f4d2p-27
];
