//! `exp(x)`, and the split form `(hi + lo) * 2^n` the composites build on.
//!
//! The elementwise kernel needs no table: `n = round(x log2 e)` (the shifter
//! trick with [`POW2_SHIFTER`], which rounds to an integer, ties to even),
//! `w = n ln2 - x` with a two-part `ln2` (`n LN2_HI - x` is exact under FMA,
//! `n LN2_LO` is added with one rounding, an error below `2^-24 |w|`), so
//! `|w| <= ln2/2` and `e^x = 2^n e^-w`. `e^-w = 1 + w h(w)` with `h` of
//! degree 5 (the coefficients of [`exp_neg`], minimax for relative error
//! 2^-28.2: `cargo run --release --bin fit -- exp_neg`), the last step one
//! FMA, and `2^n` applied by [`Simd::mul_pow2_wide`] (one rounding, so results in
//! the subnormal range are rounded once and results above `f32::MAX`
//! overflow to `+inf`). `x` is first clamped to `[-104, 88.8]`: `exp` is
//! `0` below (it is under half the smallest subnormal from -103.98 on) and
//! `+inf` above (from 88.73 on), and `n` stays in `[-150, 128]`. It costs
//! twelve operations before the scaling on every path, against two
//! [`Simd::lookup16`] (five operations each on AVX2) and eight more for the
//! tabulated form below. The kernel is [`exp_neg`] of `-x`, then the scaling.
//!
//! Within `|x| <= 80` the kernel takes a short form ([`Kernel::apply_short`],
//! the bound [`SHORT_BOUND`]: the driver's main loop takes it for an
//! iteration whose every input is within it): there `n` is in
//! `[-115, 115]`, so `2^n` is a normal `f32` and `m 2^n` is rounded once by
//! one product ([`Pow2::scale_normal`]), the correctly rounded value that
//! [`Simd::mul_pow2_wide`] gives too, so the bits are the same; and nothing
//! overflows, so there is no clamp. On AVX2 and NEON that is three
//! operations (a shift, an integer subtraction and the product) where the
//! clamp and the wide scaling take ten; on AVX-512 it saves the clamp's two
//! (the scaling is one `vscalefps` either way).
//!
//! The split form [`exp_split`], for composites that need `e^x` to more than
//! `f32` precision:
//! range reduction `x = (16 n + k) ln2/16 + r` with `N = 16 n + k` the
//! integer nearest to `16 x / ln2`, `k` in `[0, 15]` and `|r| <= ln2/32`.
//! `N / 16` is rounded with the shifter trick: adding `1.5 * 2^19` to
//! `x log2 e` in one fused multiply-add rounds it to a multiple of `1/16`,
//! ties to even (the ulp at `2^19` is `2^-4`), and leaves `N` in the low
//! mantissa bits, whose low four bits are `k`; subtracting the shifter gives
//! `N / 16` exactly, the exponent [`Simd::mul_exp2`] floors. `r` uses a
//! two-part `ln2`: `x - (N/16) LN2_HI` is exact under FMA, `LN2_LO` carries
//! the rest (the rounding error of `r`, below `2^-30`, is negligible next to
//! the polynomial's).
//!
//! Approximation: `e^x = 2^n * 2^(k/16) * e^r`. `2^(k/16)` comes from a
//! 16-entry table as `T_hi + T_lo` (each entry rounded to `f32`, then the
//! remainder rounded to `f32`: exact math constants, no fitting). `e^r - 1` is
//! `r (1 + r (c2 + c3 r))`, minimax for absolute error on `[-ln2/32, ln2/32]`:
//! 1.58e-9 = 2^-29.2 with the `f32` coefficients (`cargo run --release --bin
//! fit -- exp`). The value before the last rounding is
//! `T_hi + (T_hi (e^r - 1) + T_lo)`, accurate to about `2^-29`; `hi` is that
//! sum rounded and `lo` its exact remainder (Fast2Sum), so composites get
//! `e^x` to about 29 bits.
//!
//! Composites apply `2^n` to a result formed from `hi` and `lo` with
//! [`Simd::mul_exp2`], which rounds once. `x` is first clamped to
//! `[-150, 89]`, where `exp` is already `0` and `+inf`.
//!
//! Measured max error of the kernel: 0.891 ULP over every `f32`
//! (exhaustive, worst at `x = -5.848642`); every path gives the scalar
//! path's bits.
//!
//! [`exp_neg`] is that form before the scaling, `e^-a = m 2^n` with `m`
//! rounded once (within 0.89 ulp of `e^-a 2^-n`), shared with `sigmoid`,
//! `silu` and `mish`, which apply `2^n` themselves (a table would cost them
//! more than the longer polynomial); `softplus` takes its two steps,
//! [`exp_neg_reduce`] and [`exp_neg_h`], and keeps `m` as a pair.
//!
//! Special values: `exp(NaN) = NaN`, `exp(-inf) = +0`, `exp(+inf) = +inf`,
//! `exp(±0) = 1`.

