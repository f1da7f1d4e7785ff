//! `gelu(x) = x Phi(x) = 0.5 x erfc(-x / sqrt 2)` (PyTorch's exact GELU).
//!
//! With `a = |x|` and `Psi(a) = erfc(a / sqrt 2) / 2 = Phi(-a)`,
//! `gelu(x) = -a Psi(a)` for `x < 0` and `x - a Psi(a)` for `x > 0`. The
//! Gaussian factor is split off exactly: `a Psi(a) = G(a) e^(-a^2/2)` with
//! `G(a) = a e^(a^2/2) Psi(a)` smooth (it rises to `1/sqrt(2 pi)`).
//!
//! `e^(-a^2/2)`: `a^2 = sq + err` exactly (an FMA), and with
//! `k = round(-4 sq / ln2) = 8 m + j` and `s = -sq - err - k ln2/4` (exact
//! but for the last two terms), `e^(-a^2/2) = 2^m 2^(j/8) e^(s/2)`,
//! `|s| <= ln2/8`. `2^(j/8)` comes from an 8-entry table in two parts
//! ([`Simd::lookup8`]), `e^(s/2) = 1 + s (1/2 + s (c2 + c3 s + c4 s^2))`
//! (relative error 2^-32.3), and `e^(-a^2/2) = (e_hi + e_lo) 2^m` with
//! `e_hi` the table's high part.
//!
//! `G` is a piecewise polynomial of degree 8 in the exact local variable
//! `u = a - centre`, on 8 segments picked per lane by [`Simd::lookup8`] (one
//! operation on AVX2, where a 16-entry lookup takes five) from the top bits of
//! `a + 1`, the halves of its binades: `[0, 1/2)`, `[1/2, 1)`, `[1, 2)`,
//! `[2, 3)`, `[3, 5)`, `[5, 7)`, `[7, 11)` and `[11, 14.5]`. Each centre is
//! chosen so that the constant term `c0` is within a small fraction of an ulp
//! of `G(centre)`, and `W = G e^(-a^2/2) 2^-m` is formed as
//! `c0 e_hi + (t (e_hi + e_lo) + c0 e_lo)` with `t = G - c0 = u q(u)`, so only
//! the last fused multiply-add rounds at full weight. `2^m` is applied last,
//! with the difference from `x` (or `x/2`), by
//! [`Simd::mul_pow2_floor_shifted_sub`] (`m` in `[-152, 0]`, `W` in
//! `[2^-5, 2]` wherever `m < -64`): results down to the subnormal range are
//! rounded once.
//!
//! Near zero, `a < 1/2`, the first segment holds instead
//! `G0(a) = -a e^(a^2/2) (Phi(a) - 1/2)` (centre 0, no constant or linear
//! term), and `gelu(x) = x/2 - G0(a) e^(-a^2/2)` for both signs, with a
//! cancellation of at most a factor 1.62 for `x < 0`.
//!
//! `a` is clamped to 14.5, past which `gelu(-a)` is below half the smallest
//! subnormal and `gelu(a) = a`. Coefficients:
//! `cargo run --release --bin fit -- gelu_tail` (per-segment relative error
//! at most 2^-25.1), `-- gelu_exp` and `-- gelu_near` (the gated unit's
//! form near zero, below).
//!
//! Measured max error (every `f32`, exhaustively): 1.712 ULP, at
//! `x = -0.3396598` (the first segment of `G`, where `t` is largest relative
//! to `G` and the cancellation with `x/2` is near its largest); every path
//! gives the scalar path's bits.
//!
//! For the gated unit (`geglu`), the product by `up` near zero (`|x| < 1/2`,
//! the first segment) is not taken from the rounded `gelu`: there the
//! rounded value carries up to 1.712 ULP, which counts double in the
//! product's ulps where the product sits just below a power of two and
//! `gelu(x)` just above one (2.8 ULP measured). It is rounded from
//! `gelu(x) = x/2 + z R(z)` instead, `z = x^2`, with
//! `R(z) = (Phi(x) - 1/2) / x = R0 + z q(z)`, `q` of degree 2
//! (`fit -- gelu_near`: relative error 2^-26.2, `R0 = 1/sqrt(2 pi)` in two
//! parts), no exponential: with `x^2 = sq + err` exactly,
//! `z R = t_hi + t_lo`, `t_hi = sq R0_HI` rounded, and its error (an FMA),
//! `err R0_HI` and `sq (R0_LO + sq q)` in `t_lo` (`err (R - R0_HI)` left
//! out), then `fma(x/2, up, fma(t_hi, up, t_lo up))`. The second term is at
//! most 0.62 of the product (at `x = -1/2`; 0.28 for `x > 0`), so its one
//! rounding costs at most 0.62 ULP, the final rounding 0.5, and the fit and
//! the roundings within `t_lo` about 0.2 more: at most about 1.3 ULP by
//! that count. Lanes where that product is zero, infinite or NaN (a zero
//! `x` or `up`, an infinite or NaN `up`, an underflow to zero) take the
//! rounded `gelu` times `up`, IEEE's zeros and infinities. Elsewhere
//! (`|x| >= 1/2`, where the rounded `gelu` is within 0.9 ULP) the product
//! is the rounded `gelu` times `up`: 1.73 ULP at most on the sweeps
//! measured, so the bound of 2 rests on those sweeps there. Cost: ten
//! operations per vector, then the class test (one on AVX-512, three on
//! AVX2), an and-not of the masks and the select: 13 on AVX-512, 15 on
//! AVX2.
//!
//! Special values: `gelu(NaN) = NaN`, `gelu(-inf) = -0.0`,
//! `gelu(+inf) = +inf`, `gelu(±0) = ±0`.

