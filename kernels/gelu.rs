//! `gelu(x) = x Phi(x) = 0.5 x erfc(-x / sqrt 2)` (PyTorch's exact GELU).
//!
//! With `a = |x|` and `Psi(a) = erfc(a / sqrt 2) / 2 = Phi(-a)`,
//! `gelu(x) = -a Psi(a)` for `x < 0` and `x - a Psi(a)` for `x > 0`. The
//! Gaussian factor is split off exactly: `a Psi(a) = G(a) e^(-a^2/2)` with
//! `G(a) = a e^(a^2/2) Psi(a)` smooth (it rises to `1/sqrt(2 pi)`).
//!
//! `e^(-a^2/2)`: `a^2 = sq + err` exactly (an FMA), and with
//! `k = round(-8 sq / ln2) = 16 m + j` and `s = -sq - err - k ln2/8` (exact
//! but for the last two terms), `e^(-a^2/2) = 2^m 2^(j/16) e^(s/2)`,
//! `|s| <= ln2/16`. `2^(j/16)` comes from a 16-entry table in two parts,
//! `e^(s/2) = 1 + s (1/2 + s (c2 + c3 s))` (relative error 2^-29.2), and
//! `e^(-a^2/2) = (e_hi + e_lo) 2^m` with `e_hi` the table's high part.
//!
//! `G` is a piecewise polynomial of degree 6 in the exact local variable
//! `u = a - centre`, on 16 segments picked per lane by [`Simd::lookup16`]
//! from the top bits of `a + 5.25` (segments 1/2 wide up to 2.75, then 1 up
//! to 10.75, then 2). Each centre is chosen so that the constant term `c0` is
//! within a small fraction of an ulp of `G(centre)`, and
//! `W = G e^(-a^2/2) 2^-m` is formed as `c0 e_hi + (t (e_hi + e_lo) + c0 e_lo)`
//! with `t = G - c0 = u q(u)`, so only the last fused multiply-add rounds at
//! full weight. `2^m` is applied last with [`Simd::mul_exp2`]: results down to
//! the subnormal range are rounded once.
//!
//! Near zero, `a < 0.25`, the first segment holds instead
//! `G0(a) = -a e^(a^2/2) (Phi(a) - 1/2)` (centre 0, no constant or linear
//! term), and `gelu(x) = x/2 - G0(a) e^(-a^2/2)` for both signs, with a
//! cancellation of at most a factor 1.25 for `x < 0`.
//!
//! `a` is clamped to 14.5, past which `gelu(-a)` is below half the smallest
//! subnormal and `gelu(a) = a`. Coefficients:
//! `cargo run --release --bin fit -- gelu_tail` (per-segment relative error
//! at most 2^-25.0) and `-- gelu_exp`.
//!
//! Measured max error (every `f32`, exhaustively): 1.27 ULP, at
//! `x = -0.2579878` (the first segment of `G`, where `t` is largest relative
//! to `G`); every path gives the scalar path's bits.
//!
//! Special values: `gelu(NaN) = NaN`, `gelu(-inf) = -0.0`,
//! `gelu(+inf) = +inf`, `gelu(±0) = ±0`.

use super::Kernel;
use super::exp::{LN2_HI, LN2_LO, LOG2E, SHIFTER_16THS, exp2_sixteenths};
use crate::simd::Simd;

/// `|x|` is clamped to this: `gelu(-14.5)` rounds to `-0.0` and
/// `gelu(14.5) = 14.5` in `f32`; it is inside the last segment.
const TAIL_MAX: f32 = 14.5;
/// The segment index is bits 20..24 of `a + INDEX_SHIFT`: the top three
/// mantissa bits and the lowest exponent bit.
const INDEX_SHIFT: f32 = 5.25;
/// Below this `a`, the first segment (`G0`, see the module docs).
const CENTRE_MAX: f32 = 0.25;