use super::{Kernel, SHORT_BOUND, horner};
use crate::simd::{POW2_SHIFTER, Simd};

/// `log2(e)` rounded to `f32` (`0x1.715476p+0`), for kernels that reduce by
/// whole powers of two.
pub(crate) const LOG2E: f32 = core::f32::consts::LOG2_E;
/// `ln(2)` rounded to `f32` (`0x1.62e430p-1`): `x - n LN2_HI` is exact under
/// FMA for the `n` of a range reduction.
pub(crate) const LN2_HI: f32 = core::f32::consts::LN_2;
/// `ln(2) - LN2_HI` rounded to `f32` (`-0x1.05c610p-29`).
pub(crate) const LN2_LO: f32 = -1.904_654_3e-9;
/// `1.5 * 2^19`: adding it to a float of magnitude below `2^18` rounds it to
/// a multiple of `1/16` (ties to even), held in the low mantissa bits as an
/// integer count of sixteenths.
pub(crate) const SHIFTER_16THS: f32 = 786_432.0;
/// Clamp bounds of [`exp_split`]: `e^x` and every composite's scaled part
/// are `0` below and `+inf` above, and the clamped range keeps `n` in
/// `[-217, 128]`.
const CLAMP_LO: f32 = -150.0;
/// See [`CLAMP_LO`].
const CLAMP_HI: f32 = 89.0;
/// Clamp bounds of the kernel [`exp`]: `e^-104` is below half the smallest
/// subnormal and `e^88.8` above `f32::MAX`.
const KERNEL_LO: f32 = -104.0;
/// See [`KERNEL_LO`].
const KERNEL_HI: f32 = 88.8;
/// `c2` and `c3` of `e^r - 1 = r + c2 r^2 + c3 r^3` (`0x1.000220p-1`,
/// `0x1.555762p-3`).
const EXPM1_C2: f32 = 5.000_162e-1;
/// See [`EXPM1_C2`].
const EXPM1_C3: f32 = 1.666_705_8e-1;

/// `c1..c6` of `e^-v ~ 1 + v (c1 + v (c2 + ... + c6 v))` on
/// `[-ln2/2, ln2/2]`, minimax for relative error: 2^-28.2 with the `f32`
/// coefficients (`fit -- exp_neg`).
const EXP_NEG_C1: f32 = -1e0; // -0x1.000000p+0
/// See [`EXP_NEG_C1`].
const EXP_NEG_C2: f32 = 4.999_999_4e-1; // 0x1.fffffcp-2
/// See [`EXP_NEG_C1`].
const EXP_NEG_C3: f32 = -1.666_652_1e-1; // -0x1.555492p-3
/// See [`EXP_NEG_C1`].
const EXP_NEG_C4: f32 = 4.166_827e-2; // 0x1.5558b2p-5
/// See [`EXP_NEG_C1`].
const EXP_NEG_C5: f32 = -8.368_686e-3; // -0x1.1239a0p-7
/// See [`EXP_NEG_C1`].
const EXP_NEG_C6: f32 = 1.382_058_7e-3; // 0x1.6a4c64p-10