use super::Kernel;
use super::exp::{LN2_HI, LN2_LO, LOG2E, exp2_eighths};
use super::horner;
use crate::simd::{POW2_BIAS, Simd};

/// `|x|` is clamped to this: `gelu(-14.5)` rounds to `-0.0` and
/// `gelu(14.5) = 14.5` in `f32`; it is inside the last segment.
const TAIL_MAX: f32 = 14.5;
/// The segment index is bits 22..24 of `a + INDEX_SHIFT`: the top mantissa
/// bit and the two lowest exponent bits.
const INDEX_SHIFT: f32 = 1.0;
/// Below this `a`, the first segment (`G0`, see the module docs).
const CENTRE_MAX: f32 = 0.5;

/// `1 / (2 ln 2)` rounded to `f32` (`0x1.715476p-1`).
const LOG2E_HALF: f32 = LOG2E / 2.0;
/// `1.5 * 2^20 + 192`: adding it to a float of magnitude below `2^18`
/// rounds it to a multiple of `1/8` (ties to even, as `1.5 * 2^20` alone: the
/// two differ by an even count of eighths), held in the low mantissa bits as
/// an integer count of eighths plus `8 * 192`, whose low three bits are `j`
/// and whose rest is `m + 192` for [`Simd::mul_pow2_floor_shifted_sub`].
const SHIFTER_8THS: f32 = 1_572_864.0 + POW2_BIAS as f32;
/// `2 ln2` in two parts: `2 LN2_HI` (`0x1.62e430p+0`) has 21 significant
/// bits, so `-sq - (k/8) TWO_LN2_HI` is exact for the `|k| < 2^11` that
/// occur (a multiple of `2^-23` below `ln2/8`).
const TWO_LN2_HI: f32 = LN2_HI * 2.0;
/// `2 LN2_LO` (`-0x1.05c610p-28`), the rest of `2 ln2`.
const TWO_LN2_LO: f32 = LN2_LO * 2.0;
/// `c2` of `e^(s/2) ~ 1 + s/2 + c2 s^2 + c3 s^3 + c4 s^4` on
/// `[-ln2/8, ln2/8]` (`fit -- gelu_exp`).
const EXP_C2: f32 = 1.25e-1; // 0x1.000000p-3
/// `c3`, see [`EXP_C2`].
const EXP_C3: f32 = 2.083_503_3e-2; // 0x1.555c76p-6
/// `c4`, see [`EXP_C2`].
const EXP_C4: f32 = 2.603_776_8e-3; // 0x1.554840p-9
/// `c1` of `R(z) = (Phi(x) - 1/2) / x ~ R0 + c1 z + c2 z^2 + c3 z^3` at
/// `z = x^2` on `[0, 1/4]`, relative error 2^-26.2 (`fit -- gelu_near`).
const NEAR_C1: f32 = -6.649_006e-2; // -0x1.1057e2p-4
/// `c2`, see [`NEAR_C1`].
const NEAR_C2: f32 = 9.965_783e-3; // 0x1.468f0cp-7
/// `c3`, see [`NEAR_C1`].
const NEAR_C3: f32 = -1.133_319_9e-3; // -0x1.2917d0p-10
/// `R0 = R(0) = 1/sqrt(2 pi)`, rounded to `f32`.
const R0_HI: f32 = 3.989_423e-1; // 0x1.988454p-2
/// `R0 - R0_HI`.
const R0_LO: f32 = -1.133_517e-8; // -0x1.857936p-27
/// `gelu`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gelu;