/// `1 / (2 ln 2)` rounded to `f32` (`0x1.715476p-1`).
const LOG2E_HALF: f32 = LOG2E / 2.0;
/// `2 ln2` in two parts: `2 LN2_HI` (`0x1.62e430p+0`) has 21 significant
/// bits, so `-sq - (k/16) TWO_LN2_HI` is exact for the `|k| < 2^12` that
/// occur.
const TWO_LN2_HI: f32 = LN2_HI * 2.0;
/// `2 LN2_LO` (`-0x1.05c610p-28`), the rest of `2 ln2`.
const TWO_LN2_LO: f32 = LN2_LO * 2.0;
/// `c2` of `e^(s/2) ~ 1 + s/2 + c2 s^2 + c3 s^3` on `[-ln2/16, ln2/16]`
/// (`fit -- gelu_exp`).
const EXP_C2: f32 = 1.250_040_4e-1; // 0x1.00021ep-3
/// `c3`, see [`EXP_C2`].
const EXP_C3: f32 = 2.083_339_7e-2; // 0x1.55559ap-6
/// `gelu`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gelu;

impl Kernel for Gelu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let a = s.abs(x);
        let ac = s.select(s.lt(a, s.splat(TAIL_MAX)), a, s.splat(TAIL_MAX));

        // a^2 = sq + err exactly; k = round(-8 sq / ln2) = 16 m + j, held as
        // n = k/16 (the shifter rounds to sixteenths).
        let sq = s.mul(ac, ac);
        let err = s.mul_sub(ac, ac, sq);
        let shifter = s.splat(SHIFTER_16THS);
        let kk = s.mul_add(sq, s.splat(-LOG2E_HALF), shifter);
        let n = s.sub(kk, shifter);
        // s2 = -a^2 - k ln2/8 in [-ln2/16, ln2/16]: the first step is exact.
        let s2_hi = s.neg_mul_add(n, s.splat(TWO_LN2_HI), s.neg(sq));
        let s2 = s.neg_mul_add(n, s.splat(TWO_LN2_LO), s.sub(s2_hi, err));
        let p = s.mul(
            s.mul_add(
                s.mul_add(s.splat(EXP_C3), s2, s.splat(EXP_C2)),
                s2,
                s.splat(0.5),
            ),
            s2,
        );
        // e^(-a^2/2) = (e_hi + e_lo) 2^m.
        let (e_hi, t_lo) = exp2_sixteenths(s, kk);
        let e_lo = s.mul_add(e_hi, p, t_lo);

        // G(a) = c0 + t, t = u q(u).
        let shifted = s.add(ac, s.splat(INDEX_SHIFT));
        let idx = s.shr::<20>(s.to_bits(shifted));
        let u = s.sub(ac, s.lookup16(&TAIL_CENTRE, idx));
        let mut q = s.lookup16(&TAIL_POLY[0], idx);
        for c in &TAIL_POLY[1..TAIL_POLY.len() - 1] {
            q = s.mul_add(q, u, s.lookup16(c, idx));
        }
        let c0 = s.lookup16(&TAIL_POLY[TAIL_POLY.len() - 1], idx);
        let t = s.mul(q, u);

        // W = G (e_hi + e_lo) = a Psi(a) 2^-m (or G0 ... near zero).
        let e_sum = s.add(e_hi, e_lo);
        let w = s.mul_add(c0, e_hi, s.mul_add(t, e_sum, s.mul(c0, e_lo)));
        let base = s.select(s.lt(x, s.splat(0.0)), s.splat(-0.0), x);
        // The first segment, as the index sees it.
        let centre = s.lt(shifted, s.splat(INDEX_SHIFT + CENTRE_MAX));
        let base = s.select(centre, s.mul(x, s.splat(0.5)), base);
        s.sub(base, s.mul_exp2(w, n))
    }
}

