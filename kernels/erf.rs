//! `erf(x)`.
//!
//! `erf` is odd: the kernel works on `a = |x|` and puts the sign bit of `x`
//! back at the end, so `erf(-x) = -erf(x)` bit for bit.
//!
//! Approximation: `a` is clamped to `ERF_CLAMP = 3.93` (`erf` rounds to 1
//! above 3.9193) and falls in one of 16 pieces of width `STEP = 33/128`
//! centred at `k STEP`, `k = round(a / STEP)` (computed with the shifter
//! trick, which leaves `k` in the low bits of the sum: the table index).
//! The local variable `u = a - k STEP` is exact (one FMA; Sterbenz for
//! `k >= 1`, `u = a` for `k = 0`). A degree-5 polynomial `P(u)` read from
//! 16-entry tables (`lookup16`) gives
//! - for `a < 3.5 STEP = 0.9023` (pieces 0 to 3): `erf(a) = fma(a, P(u), a)`,
//!   `P ≈ erf(a)/a - 1` with relative error below `2^-27.6`, so the result
//!   keeps full relative accuracy down to the subnormal range (where it is
//!   `a (1 + P(0))` rounded once);
//! - above: `erf(a) = ERF_HI + fma(u, P(u), ERF_LO)`, degree 6 in `u`, whose
//!   constant term `ERF_HI + ERF_LO` is split over two `f32` so the only
//!   large rounding is the final addition (absolute error below `2^-29`).
//!
//! The pieces are minimax fits with `f32` coefficients rounded greedily:
//! `cargo run --release --bin fit -- erf`. No division, no `exp`.
//!
//! Measured max error: 0.629 ULP over every `f32` (exhaustive, worst at
//! `x = ±0.90195644`; the same bits on every path). Subnormal inputs give
//! `a (1 + ERF_P0[0])` rounded once, within 0.508 ULP of `2x/sqrt(pi)`
//! (`ERF_P0[0]` is `2/sqrt(pi) - 1` rounded to `f32`).
//!
//! Special values: `erf(NaN) = NaN`, `erf(±inf) = ±1`, `erf(±0) = ±0`.

use super::{Kernel, OddPieces, SHIFTER};
use crate::simd::Simd;

/// Width of a piece, `33 / 128` (`0x1.080000p-2`).
const STEP: f32 = 0.257_812_5;
/// `1 / STEP` rounded to `f32` (`0x1.f07c20p+1`).
const INV_STEP: f32 = 3.878_788;
/// `|x|` is clamped to this; `erf` rounds to 1 from `3.9193` on
/// (`0x1.f70a3ep+1`).
const ERF_CLAMP: f32 = 3.93;
/// Pieces `k <= 3` use `fma(a, P, a)`: `SHIFTER + k <= Q_LAST`
/// (`0x1.800006p+23`).
const Q_LAST: f32 = SHIFTER + 3.0;

/// The error function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Erf;

impl Kernel for Erf {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let a = s.abs(x);
        let a = s.min(a, s.splat(ERF_CLAMP));
        let r = s.mul_add(a, s.splat(INV_STEP), s.splat(SHIFTER));
        let idx = s.to_bits(r);
        let k = s.sub(r, s.splat(SHIFTER));
        let u = s.mul_add(k, s.splat(-STEP), a);
        ERF_PIECES.eval(s, x, (a, u), idx, s.le(r, s.splat(Q_LAST)))
    }
}