/// `gelu(x)` and what [`Gelu::parts`] leaves for the gated unit's product
/// near zero.
struct Parts<S: Simd> {
    /// `gelu(x)`, the result of [`Gelu::apply`] on every lane.
    value: S::F,
    /// `a^2 = sq + err` exactly, `a = min(|x|, TAIL_MAX)`, `sq` rounded
    /// (`err` inexact only where `a^2` is near the subnormal range).
    sq: S::F,
    err: S::F,
    /// `x/2` (rounded where `|x| < 2^-125`).
    half: S::F,
    /// `|x| < 1/2` (the first segment, as the index sees it).
    centre: S::M,
}

impl Gelu {
    /// `gelu(x)`, and the parts the gated unit reuses.
    #[inline(always)]
    fn parts<S: Simd>(s: S, x: S::F) -> Parts<S> {
        let ac = s.abs_min(x, s.splat(TAIL_MAX));

        // a^2 = sq + err exactly; k = round(-4 sq / ln2) = 8 m + j, held as
        // n = k/8 (the shifter rounds to eighths).
        let sq = s.mul(ac, ac);
        let err = s.mul_sub(ac, ac, sq);
        let shifter = s.splat(SHIFTER_8THS);
        let kk = s.mul_add(sq, s.splat(-LOG2E_HALF), shifter);
        let n = s.sub(kk, shifter);
        // s2 = -a^2 - k ln2/4 in [-ln2/8, ln2/8]: the first step is exact.
        let s2_hi = s.neg_mul_add(n, s.splat(TWO_LN2_HI), s.neg(sq));
        let s2 = s.neg_mul_add(n, s.splat(TWO_LN2_LO), s.sub(s2_hi, err));
        let h = horner(s, s2, [EXP_C4, EXP_C3, EXP_C2]);
        let p = s.mul(s.mul_add(h, s2, s.splat(0.5)), s2);
        // e^(-a^2/2) = (e_hi + e_lo) 2^m.
        let (e_hi, t_lo) = exp2_eighths(s, kk);
        let e_lo = s.mul_add(e_hi, p, t_lo);

        // G(a) = c0 + t, t = u q(u).
        let shifted = s.add(ac, s.splat(INDEX_SHIFT));
        let idx = s.shr::<22>(s.to_bits(shifted));
        let u = s.sub(ac, s.lookup8(&TAIL_CENTRE, idx));
        let mut q = s.lookup8(&TAIL_POLY[0], idx);
        for c in &TAIL_POLY[1..TAIL_POLY.len() - 1] {
            q = s.mul_add(q, u, s.lookup8(c, idx));
        }
        let c0 = s.lookup8(&TAIL_POLY[TAIL_POLY.len() - 1], idx);
        let t = s.mul(q, u);

        // W = G (e_hi + e_lo) = a Psi(a) 2^-m (or G0 ... near zero).
        let e_sum = s.add(e_hi, e_lo);
        let w = s.mul_add(c0, e_hi, s.mul_add(t, e_sum, s.mul(c0, e_lo)));
        // x for x > 0, -0.0 for x < 0 (the zeros' lanes are overwritten
        // below, and NaN lanes are the driver's).
        let base = s.max(x, s.splat(-0.0));
        let half = s.mul(x, s.splat(0.5));
        let centre = s.lt(shifted, s.splat(INDEX_SHIFT + CENTRE_MAX));
        let base = s.select(centre, half, base);
        Parts {
            // `w 2^m` can be inexact only where `m < 0` (at `m = 0` it is
            // `w` itself), which takes `a > 0.29`, where `base` is `-0.0` or
            // of magnitude above 0.14: the difference rounds as two steps
            // would.
            value: s.mul_pow2_floor_shifted_sub::<3>(base, w, n, kk),
            sq,
            err,
            half,
            centre,
        }
    }
}