/// `2^(k/16)` rounded to `f32`.
const EXP2_16_HI: [f32; 16] = [
    1.0,
    1.044_273_7,
    1.090_507_7,
    1.138_788_6,
    1.189_207_1,
    1.241_857_8,
    1.296_839_6,
    1.354_255_6,
    core::f32::consts::SQRT_2,
    1.476_826_2,
    1.542_210_8,
    1.610_490_3,
    1.681_792_9,
    1.756_252_2,
    1.834_008_1,
    1.915_206_6,
];
/// `2^(k/16) - EXP2_16_HI[k]` rounded to `f32`.
const EXP2_16_LO: [f32; 16] = [
    0.0,
    4.833_47e-8,
    -1.307_754e-8,
    5.386_222_3e-8,
    3.797_635_3e-8,
    4.496_838e-8,
    -4.018_999_5e-8,
    -1.012_334_9e-8,
    2.420_323_5e-8,
    -4.500_899e-8,
    8.070_905e-9,
    9.836_217e-9,
    -2.475_532_7e-8,
    -9.235_77e-9,
    -1.123_927_8e-8,
    9.845_328e-9,
];

/// The elementwise exponential.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Exp;

impl Kernel for Exp {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        exp(s, x)
    }

    const SHORT_MAX: Option<f32> = Some(SHORT_BOUND);

    /// Within `|x| <= SHORT_BOUND`, `n` is in `[-115, 115]`, so `2^n` is a
    /// normal `f32` and `m 2^n` is rounded once by one product
    /// ([`Pow2::scale_normal`]), as [`Simd::mul_pow2_wide`] rounds it: the
    /// same bits, without the clamp.
    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F) -> S::F {
        let (m, p) = exp_neg(s, s.neg(x));
        p.scale_normal(s, m)
    }
}

/// `e^x` split for composites that need more than the rounded value:
/// `e^x = (hi + lo) * 2^n`.
///
/// From [`exp_split`], `hi` is in `[0.98, 2.03]` and `hi + lo` is
/// `e^x / 2^floor(n)` to about `2^-29` relative; `floor(n)` is in
/// `[-217, 128]` (`n` itself is `N/16`: it is meant for [`Simd::mul_exp2`],
/// which floors it, and for selects). Composites compute in the normal range
/// with `hi` and `lo` and apply `2^n` last, so results in the subnormal range
/// are rounded once.
#[derive(Clone, Copy)]
pub(crate) struct ExpSplit<F> {
    pub(crate) hi: F,
    pub(crate) lo: F,
    pub(crate) n: F,
}

/// `e^x` for every `x`, rounded, without a table (see the module docs for
/// the form and the special values).
#[inline(always)]
pub(crate) fn exp<S: Simd>(s: S, x: S::F) -> S::F {
    let x = s.clamp(x, s.splat(KERNEL_LO), s.splat(KERNEL_HI));
    let (m, p) = exp_neg(s, s.neg(x));
    s.mul_pow2_wide(m, p.n())
}

/// `e^x` as an [`ExpSplit`], for every `x`.
#[inline(always)]
pub(crate) fn exp_split<S: Simd>(s: S, x: S::F) -> ExpSplit<S::F> {
    exp_split_clamped::<S, 0>(s, s.clamp(x, s.splat(CLAMP_LO), s.splat(CLAMP_HI))).0
}

/// [`exp_split`] for `x` already in `[-150, 89]`, with the shifter sum that
/// rounded `n`: `z = SHIFTER_16THS + B + n`, whose low mantissa bits hold
/// `16 (n + B)`, so that the bits of `z` shifted right by four hold
/// `floor(n) + B` in their low nine bits (for `floor(n) + B` in
/// `[0, 511]`). The offset `B` (an integer) changes neither `n` (it keeps
/// the parity of the count of sixteenths, so ties round alike) nor `j`.
#[inline(always)]
pub(crate) fn exp_split_clamped<S: Simd, const B: i32>(s: S, x: S::F) -> (ExpSplit<S::F>, S::F) {
    let shifter = s.splat(SHIFTER_16THS + B as f32);
    let z = s.mul_add(x, s.splat(LOG2E), shifter);
    let n = s.sub(z, shifter);
    let r_hi = s.neg_mul_add(n, s.splat(LN2_HI), x);
    let r = s.neg_mul_add(n, s.splat(LN2_LO), r_hi);
    let c = s.mul_add(s.splat(EXPM1_C3), r, s.splat(EXPM1_C2));
    let expm1_r = s.mul(r, s.mul_add(c, r, s.splat(1.0)));
    let (t_hi, t_lo) = exp2_sixteenths(s, z);
    let tail = s.mul_add(t_hi, expm1_r, t_lo);
    let hi = s.add(t_hi, tail);
    // Fast2Sum: `t_hi >= |tail|`.
    let lo = s.add(s.sub(t_hi, hi), tail);
    (ExpSplit { hi, lo, n }, z)
}