/// Centres of the segments of `G` (see the module docs).
const TAIL_CENTRE: [f32; 16] = [
    3.1810825e0,  // 0x1.972db6p+1
    4.140408e0,   // 0x1.08fc72p+2
    5.1829476e0,  // 0x1.4bb56ap+2
    6.217846e0,   // 0x1.8df130p+2
    7.1859446e0,  // 0x1.cbe684p+2
    8.21106e0,    // 0x1.06c100p+3
    9.223344e0,   // 0x1.2725a2p+3
    1.024165e1,   // 0x1.47bb98p+3
    1.15939e1,    // 0x1.73013ap+3
    1.3523251e1,  // 0x1.b0be78p+3
    0e0,          // 0x0.000000p+0
    3.6532232e-1, // 0x1.76170ep-2
    9.477075e-1,  // 0x1.e539eap-1
    1.4439875e0,  // 0x1.71a92ap+0
    1.9491057e0,  // 0x1.f2f898p+0
    2.4650722e0,  // 0x1.3b877cp+1
];
/// Coefficients of `G` per segment, highest degree first, in `u = a - centre`.
const TAIL_POLY: [[f32; 16]; 7] = [
    // u^6
    [
        -3.234705e-5,   // -0x1.0f58c2p-15
        -1.05579675e-5, // -0x1.624440p-17
        -1.9586928e-6,  // -0x1.06e42cp-19
        -4.7192228e-7,  // -0x1.fab902p-22
        1.9502531e-7,   // 0x1.a2d04cp-23
        -1.9769436e-7,  // -0x1.a88ba0p-23
        1.7137988e-7,   // 0x1.700916p-23
        -1.40136205e-8, // -0x1.e1811cp-27
        -9.085824e-9,   // -0x1.382fc0p-27
        -1.8136587e-8,  // -0x1.37958ep-26
        -2.7875707e-2,  // -0x1.c8b730p-6
        -7.6182936e-3,  // -0x1.f345c2p-8
        -2.5010412e-3,  // -0x1.47d104p-9
        -1.0176887e-3,  // -0x1.0ac7eep-10
        -2.8463692e-4,  // -0x1.2a76a4p-12
        -1.01602374e-4, // -0x1.aa26b8p-14
    ],
    // u^5
    [
        1.350258e-4,  // 0x1.1b2b6cp-13
        3.8620055e-5, // 0x1.43f7f0p-15
        1.0675346e-5, // 0x1.663486p-17
        3.6588997e-6, // 0x1.eb16d6p-19
        1.3686786e-6, // 0x1.6f66e0p-20
        6.845418e-7,  // 0x1.6f82b6p-21
        2.7982676e-7, // 0x1.2c7632p-22
        1.5847965e-7, // 0x1.54551cp-23
        7.35317e-8,   // 0x1.3bd0f6p-24
        3.503812e-8,  // 0x1.2cf9a4p-25
        4.2565804e-4, // 0x1.be55b6p-12
        2.4926398e-2, // 0x1.9864e4p-6
        6.957057e-3,  // 0x1.c7f00cp-8
        2.5788064e-3, // 0x1.520262p-9
        9.7135745e-4, // 0x1.fd4564p-11
        3.979366e-4,  // 0x1.a1444ap-12
    ],
    // u^4
    [
        -5.061012e-4,  // -0x1.0957c0p-11
        -1.5983658e-4, // -0x1.4f339cp-13
        -5.4770742e-5, // -0x1.cb7346p-15
        -2.176481e-5,  // -0x1.6d2726p-16
        -1.0246645e-5, // -0x1.57d202p-17
        -4.8667775e-6, // -0x1.469a9ap-18
        -2.6556365e-6, // -0x1.646efap-19
        -1.4341498e-6, // -0x1.80fa06p-20
        -7.0552653e-7, // -0x1.7ac6d4p-21
        -2.760603e-7,  // -0x1.286ae0p-22
        -1.3302964e-1, // -0x1.1071d8p-3
        -5.8176618e-2, // -0x1.dc9536p-5
        -1.7515657e-2, // -0x1.1ef9fep-6
        -6.9776443e-3, // -0x1.c94972p-8
        -2.9855552e-3, // -0x1.87529cp-9
        -1.3548324e-3, // -0x1.632944p-10
    ],
    // u^3
    [
        1.8106768e-3, // 0x1.daa876p-10
        6.729339e-4,  // 0x1.60cfa8p-11
        2.6899728e-4, // 0x1.1a1068p-12
        1.2258723e-4, // 0x1.011584p-13
        6.4231e-5,    // 0x1.0d6782p-14
        3.4855908e-5, // 0x1.24647ep-15
        2.029094e-5,  // 0x1.546cecp-16
        1.2373481e-5, // 0x1.9f2f64p-17
        6.8443583e-6, // 0x1.cb512ep-18
        3.2521116e-6, // 0x1.b47db4p-19
        1.8726155e-6, // 0x1.f6ad28p-20
        1.185008e-1,  // 0x1.e56118p-4
        4.0499385e-2, // 0x1.4bc55ep-5
        1.7926497e-2, // 0x1.25b52ep-6
        8.487185e-3,  // 0x1.161bacp-7
        4.2548515e-3, // 0x1.16d890p-8
    ],
    // u^2
    [
        -5.8395895e-3, // -0x1.7eb40ep-8
        -2.5724755e-3, // -0x1.512df4p-9
        -1.2101074e-3, // -0x1.3d38eep-10
        -6.368493e-4,  // -0x1.4de478p-11
        -3.7632437e-4, // -0x1.8a9acep-12
        -2.2942184e-4, // -0x1.e121eap-13
        -1.4803812e-4, // -0x1.36755cp-13
        -9.934272e-5,  // -0x1.a0ac6ep-14
        -6.1665596e-5, // -0x1.02a4eep-14
        -3.3938377e-5, // -0x1.1cb21cp-15
        -3.989423e-1,  // -0x1.988454p-2
        -2.0686379e-1, // -0x1.a7a834p-3
        -8.133327e-2,  // -0x1.4d241ep-4
        -4.0376984e-2, // -0x1.4ac4acp-5
        -2.1363609e-2, // -0x1.5e0578p-6
        -1.1929473e-2, // -0x1.86e7acp-7
    ],
    // u^1
    [
        1.6006822e-2, // 0x1.06417ap-6
        8.4477365e-3, // 0x1.14d0c0p-7
        4.7193402e-3, // 0x1.354964p-8
        2.8850818e-3, // 0x1.7a2748p-9
        1.9312743e-3, // 0x1.fa45a0p-10
        1.3255689e-3, // 0x1.5b7d6cp-10
        9.5087924e-4, // 0x1.f288dap-11
        7.030366e-4,  // 0x1.7097fap-11
        4.90319e-4,   // 0x1.011180p-11
        3.1245343e-4, // 0x1.47a194p-12
        0e0,          // 0x0.000000p+0
        2.873537e-1,  // 0x1.26400cp-2
        1.323981e-1,  // 0x1.0f26bcp-3
        7.473304e-2,  // 0x1.321b46p-4
        4.473561e-2,  // 0x1.6e7960p-5
        2.811445e-2,  // 0x1.cca08cp-6
    ],
    // u^0
    [
        3.676432e-1,  // 0x1.787776p-2
        3.7888134e-1, // 0x1.83f978p-2
        3.8550213e-1, // 0x1.8ac112p-2
        3.8933593e-1, // 0x1.8eae14p-2
        3.9162692e-1, // 0x1.9106a6p-2
        3.932707e-1,  // 0x1.92b58ep-2
        3.944091e-1,  // 0x1.93dffap-2
        3.952428e-1,  // 0x1.94ba88p-2
        3.9603826e-1, // 0x1.958b0ep-2
        3.9679566e-1, // 0x1.96519ap-2
        0e0,          // 0x0.000000p+0
        1.3959001e-1, // 0x1.1de15ep-3
        2.548716e-1,  // 0x1.04fd10p-2
        3.046086e-1,  // 0x1.37eb52p-2
        3.3398145e-1, // 0x1.55ff3cp-2
        3.5236073e-1, // 0x1.68d140p-2
    ],
];