impl Kernel for Gelu {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        Self::parts(s, x).value
    }

    /// Near zero (`|x| < 1/2`) the product is rounded once from
    /// `gelu(x) = x/2 + z R(z)`, `z = x^2`, held as a pair; elsewhere it is
    /// the rounded `gelu(x)` times `up` (see the module docs).
    #[inline(always)]
    fn apply_times<S: Simd>(self, s: S, x: S::F, up: S::F) -> S::F {
        let parts = Self::parts(s, x);
        // z R(z) = (sq + err)(R0_HI + r_lo), r_lo = R0_LO + z q(z), as
        // t_hi + t_lo: t_hi = sq R0_HI rounded, then its error (an FMA),
        // err R0_HI and sq r_lo, with two roundings far below t_hi
        // (`err r_lo` left out).
        let (sq, r0_hi) = (parts.sq, s.splat(R0_HI));
        let q = horner(s, sq, [NEAR_C3, NEAR_C2, NEAR_C1]);
        let r_lo = s.mul_add(q, sq, s.splat(R0_LO));
        let t_hi = s.mul(sq, r0_hi);
        let small = s.mul_add(parts.err, r0_hi, s.mul_sub(sq, r0_hi, t_hi));
        let t_lo = s.mul_add(sq, r_lo, small);
        // The product x/2 up + (t_hi up + t_lo up): the second term is
        // rounded once (at most 0.62 of the product, where x < 0), then the
        // sum once.
        let p = s.mul_add(t_hi, up, s.mul(t_lo, up));
        let near = s.mul_add(parts.half, up, p);
        // Where that is zero, infinite or NaN (a zero `x` or `up`, an
        // infinite or NaN `up`, an underflow to zero), the rounded gelu
        // times `up`: IEEE's signed zeros, infinities and `0 * inf`.
        let near_lanes = s.mask_and(parts.centre, s.mask_not(s.is_zero_or_not_finite(near)));
        s.select(near_lanes, near, s.mul(parts.value, up))
    }
}