/// `e^-a` for `a` in `[-88.8, 128]`, without a table: `e^-a = m 2^n`, `n`
/// an integer in `[-185, 128]` (for `a >= 0`, in the range of
/// [`Pow2::scale`]) and
/// `m` in `[0.70, 1.42]`, rounded once.
///
/// `n = round(-a log2 e)` by the shifter trick, `v = a + n ln2` with a
/// two-part `ln2` (`a + n LN2_HI` is exact under FMA, `n LN2_LO` is added
/// with one rounding, an error below `2^-26`), so `|v| <= ln2/2` and
/// `e^-a = 2^n e^-v`; `m = 1 + v h(v)`, `h` of degree 5, the last step one
/// FMA. `m` is within 0.89 ulp of `e^-a 2^-n` (2^-23.66 relative, over
/// every `a` in `[0, 112]`): half an ulp of `m` (2^-24 relative at most)
/// and the errors of `v` and `h`.
#[inline(always)]
pub(crate) fn exp_neg<S: Simd>(s: S, a: S::F) -> (S::F, Pow2<S>) {
    let (v, p) = exp_neg_reduce(s, a);
    (s.mul_add(exp_neg_h(s, v), v, s.splat(1.0)), p)
}

/// The power of two `2^n` of a reduction: the integer `n`, and the shifter
/// sum it was rounded in, `n + POW2_SHIFTER`, which spares
/// [`Simd::mul_pow2`] its add on AVX2 and NEON. The two agree on every lane:
/// only [`Pow2::round_product`] and [`Pow2::one`] make one, and the methods
/// that change `n` ([`Pow2::select`], [`Pow2::max`]) change both.
#[derive(Clone, Copy)]
pub(crate) struct Pow2<S: Simd> {
    n: S::F,
    shifted: S::F,
}

impl<S: Simd> Pow2<S> {
    /// The integer `n`.
    #[inline(always)]
    pub(crate) fn n(self) -> S::F {
        self.n
    }

    /// `n = round(x k)` (ties to even) for `|x k| < 2^21`, the product
    /// rounded once: an FMA that adds [`POW2_SHIFTER`], whose sum is
    /// `shifted`, and `n = shifted - POW2_SHIFTER`.
    #[inline(always)]
    pub(crate) fn round_product(s: S, x: S::F, k: f32) -> Self {
        let shifted = s.mul_add(x, s.splat(k), s.splat(POW2_SHIFTER));
        Self {
            n: s.sub(shifted, s.splat(POW2_SHIFTER)),
            shifted,
        }
    }

    /// `v 2^n`, as [`Simd::mul_pow2`] (same range and rounding).
    #[inline(always)]
    pub(crate) fn scale(self, s: S, v: S::F) -> S::F {
        s.mul_pow2_shifted(v, self.n, self.shifted)
    }

    /// `2^0`: `n = 0` with its shifter sum.
    #[inline(always)]
    pub(crate) fn one(s: S) -> Self {
        Self {
            n: s.splat(0.0),
            shifted: s.splat(POW2_SHIFTER),
        }
    }

    /// `v 2^n` for `n` in `[-126, 127]`, as [`Simd::mul_pow2_normal`]:
    /// exact where that is normal.
    #[inline(always)]
    pub(crate) fn scale_normal(self, s: S, v: S::F) -> S::F {
        s.mul_pow2_normal(v, self.n, self.shifted)
    }