/// The pieces: polynomial tables (highest degree first) and the constant's parts.
const ERF_PIECES: OddPieces<[f32; 16], 6> = OddPieces {
    poly: [&ERF_P5, &ERF_P4, &ERF_P3, &ERF_P2, &ERF_P1, &ERF_P0],
    hi: &ERF_HI,
    lo: &ERF_LO,
};

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P5 u^5`: coefficient of `u^0`, per piece.
const ERF_P0: [f32; 16] = [
    1.2837917e-1,  // 0x1.06eba8p-3
    1.0386978e-1,  // 0x1.a9735cp-4
    3.5874978e-2,  // 0x1.25e348p-5
    -6.1385255e-2, // -0x1.f6de36p-5
    3.895768e-1,   // 0x1.8eed38p-2
    2.1418826e-1,  // 0x1.b6a856p-3
    1.0310163e-1,  // 0x1.a64de6p-4
    4.3451287e-2,  // 0x1.63f3f4p-5
    1.6032713e-2,  // 0x1.06ae12p-6
    5.179391e-3,   // 0x1.536fc2p-8
    1.4649326e-3,  // 0x1.8005f6p-10
    3.6276385e-4,  // 0x1.7c62aep-12
    7.864984e-5,   // 0x1.49e1a0p-14
    1.49292955e-5, // 0x1.f4f1acp-17
    2.4811245e-6,  // 0x1.4d02cap-19
    3.6101042e-7,  // 0x1.83a1cap-22
];

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P5 u^5`: coefficient of `u^1`, per piece.
const ERF_P1: [f32; 16] = [
    -3.368341e-8,  // -0x1.21569ap-25
    -1.8638624e-1, // -0x1.7db812p-3
    -3.3149645e-1, // -0x1.5373cep-2
    -4.114552e-1,  // -0x1.a55484p-2
    -4.0175107e-1, // -0x1.9b64a2p-2
    -2.7610207e-1, // -0x1.1aba80p-2
    -1.5948534e-1, // -0x1.46a040p-3
    -7.8416e-2,    // -0x1.413122p-4
    -3.306747e-2,  // -0x1.0ee382p-5
    -1.2017803e-2, // -0x1.89cca4p-7
    -3.7767782e-3, // -0x1.ef07a6p-9
    -1.028775e-3,  // -0x1.0dafecp-10
    -2.433227e-4,  // -0x1.fe48e2p-13
    -5.0036382e-5, // -0x1.a3bc50p-15
    -8.955285e-6,  // -0x1.2c7d50p-17
    -1.3961201e-6, // -0x1.76c4a4p-20
];

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P5 u^5`: coefficient of `u^2`, per piece.
const ERF_P2: [f32; 16] = [
    -3.761234e-1,  // -0x1.81267ep-2
    -3.328616e-1,  // -0x1.54d9acp-2
    -2.220451e-1,  // -0x1.c6bf94p-3
    -8.8399716e-2, // -0x1.6a15d2p-4
    1.4634158e-1,  // 0x1.2bb522p-3
    1.6587865e-1,  // 0x1.53b830p-3
    1.3010336e-1,  // 0x1.0a73a2p-3
    7.986185e-2,   // 0x1.471d38p-4
    4.0124167e-2,  // 0x1.48b27ap-5
    1.6863622e-2,  // 0x1.144b28p-6
    6.0028704e-3,  // 0x1.896774p-8
    1.8239687e-3,  // 0x1.de2478p-10
    4.755646e-4,   // 0x1.f2aa66p-12
    1.0679596e-4,  // 0x1.bfef4ap-14
    2.0713209e-5,  // 0x1.5b828ep-16
    3.4796317e-6,  // 0x1.d3073cp-19
];

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P5 u^5`: coefficient of `u^3`, per piece.
const ERF_P3: [f32; 16] = [
    -9.899031e-5,  // -0x1.9f320ap-14
    1.0747959e-1,  // 0x1.b83c84p-4
    1.6879717e-1,  // 0x1.59b254p-3
    1.668032e-1,   // 0x1.559ceap-3
    5.8460254e-2,  // 0x1.dee80ap-5
    -1.4877887e-2, // -0x1.e784c4p-7
    -4.7463275e-2, // -0x1.84d1b4p-5
    -4.5923438e-2, // -0x1.78346ep-5
    -3.0355586e-2, // -0x1.f1588ep-6
    -1.5558791e-2, // -0x1.fdd49ap-7
    -6.4794e-3,    // -0x1.a8a24cp-8
    -2.243544e-3,  // -0x1.2610d8p-9
    -6.545891e-4,  // -0x1.573176p-11
    -1.6230714e-4, // -0x1.5461fcp-13
    -3.4401062e-5, // -0x1.2093b8p-15
    -6.248137e-6,  // -0x1.a34e2ep-18
];

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P5 u^5`: coefficient of `u^4`, per piece.
const ERF_P4: [f32; 16] = [
    1.1432328e-1,  // 0x1.d444a6p-4
    8.717107e-2,   // 0x1.650d7ep-4
    2.8477333e-2,  // 0x1.d29298p-6
    -2.8801542e-2, // -0x1.d7e26cp-6
    -6.761418e-2,  // -0x1.14f29cp-4
    -4.2035382e-2, // -0x1.585a96p-5
    -9.821006e-3,  // -0x1.41d092p-7
    9.028546e-3,   // 0x1.27d8eep-7
    1.29300915e-2, // 0x1.a7b178p-7
    9.375874e-3,   // 0x1.333a88p-7
    4.8998464e-3,  // 0x1.411dc8p-8
    2.014403e-3,   // 0x1.080826p-9
    6.7602703e-4,  // 0x1.626ed0p-11
    1.8887872e-4,  // 0x1.8c1b7ep-13
    4.4462835e-5,  // 0x1.74fb36p-15
    8.557319e-6,   // 0x1.1f22d0p-17
];

/// `P(u) = ERF_P0 + ERF_P1 u + ... + ERF_P5 u^5`: coefficient of `u^5`, per piece.
const ERF_P5: [f32; 16] = [
    -1.0291781e-2, // -0x1.513db8p-7
    -3.650696e-2,  // -0x1.2b10a4p-5
    -4.9669154e-2, // -0x1.96e3c4p-5
    -3.5514966e-2, // -0x1.22f048p-5
    7.5970106e-3,  // 0x1.f1e0b0p-8
    2.185568e-2,   // 0x1.66155ep-6
    1.75771e-2,    // 0x1.1ffbb4p-6
    6.757381e-3,   // 0x1.bada0ap-8
    -7.9012854e-4, // -0x1.9e4142p-11
    -3.078242e-3,  // -0x1.9378aap-9
    -2.4626595e-3, // -0x1.42c924p-9
    -1.29503e-3,   // -0x1.537bfep-10
    -5.181287e-4,  // -0x1.0fa60ep-11
    -1.662674e-4,  // -0x1.5cb022p-13
    -4.392596e-5,  // -0x1.707a48p-15
    -1.1764588e-5, // -0x1.8ac10ap-17
];

/// Constant term of each piece (about `erf` at its centre), leading part; 0 for the `fma(a, P, a)` pieces.
const ERF_HI: [f32; 16] = [
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    0e0,          // 0x0.000000p+0
    8.552718e-1,  // 0x1.b5e630p-1
    9.316981e-1,  // 0x1.dd0788p-1
    9.713021e-1,  // 0x1.f14e82p-1
    9.892959e-1,  // 0x1.fa84fep-1
    9.964638e-1,  // 0x1.fe3080p-1
    9.989671e-1,  // 0x1.ff789ep-1
    9.997337e-1,  // 0x1.ffdd18p-1
    9.9993944e-1, // 0x1.fff810p-1
    9.9998784e-1, // 0x1.fffe68p-1
    9.9999785e-1, // 0x1.ffffb8p-1
    9.9999964e-1, // 0x1.fffff4p-1
    9.9999994e-1, // 0x1.fffffep-1
];

/// Constant term of each piece minus `ERF_HI`, rounded; 0 for the `fma(a, P, a)` pieces.
const ERF_LO: [f32; 16] = [
    0e0,            // 0x0.000000p+0
    0e0,            // 0x0.000000p+0
    0e0,            // 0x0.000000p+0
    0e0,            // 0x0.000000p+0
    -5.5980873e-9,  // -0x1.80b298p-28
    -1.0290291e-8,  // -0x1.61925cp-27
    2.007494e-9,    // 0x1.13e86ap-29
    1.09324105e-8,  // 0x1.77a280p-27
    -2.4783462e-8,  // -0x1.a9c6d2p-26
    2.1190223e-8,   // 0x1.6c0b96p-26
    -2.038758e-8,   // -0x1.5e4186p-26
    -8.6551655e-10, // -0x1.dbd2a0p-31
    2.8519418e-8,   // 0x1.e9f5bap-26
    6.7399615e-9,   // 0x1.cf2aa8p-28
    2.5829705e-8,   // 0x1.bbc03ep-26
    1.4353883e-8,   // 0x1.ed3218p-27
];