/// Centres of the segments of `G` (see the module docs).
const TAIL_CENTRE: [f32; 8] = [
    1.3000767e0,  // 0x1.4cd1d4p+0
    2.3656383e0,  // 0x1.2ecd3cp+1
    3.68145e0,    // 0x1.d739c0p+1
    5.748409e0,   // 0x1.6fe5eep+2
    8.276774e0,   // 0x1.08db56p+3
    1.2419588e1,  // 0x1.8d6d44p+3
    0e0,          // 0x0.000000p+0
    6.7838544e-1, // 0x1.5b5556p-1
];
/// Coefficients of `G` per segment, highest degree first, in `u = a - centre`.
const TAIL_POLY: [[f32; 8]; 9] = [
    // u^8
    [
        -4.417111e-5,   // -0x1.7288bcp-15
        -2.2743327e-5,  // -0x1.7d91d8p-16
        -4.177699e-7,   // -0x1.c093b8p-22
        -2.9770504e-7,  // -0x1.3fa88ap-22
        -7.3374945e-10, // -0x1.93620ep-31
        5.1968887e-9,   // 0x1.6520a2p-28
        -6.1578536e-3,  // -0x1.938fa4p-8
        2.243042e-3,    // 0x1.260000p-9
    ],
    // u^7
    [
        2.9848097e-4,  // 0x1.38fae0p-12
        5.0933468e-5,  // 0x1.ab42cap-15
        3.1102238e-6,  // 0x1.a1727ap-19
        7.212964e-7,   // 0x1.833e38p-21
        9.906575e-9,   // 0x1.546328p-27
        -1.3435976e-8, // -0x1.cda818p-27
        3.0350168e-3,  // 0x1.8dce44p-9
        2.1201835e-4,  // 0x1.bca27cp-13
    ],
    // u^6
    [
        -1.0916593e-3, // -0x1.1e2c04p-10
        -1.2977057e-4, // -0x1.10260cp-13
        -1.4833556e-5, // -0x1.f1bb46p-17
        -9.2131984e-7, // -0x1.eea13cp-21
        -8.185538e-8,  // -0x1.5f90f2p-24
        -2.0022545e-8, // -0x1.57fc16p-26
        -2.8151816e-2, // -0x1.cd3d46p-6
        -4.6429923e-3, // -0x1.30487cp-8
    ],
    // u^5
    [
        3.286665e-3,  // 0x1.aeca2ep-9
        4.6244208e-4, // 0x1.e4e7dap-12
        6.493989e-5,  // 0x1.1060aep-14
        5.1827733e-6, // 0x1.5bcf5ep-18
        6.2508803e-7, // 0x1.4f9772p-21
        9.699968e-8,  // 0x1.a09c46p-24
        3.7731175e-4, // 0x1.8ba3dap-12
        1.2382583e-2, // 0x1.95c0a2p-7
    ],
    // u^4
    [
        -9.039289e-3,  // -0x1.28330ep-7
        -1.567757e-3,  // -0x1.9afa64p-10
        -2.718003e-4,  // -0x1.1d00d6p-12
        -3.24399e-5,   // -0x1.102028p-15
        -4.694416e-6,  // -0x1.3b0974p-18
        -4.6396505e-7, // -0x1.f22dbep-22
        -1.3302265e-1, // -0x1.106e2ep-3
        -2.998429e-2,  // -0x1.eb433ap-6
    ],
    // u^3
    [
        2.2515222e-2, // 0x1.70e3b0p-6
        4.8352666e-3, // 0x1.3ce250p-8
        1.0600332e-3, // 0x1.15e1a0p-10
        1.7294596e-4, // 0x1.6ab1a8p-13
        3.359759e-5,  // 0x1.19d646p-15
        4.859874e-6,  // 0x1.462400p-18
        1.7104968e-6, // 0x1.cb2872p-20
        6.542835e-2,  // 0x1.0bfe98p-4
    ],
    // u^2
    [
        -4.9065635e-2, // -0x1.91f218p-5
        -1.3283156e-2, // -0x1.b34330p-7
        -3.7425887e-3, // -0x1.ea8c70p-9
        -8.424801e-4,  // -0x1.b9b3c4p-11
        -2.2267217e-4, // -0x1.d2fa36p-13
        -4.7251855e-5, // -0x1.8c6096p-15
        -3.989423e-1,  // -0x1.988454p-2
        -1.2323102e-1, // -0x1.f8c118p-4
    ],
    // u^1
    [
        8.7557346e-2, // 0x1.66a288p-4
        3.0618563e-2, // 0x1.f5a790p-6
        1.1305554e-2, // 0x1.7275dcp-7
        3.5739944e-3, // 0x1.d4735ap-9
        1.2958633e-3, // 0x1.53b3eap-10
        4.010618e-4,  // 0x1.a48b36p-12
        0e0,          // 0x0.000000p+0
        1.8659258e-1, // 0x1.7e2440p-3
    ],
    // u^0
    [
        2.929609e-1,  // 0x1.2bfdf2p-2
        3.4944293e-1, // 0x1.65d45ep-2
        3.743893e-1,  // 0x1.7f5fe8p-2
        3.878274e-1,  // 0x1.8d22a0p-2
        3.9335683e-1, // 0x1.92cc22p-2
        3.9640462e-1, // 0x1.95eb18p-2
        0e0,          // 0x0.000000p+0
        2.1242034e-1, // 0x1.b30970p-3
    ],
];