    /// `b + v 2^n`, as [`Simd::mul_pow2_shifted_add`] (same range, rounding
    /// and conditions).
    #[inline(always)]
    pub(crate) fn scale_add(self, s: S, b: S::F, v: S::F) -> S::F {
        s.mul_pow2_shifted_add(b, v, self.n, self.shifted)
    }

    /// `self` in the lanes of `mask`, `other` elsewhere.
    #[inline(always)]
    pub(crate) fn select(self, s: S, mask: S::M, other: Self) -> Self {
        Self {
            n: s.select(mask, self.n, other.n),
            shifted: s.select(mask, self.shifted, other.shifted),
        }
    }

    /// `2^max(n, lo)` for an integer `lo`.
    #[inline(always)]
    pub(crate) fn max(self, s: S, lo: f32) -> Self {
        Self {
            n: s.max(self.n, s.splat(lo)),
            shifted: s.max(self.shifted, s.splat(lo + POW2_SHIFTER)),
        }
    }
}

/// The reduction of [`exp_neg`]: `e^-a = 2^n e^-v` with `|v| <= ln2/2`
/// and `v` rounded once (an error below `2^-26`), for `a` in `[-88.8, 200]`
/// (`n` down to `-289`, which [`Pow2::max`] floors for [`Pow2::scale`]
/// where `a` may exceed 132; `a + n LN2_HI` is exact), for composites that
/// finish `e^-v = 1 + v h(v)` in their own way (with [`exp_neg_h`]).
#[inline(always)]
pub(crate) fn exp_neg_reduce<S: Simd>(s: S, a: S::F) -> (S::F, Pow2<S>) {
    let p = Pow2::round_product(s, a, -LOG2E);
    // The first step is exact.
    let v = s.mul_add(p.n(), s.splat(LN2_HI), a);
    (s.mul_add(p.n(), s.splat(LN2_LO), v), p)
}

/// `e^(K z)` for `z <= 0` given as `zh + zl` (or `zh` alone), a constant
/// factor `K` of an argument folded into the reduction, so that the
/// argument's product by `K` is never rounded: `n = round(K zh / ln2)` (the
/// shifter trick, `K / ln2` rounded: `n` may be one off its nearest, which
/// widens the interval below by the fit's slack), `r = zh - n L + zl`,
/// `L = ln2 / K` in two parts with `zh - n L_HI` exact (each kernel states
/// why for its `zh`), and `e^(K z) = 2^n e^(K r)` with `|K r| <= ln2/2`, no
/// table: `e^(K r) = 1 + r (K + r h(r))`, `h` of degree 4, the last step one
/// FMA, `m = e^(K r)` rounded once. Coefficients:
/// `cargo run --release --bin fit -- <kernel>_exp`; each kernel states the
/// error of `m` with its constants. Cost: 10 operations, 11 with `zl`.
///
/// Range: `|K zh / ln2| < 2^21` (the shifter trick), and `n` within what
/// the caller's scaling takes (for [`Pow2::scale`], `n >= -185`: `gelu_tanh`
/// reaches -163, `gelu_quick` -157). A NaN `zh` or `zl` gives a NaN `m`;
/// the callers clamp their arguments, so none reaches here but through a
/// NaN input, whose lane the driver's NaN rule sets.
#[derive(Clone, Copy)]
pub(crate) struct ScaledExp {
    /// `K` rounded to `f32`: it only scales the reduced argument, so its
    /// rounding costs a relative 2^-25 of `r`.
    k: f32,
    /// `K / ln2` rounded to `f32`.
    pub(crate) k_log2e: f32,
    /// `L = ln2 / K` rounded to `f32`, its high part: 24 significant bits,
    /// which each kernel shows to be few enough that `zh - n L_HI` is exact.
    pub(crate) l_hi: f32,
    /// `L - L_HI` rounded to `f32`.
    l_lo: f32,
    /// `c2..c6` of `e^(K r) ~ 1 + K r + c2 r^2 + ... + c6 r^6`.
    c: [f32; 5],
}

impl ScaledExp {
    /// The constants for `K` (given in `f64`), derived from it, and the
    /// fitted `c2..c6`.
    pub(crate) const fn new(k: f64, c: [f32; 5]) -> Self {
        let l = core::f64::consts::LN_2 / k;
        let l_hi = l as f32;
        Self {
            k: k as f32,
            k_log2e: (k / core::f64::consts::LN_2) as f32,
            l_hi,
            l_lo: (l - l_hi as f64) as f32,
            c,
        }
    }

    /// `(m, 2^n)` with `e^(K (zh + zl)) ~ m 2^n`, `m` in `[0.70, 1.42]`.
    #[inline(always)]
    pub(crate) fn eval<S: Simd>(&self, s: S, zh: S::F, zl: Option<S::F>) -> (S::F, Pow2<S>) {
        let p = Pow2::round_product(s, zh, self.k_log2e);
        let r_hi = s.neg_mul_add(p.n(), s.splat(self.l_hi), zh);
        let r = match zl {
            Some(zl) => s.add(r_hi, s.neg_mul_add(p.n(), s.splat(self.l_lo), zl)),
            None => s.neg_mul_add(p.n(), s.splat(self.l_lo), r_hi),
        };
        let [c2, c3, c4, c5, c6] = self.c;
        let h = horner(s, r, [c6, c5, c4, c3, c2]);
        let g = s.mul_add(h, r, s.splat(self.k));
        (s.mul_add(g, r, s.splat(1.0)), p)
    }
}

/// `1 + a b` as the pair `hi + lo`: `hi` rounded once, `lo` the rest to one
/// more rounding (`1 - hi` is exact for `hi` in `[0.5, 2]`), for the last
/// step of a table-free exponential, `|a b| <= 1/2`.
#[inline(always)]
pub(crate) fn one_plus_product<S: Simd>(s: S, a: S::F, b: S::F) -> (S::F, S::F) {
    let one = s.splat(1.0);
    let hi = s.mul_add(a, b, one);
    (hi, s.mul_add(a, b, s.sub(one, hi)))
}

/// `h(v)` of `e^-v = 1 + v h(v)` on `[-ln2/2, ln2/2]` (degree 5).
#[inline(always)]
pub(crate) fn exp_neg_h<S: Simd>(s: S, v: S::F) -> S::F {
    horner(
        s,
        v,
        [
            EXP_NEG_C6, EXP_NEG_C5, EXP_NEG_C4, EXP_NEG_C3, EXP_NEG_C2, EXP_NEG_C1,
        ],
    )
}

/// `2^(j/16)` as `t_hi + t_lo`, for `n = k/16` given as the shifter sum
/// `kk = SHIFTER_16THS + b + k/16` (`b` an integer, `|16 b + k| < 2^22`):
/// `j = k mod 16` is the low four bits of `kk`, so
/// `2^(k/16) = (t_hi + t_lo) 2^floor(n)`, the exponent [`Simd::mul_exp2`]
/// takes from `n = kk - SHIFTER_16THS - b`.
#[inline(always)]
pub(crate) fn exp2_sixteenths<S: Simd>(s: S, kk: S::F) -> (S::F, S::F) {
    let j = s.to_bits(kk);
    (s.lookup16(&EXP2_16_HI, j), s.lookup16(&EXP2_16_LO, j))
}

/// `2^(j/8)` as `t_hi + t_lo`, for `n = k/8` given as the shifter sum
/// `kk = 1.5 * 2^20 + b + k/8` (`b` an integer, `|8 b + k| < 2^22`):
/// `j = k mod 8` is the low three bits of `kk`, so
/// `2^(k/8) = (t_hi + t_lo) 2^floor(n)`. The entries are every
/// other one of the sixteenths' tables.
#[inline(always)]
pub(crate) fn exp2_eighths<S: Simd>(s: S, kk: S::F) -> (S::F, S::F) {
    let j = s.to_bits(kk);
    (s.lookup8(&EXP2_8_HI, j), s.lookup8(&EXP2_8_LO, j))
}

/// Entries `0, 2, .., 14` of a table of sixteenths: the eighths.
const fn eighths(t: &[f32; 16]) -> [f32; 8] {
    let mut out = [0.0; 8];
    let mut j = 0;
    while j < 8 {
        out[j] = t[2 * j];
        j += 1;
    }
    out
}
/// `2^(j/8)` rounded to `f32`.
const EXP2_8_HI: [f32; 8] = eighths(&EXP2_16_HI);
/// `2^(j/8) - EXP2_8_HI[j]` rounded to `f32`.
const EXP2_8_LO: [f32; 8] = eighths(&EXP2_16_LO);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::scalar::Scalar;

    #[test]
    fn short_form_gives_its_value_within_its_bound() {
        crate::kernels::assert_short_form_gives_apply(Exp);
    }

    #[test]
    fn exp2_tables_hold_sixteenths() {
        for (j, (&hi, &lo)) in EXP2_16_HI.iter().zip(&EXP2_16_LO).enumerate() {
            let v = (j as f64 / 16.0).exp2();
            assert_eq!(hi, v as f32, "j = {j}");
            assert_eq!(lo, (v - f64::from(hi)) as f32, "j = {j}");
        }
    }

    #[test]
    fn sixteenths_split_k() {
        // The offsets of `exp_split` and of softmax's pass 2.
        for b in [0, 151] {
            let shifter = SHIFTER_16THS + b as f32;
            for k in -3500i32..=2100 {
                let kk = shifter + k as f32 / 16.0;
                let (hi, lo) = exp2_sixteenths(Scalar, kk);
                let n = kk - shifter;
                let j = k.rem_euclid(16) as usize;
                assert_eq!(n, k as f32 / 16.0, "k = {k}, b = {b}");
                assert_eq!(n.floor(), k.div_euclid(16) as f32, "k = {k}, b = {b}");
                assert_eq!((hi, lo), (EXP2_16_HI[j], EXP2_16_LO[j]), "k = {k}, b = {b}");
                // Ties round as with the plain shifter.
                let t = k as f32 / 16.0 + 1.0 / 32.0;
                assert_eq!((t + shifter) - shifter, (t + SHIFTER_16THS) - SHIFTER_16THS);
            }
        }
    }

    /// The scale of softmax's pass 2: the shifter sum with the offset 151,
    /// shifted right by four and left by 23, is `2^(floor(n) + 24)` for
    /// `floor(n)` in `[-150, 0]`, and `+0.0` at `-151`.
    #[test]
    fn sixteenths_sum_holds_the_scale() {
        let shifter = SHIFTER_16THS + 151.0;
        for k in -151i32 * 16..=0 {
            let kk = shifter + k as f32 / 16.0;
            let bits = Scalar.shl::<23>(Scalar.shr::<4>(Scalar.to_bits(kk)));
            let floor = k.div_euclid(16);
            let want = if floor == -151 {
                0.0
            } else {
                2f32.powi(floor + 24)
            };
            assert_eq!(Scalar.from_bits(bits), want, "k = {k}");
        }
    }

    #[test]
    fn eighths_split_k() {
        // The plain shifter and gelu's, offset by 192.
        for b in [0, 192] {
            let shifter = 1.5 * 2f32.powi(20) + b as f32;
            for k in -1800i32..=1100 {
                let kk = shifter + k as f32 / 8.0;
                let (hi, lo) = exp2_eighths(Scalar, kk);
                let j = k.rem_euclid(8);
                let v = (f64::from(j) / 8.0).exp2();
                assert_eq!(kk - shifter, k as f32 / 8.0, "k = {k}, b = {b}");
                assert_eq!(hi, v as f32, "k = {k}, b = {b}");
                assert_eq!(lo, (v - f64::from(hi)) as f32, "k = {k}, b = {b}");
            }
        }
    }

    #[test]
    fn split_constants_hold_their_values() {
        let ln2 = std::f64::consts::LN_2;
        assert_eq!(LN2_HI, ln2 as f32);
        assert_eq!(LN2_LO, (ln2 - f64::from(LN2_HI)) as f32);
        assert_eq!(LOG2E, (1.0 / ln2) as f32);
        assert_eq!(SHIFTER_16THS, 1.5 * 2f32.powi(19));
    }
}
