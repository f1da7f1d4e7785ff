//! `softmax` and `log_softmax` over one row:
//! `softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m)` and
//! `log_softmax(x)_i = (x_i - m) - ln(sum_j e^(x_j - m))`, `m = max_j x_j`.
//!
//! Three passes over the row. (1) The max and whether any entry is NaN
//! (compare and select; the max is the same in any order). (2) The sum of
//! `e_i = e^(x_i - m)`, kept scaled by `2^24` so that every `e_i` that can
//! give a nonzero result is a normal `f32` (`softmax` also stores them,
//! rounded to `f32`, in the output). `d_i = x_i - m` is kept exact as `d + dl`
//! (TwoSum), since the rounding error of `d`, times `|d|`, would otherwise
//! cost many ULPs of `e_i`; it enters the exponential as
//! `e^(d + dl) = e^d (1 + dl)` on top of [`exp_split_clamped`]'s
//! `(hi + lo) 2^n` (about 2^-29 relative). (3) `softmax` multiplies the stored
//! `e_i` by `1/sum` as an `f32` pair (one rounding); `log_softmax` computes
//! `x_i - (m + L)`, `L = ln(sum)`, with `C = m + L` as a float64 value split
//! into an `f32` pair `c_hi + c_lo`: `x_i - c_hi = d + dl` exactly (TwoSum),
//! then `d + (dl - c_lo)`, rounded once (nine operations per AVX-512 vector
//! with the test of finiteness). `c_lo`'s own rounding is at most
//! `2^-25 ulp(c_hi)` (while `c_lo` is normal), which shows only where a
//! result is small beside `c_hi`; results are at most `-L` (`x_i <= m`), so
//! rows with `|c_hi| <= 2^15 L` lose at most about `2^-8` ULP to it and to the
//! rounding of `dl - c_lo`. The rows where `|m|` is larger beside `L` keep
//! `L` apart as a pair `L_hi + L_lo` and compute `(d + dl) - (L_hi + L_lo)`
//! from `x_i - m = d + dl` with a second TwoSum (seven operations more), so
//! that near `-L` the result does not carry `c_lo`'s rounding (about a
//! quarter of an ULP there: 0.764 ULP in all). In either form, where `C` is
//! below about `2^-100` its low part is subnormal and rounds to a multiple of
//! `2^-149`, which costs results in `[2^-126, 2^-100]` up to a quarter of an
//! ULP more.
//!
//! The sum is compensated and its order does not depend on the vector width:
//! element `i` goes to virtual lane `i mod 16` (one AVX-512 vector, two AVX2
//! vectors, four NEON vectors, sixteen scalars), in row order. Each lane adds
//! with Fast2Sum on the larger and the smaller of the running sum and `e_i`
//! (exact whatever their orders of magnitude) and collects the rounding errors,
//! together with the `e_i`'s own low parts, in a compensation term. Every
//! [`CHUNK_BLOCKS`] blocks of 16 elements the 16 lanes are added, in a fixed
//! order (pairwise: lane `i` with lane `i + 8`, then `i + 4`, `i + 2` and
//! `i + 1`), to a float64 total in scalar code, so no compensation term sums
//! more than 512 errors: the sum stays within about 2^-30 relative on rows of
//! any length, even where the rounding errors all have the same sign (a plain
//! `f32` sum of the errors of millions of elements drifts by tens of ULPs of
//! `softmax`). `1/sum` and `ln(sum)` are float64 values too (the crate's own
//! `ln1p` below, no libm). `log_softmax` leaves the exact maxima (`e_i = 1`)
//! out of the sum and counts them, so that
//! `ln(count + rest) = ln1p(count - 1 + rest)` keeps relative accuracy when the
//! rest is tiny. Masked tail lanes add nothing.
//!
//! At the top of the range (`|m|` or `|x_i|` near `f32::MAX`) `x_i - m` may
//! overflow to `-inf` (the entry gives `0`, `-inf`), and TwoSum's
//! intermediate values may overflow although `d` does not; pass 2 floors `d`
//! there anyway, and pass 3 of `log_softmax` falls back to `d - L_hi`, which
//! is within half an ULP since then `|d| >= 2^103` dwarfs `L <= ln(len)`.
//! (Such rows never take the pair `c_hi + c_lo`, which needs
//! `|c_hi| <= 2^15 L`; there the fallback is `d = -inf` for `-inf` entries.)
//!
//! Rows of `bf16` and `f16` are widened as they are read (the mask too) and
//! each result is rounded once to the type as it is stored, so a result is
//! `from_f32` of the `f32` row's. `softmax` into a 16-bit type keeps the
//! `e_i` of pass 2 as `f32` over the output's bytes for the first half of
//! the row (where the output is not the input) and in a buffer of
//! [`SCRATCH_LEN`] floats on the stack for the next ones (see [`Kept`]),
//! and computes any others again in pass 3 from the input ([`Rescale`]),
//! with the same bits: rows of up to 8192 out of place and 4112 in place
//! compute each exponential once.
//!
//! Max error per entry against the float64 softmax of the whole row: the
//! stored `e_i` (0.5 ULP of `e_i`, up to 1 ULP of `y_i`) and the last
//! rounding give `softmax` at most about 1.5 ULP (measured 1.46 on random
//! and hard rows, rows at the top of the range and rows of 2^24 + 37
//! entries, see `tests/softmax.rs`); just above `f32::MIN_POSITIVE` the
//! product `e_i r_lo` rounds to the subnormal grid, up to 0.5 ULP more
//! (measured 1.74 on rows in [-120, 0]), still within the 2 ULP bound.
//! `log_softmax` is rounded once but for the low part of `C` or `L`
//! (measured 0.54 ULP; 0.75 on the row `[0, -86.20519]`, whose `L` is just
//! above `f32::MIN_POSITIVE`, so that its low part is subnormal).
//!
//! Special rows (PyTorch gives NaN for all three): a row with a NaN gives its
//! first NaN, quieted, everywhere. Otherwise `+inf` entries are the limit of
//! entries growing together: each of the `k` of them gets `1/k` (`log`:
//! `-ln k`), every other entry `0` (`-inf`). A row of only `-inf` is the limit
//! of a row shifted down, which softmax does not see: `1/len` everywhere
//! (`-ln len`). `-inf` entries in a finite row give exactly `0` (`-inf`); an
//! entry gives `0` only where `e^(x_i - m) / sum` is below half the smallest
//! subnormal.

use super::exp::exp_split_clamped;
use super::{Kernel, two_sum};
use crate::driver::Prefetch;
use crate::element::{self, Element};
use crate::simd::Simd;
use crate::simd::scalar::Scalar;

/// Elements of a row go to `i mod VIRTUAL_LANES` accumulators.
pub(crate) const VIRTUAL_LANES: usize = 16;

/// The index of each lane, to mask the lanes past a row's end.
const LANE_INDEX: [f32; VIRTUAL_LANES] = [
    0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
];

/// Blocks of 16 elements summed before the accumulators are flushed into the
/// float64 total. The compensation of each lane is a plain `f32` sum of at
/// most `CHUNK_BLOCKS` rounding errors, so its own error stays below
/// `CHUNK_BLOCKS^2 2^-48 = 2^-30` of the lane's sum whatever the row length
/// (and the counts stay exact).
const CHUNK_BLOCKS: usize = 1 << 9;

/// `x - m` is floored here (within `exp_split_clamped`'s range, since
/// `x - m <= 0`). Below it, `e^(x - m) < 2^-150` and the entry's result is
/// `0` whatever the sum (at least 1): the scaled `e_i` ([`E_SCALE_BIAS`])
/// of a floored entry is `0` or `2^-126 v`, and adds nothing that shows.
const EXP_FLOOR: f32 = -104.5;

/// `127 + 24`: pass 2 reduces `x - m` with [`exp_split_clamped`]'s shifter
/// offset by it, so that its sum's bits shifted right by four hold
/// `k + 151` in their low nine bits for `k = floor(n)` in `[-151, 0]`: the
/// biased exponent of `2^(k + 24)` (`0`, the field of `+0.0`, for
/// `k = -151`). Pass 2 keeps `e_i` scaled by `2^24`, so that every `e_i`
/// that can give a nonzero result is a normal `f32`: the scaling is one exact
/// product, with no subnormal rounding and no test of the exponent's range.
const E_SCALE_BIAS: i32 = 151;

/// The scale of pass 2's `e_i`, `2^24`.
const E_SCALE: f64 = 16_777_216.0;

/// The quiet bit of an `f32` NaN.
const QUIET_NAN_BIT: u32 = 0x0040_0000;

/// `ln 2` in two parts, the first with trailing zeros so that `k LN2_HI` is
/// exact (`0x1.62e42feep-1`, `0x1.a39ef35793c76p-33`).
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
/// See [`LN2_HI`].
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// Which function a row computes.
pub(crate) trait Flavor: Copy {
    /// `log_softmax` (else `softmax`).
    const LOG: bool;
}

/// `softmax`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Softmax;

/// `log_softmax`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LogSoftmax;

impl Flavor for Softmax {
    const LOG: bool = false;
}

impl Flavor for LogSoftmax {
    const LOG: bool = true;
}

/// `1/(2j + 3)` for `j` in `0..12`: `(atanh(z)/z - 1) / z^2` in powers of
/// `z^2`, lowest first (worked out at compile time).
const ATANH_SERIES: [f64; 12] = {
    let mut c = [0.0; 12];
    let mut j = 0;
    while j < 12 {
        c[j] = 1.0 / (2 * j + 3) as f64;
        j += 1;
    }
    c
};

/// `ln(1 + u)` for `u >= 0` in float64, accurate to a few units of 2^-53
/// relative (the crate's own, so every path and platform gets its bits).
pub(crate) fn ln1p(u: f64) -> f64 {
    if u.is_infinite() {
        return u;
    }
    // s + c = 1 + u exactly (Fast2Sum, larger operand first).
    let s = 1.0 + u;
    let c = if u > 1.0 {
        (u - s) + 1.0
    } else {
        (1.0 - s) + u
    };
    // s = 2^k f with f in [sqrt(1/2), sqrt(2)).
    let bits = s.to_bits();
    let mut k = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut f = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if f > core::f64::consts::SQRT_2 {
        f *= 0.5;
        k += 1;
    }
    // ln f = 2 atanh(z), z = (f - 1)/(f + 1) in [-0.172, 0.172]; f - 1 is
    // exact. Terms up to z^25 leave less than 2^-60 relative.
    let z = (f - 1.0) / (f + 1.0);
    let z2 = z * z;
    // sum_j z2^j / (2j + 3) for j in 0..12, by Estrin's scheme: pairs,
    // then pairs of pairs, in four product-and-sum steps in sequence where
    // Horner's rule takes twelve (z4 and z8 alongside).
    let z4 = z2 * z2;
    let z8 = z4 * z4;
    let t = ATANH_SERIES;
    let pair = |k: usize| t[k] + t[k + 1] * z2;
    let quad = |k: usize| pair(k) + pair(k + 2) * z4;
    let series = quad(0) + (quad(4) + quad(8) * z8) * z8;
    let ln_f = 2.0 * z + 2.0 * z * z2 * series;
    let k = k as f64;
    k * LN2_HI + (k * LN2_LO + (ln_f + c / s))
}

/// `v` as `hi + lo`: `hi` rounded to `f32`, `lo` the rest rounded to `f32`.
fn f32_pair(v: f64) -> (f32, f32) {
    let hi = v as f32;
    (hi, (v - f64::from(hi)) as f32)
}

/// `v` with the quiet bit set.
fn quiet(v: f32) -> f32 {
    f32::from_bits(v.to_bits() | QUIET_NAN_BIT)
}

/// The mask of a vector's first `count` lanes (those inside the row).
#[inline(always)]
fn first_lanes<S: Simd>(s: S, count: usize) -> S::M {
    // SAFETY: `LANE_INDEX` holds 16 >= `S::LANES` floats.
    let index = unsafe { s.load(LANE_INDEX.as_ptr()) };
    s.lt(index, s.splat(count as f32))
}

/// Pass 1: the max of the `n` values of `src` ignoring NaN, and whether a
/// NaN occurs.
///
/// # Safety
/// `src` must be valid for `n` elements.
#[inline(always)]
unsafe fn max_and_nan<S: Simd, R: Source>(s: S, n: usize, src: R) -> (f32, bool) {
    let lanes = S::LANES;
    let neg_inf = s.splat(f32::NEG_INFINITY);
    let mut acc = [neg_inf; 4];
    let mut nan = s.is_nan(s.splat(0.0));
    let hints = Prefetch::new::<S>();
    let mut i = 0;
    while i + 4 * lanes <= n {
        hints.ahead(s, src.hint(), i, 4 * lanes, false);
        for (k, a) in acc.iter_mut().enumerate() {
            // SAFETY: `i + (k + 1) lanes <= n`.
            let v = unsafe { src.read(s, i + k * lanes, lanes) };
            *a = s.select(s.gt(v, *a), v, *a);
            nan = s.mask_or(nan, s.is_nan(v));
        }
        i += 4 * lanes;
    }
    while i < n {
        let count = (n - i).min(lanes);
        // SAFETY: `i + count <= n`.
        let v = unsafe { src.read(s, i, count) };
        let v = if count == lanes {
            v
        } else {
            s.select(first_lanes(s, count), v, neg_inf)
        };
        acc[0] = s.select(s.gt(v, acc[0]), v, acc[0]);
        nan = s.mask_or(nan, s.is_nan(v));
        i += count;
    }
    let mut m = acc[0];
    for a in &acc[1..] {
        m = s.select(s.gt(*a, m), *a, m);
    }
    let mut buf = [f32::NEG_INFINITY; VIRTUAL_LANES];
    // SAFETY: `buf` holds 16 >= `lanes` floats.
    unsafe { s.store(buf.as_mut_ptr(), m) };
    // The lanes past `lanes` stay -inf. Without NaNs, the max is the same in
    // any order, but for the sign of a zero, which the caller drops.
    pairwise(&mut buf, |m, v| if v > m { v } else { m });
    (buf[0], s.any(nan))
}

/// Elements `i..i + count` of `p` (`count <= LANES`; the lanes past `count`
/// are zero), widened to `f32`.
///
/// # Safety
/// `p + i` valid for `count` reads.
#[inline(always)]
unsafe fn read<S: Simd, E: Element>(s: S, p: *const E, i: usize, count: usize) -> S::F {
    // SAFETY: the caller's range.
    unsafe {
        if count == S::LANES {
            element::load(s, p.add(i))
        } else {
            element::load_partial(s, p.add(i), count)
        }
    }
}

/// Where a row's values come from: the input as it is ([`Plain`]), or the
/// attention input `z = scale * x + mask` formed from it each time it is
/// read ([`Formed`]). Every pass reads its source afresh, so the attention
/// form stores nothing but its result.
trait Source: Copy {
    /// The element type of the input.
    type E: Element;
    /// Elements `i..i + count` (`count <= LANES`; the lanes past `count`
    /// are zero).
    ///
    /// # Safety
    /// `i + count` must not pass the row.
    unsafe fn read<S: Simd>(self, s: S, i: usize, count: usize) -> S::F;
    /// Element `i`: [`Source::read`] on the scalar path, so with the bits of
    /// the lane of any path's read.
    ///
    /// # Safety
    /// `i` must be inside the row.
    #[inline(always)]
    unsafe fn at(self, i: usize) -> f32 {
        // SAFETY: the caller's range, one element.
        unsafe { self.read(Scalar, i, 1) }
    }
    /// The input whose lines are hinted ahead.
    fn hint(self) -> *const Self::E;
    /// Whether runs of `-inf` are to be expected (a mask), so that pass 2
    /// tests each vector for them.
    fn hides(self) -> bool;
    /// Pass 1 over the row's `n` elements (see [`max_and_nan`]).
    ///
    /// # Safety
    /// The source must be valid for `n` elements.
    #[inline(always)]
    unsafe fn max_and_nan<S: Simd>(self, s: S, n: usize) -> (f32, bool) {
        // SAFETY: the caller's range.
        unsafe { max_and_nan(s, n, self) }
    }
}

/// A row read as it is.
#[derive(Clone, Copy)]
struct Plain<A>(*const A);

impl<A: Element> Source for Plain<A> {
    type E = A;
    #[inline(always)]
    unsafe fn read<S: Simd>(self, s: S, i: usize, count: usize) -> S::F {
        // SAFETY: the caller's range.
        unsafe { read(s, self.0, i, count) }
    }
    #[inline(always)]
    fn hint(self) -> *const A {
        self.0
    }
    #[inline(always)]
    fn hides(self) -> bool {
        false
    }
}

/// Floats kept from index `start` of a row on, at `p` (the part of a
/// row's `e_i` that [`Kept`] puts in the stack buffer).
#[derive(Clone, Copy)]
struct Shifted {
    p: *const f32,
    start: usize,
}

impl Source for Shifted {
    type E = f32;
    #[inline(always)]
    unsafe fn read<S: Simd>(self, s: S, i: usize, count: usize) -> S::F {
        // SAFETY: the caller's range, from `start` on.
        unsafe { read(s, self.p, i - self.start, count) }
    }
    #[inline(always)]
    fn hint(self) -> *const f32 {
        self.p
    }
    #[inline(always)]
    fn hides(self) -> bool {
        false
    }
}

/// Where pass 2 of `softmax` keeps the `f32` `e_i` for pass 3: for
/// `i < split` at `over + i`, for `split <= i < end` at
/// `scratch + (i - split)`, none past `end`. `f32` rows keep every `e_i`
/// in their output (`over` is the output, `split = end = n`); a 16-bit
/// output has room over its `2n` bytes for `split = n/2` of them (rounded
/// down to a multiple of [`VIRTUAL_LANES`]), where it is not the input
/// (else `split = 0`), and the [`SCRATCH_LEN`] floats on the stack take
/// the next ones (`end = min(n, split + SCRATCH_LEN)`).
#[derive(Clone, Copy)]
struct Kept {
    over: *mut f32,
    split: usize,
    scratch: *mut f32,
    end: usize,
}

/// The attention input of a row `x`: `z = scale * x + mask` (see
/// [`Attention`]).
#[derive(Clone, Copy)]
struct Formed<A> {
    x: *const A,
    scale: f32,
    mask: Option<*const A>,
}

impl<A: Element> Source for Formed<A> {
    type E = A;
    #[inline(always)]
    unsafe fn read<S: Simd>(self, s: S, i: usize, count: usize) -> S::F {
        // SAFETY: the caller's range, which the mask's row shares.
        unsafe {
            let z = s.mul(s.splat(self.scale), read(s, self.x, i, count));
            match self.mask {
                Some(mask) => s.add(z, read(s, mask, i, count)),
                None => z,
            }
        }
    }
    /// The element's formed value; where that is NaN, the NaN rule of the
    /// two-input functions, the same on every CPU: a NaN `x` gives `x`,
    /// otherwise a NaN mask gives the mask, otherwise (`0 * inf`,
    /// `inf + -inf`) the positive quiet NaN (x86's arithmetic gives it the
    /// sign bit, Arm's not). A row's first NaN is its result (quieted).
    #[inline(always)]
    unsafe fn at(self, i: usize) -> f32 {
        // SAFETY: the caller's range, one element, which the mask's row
        // shares.
        unsafe {
            let z = self.read(Scalar, i, 1);
            if !z.is_nan() {
                return z;
            }
            let x = read(Scalar, self.x, i, 1);
            let mask = self.mask.map_or(0.0, |m| read(Scalar, m, i, 1));
            if x.is_nan() {
                x
            } else if mask.is_nan() {
                mask
            } else {
                f32::NAN
            }
        }
    }
    #[inline(always)]
    fn hint(self) -> *const A {
        self.x
    }
    #[inline(always)]
    fn hides(self) -> bool {
        self.mask.is_some()
    }
    #[inline(always)]
    unsafe fn max_and_nan<S: Simd>(self, s: S, n: usize) -> (f32, bool) {
        // Without a mask and with a finite scale above zero, the pass runs
        // on `x` alone and scales its max: a rounded product by a positive
        // factor does not decrease as `x` grows, so the max of the rounded
        // `scale * x_i` is `scale` times the max of the `x_i`, rounded, and
        // `scale * x_i` is NaN exactly where `x_i` is.
        if self.mask.is_none() && self.scale > 0.0 && self.scale < f32::INFINITY {
            // SAFETY: the caller's range.
            let (m, nan) = unsafe { max_and_nan(s, n, Plain(self.x)) };
            return (self.scale * m, nan);
        }
        // SAFETY: the caller's range.
        unsafe { max_and_nan(s, n, self) }
    }
}

/// Stores the first `count` lanes of `v` (`count <= LANES`) at `p + i`,
/// rounded to `B`.
///
/// # Safety
/// `p + i` valid for `count` writes.
#[inline(always)]
unsafe fn write<S: Simd, B: Element>(s: S, p: *mut B, i: usize, count: usize, v: S::F) {
    // SAFETY: the caller's range.
    unsafe {
        if count == S::LANES {
            element::store(s, p.add(i), v);
        } else {
            element::store_partial(s, p.add(i), count, v);
        }
    }
}

/// `x - m = d + dl` exactly (TwoSum), with `d` floored at [`EXP_FLOOR`] (and
/// `dl = 0` there, where it cannot matter and may be NaN).
#[inline(always)]
fn difference<S: Simd>(s: S, x: S::F, neg_m: S::F) -> (S::F, S::F) {
    let (d, dl) = two_sum(s, x, neg_m);
    let floor = s.splat(EXP_FLOOR);
    let low = s.lt(d, floor);
    (s.select(low, floor, d), s.select(low, s.splat(0.0), dl))
}

/// The per-virtual-lane accumulators of pass 2 for one vector's lanes.
#[derive(Clone, Copy)]
struct Sums<F> {
    /// The running sum of the `e_i`, rounded.
    sum: F,
    /// Its compensation: the rounding errors of `sum` (exact) and the `e_i`'s
    /// own low parts (the error of their `f32` value).
    err: F,
    /// Maxima left out of the sum (`log_softmax` only).
    count: F,
}

/// `(d, e, e_lo)`: `d` as [`difference`] floors it, and `e + e_lo =
/// 2^24 e^(x - m)` to about 2^-29, `e` rounded to `f32` (pass 2's `e_i`,
/// which pass 3 of `softmax` scales).
#[inline(always)]
fn scaled_exp<S: Simd>(s: S, x: S::F, neg_m: S::F) -> (S::F, S::F, S::F) {
    let (d, dl) = difference(s, x, neg_m);
    let (es, z) = exp_split_clamped::<S, E_SCALE_BIAS>(s, d);
    let lo = s.mul_add(es.hi, dl, es.lo);
    let v = s.add(es.hi, lo);
    let v_err = s.add(s.sub(es.hi, v), lo);
    // `scale = 2^(floor(n) + 24)`, from `z`'s bits (`d >= EXP_FLOOR` gives `floor(n) >= -151`,
    // and `0` there), so `e + e_lo = 2^24 e^(x - m)` to about 2^-29; `e` is
    // exact wherever `floor(n) > -151` and `v >= 1`, and otherwise below
    // 2^-125, where no result can show it.
    let scale = s.from_bits(s.shl::<23>(s.shr::<4>(s.to_bits(z))));
    (d, s.mul(v, scale), s.mul(v_err, scale))
}

/// One vector of pass 2: `e_i` (returned, to be stored by `softmax`) and its
/// contribution to `acc`; `valid` masks the lanes inside the row.
#[inline(always)]
fn exp_accumulate<S: Simd, L: Flavor>(
    s: S,
    x: S::F,
    neg_m: S::F,
    valid: Option<S::M>,
    acc: &mut Sums<S::F>,
) -> S::F {
    let zero = s.splat(0.0);
    let one = s.splat(1.0);
    let (d, e, mut term_lo) = scaled_exp(s, x, neg_m);
    let mut term = e;
    if let Some(valid) = valid {
        term = s.select(valid, term, zero);
        term_lo = s.select(valid, term_lo, zero);
    }
    if L::LOG {
        let mut is_max = s.eq(d, zero);
        if let Some(valid) = valid {
            is_max = s.mask_and(is_max, valid);
        }
        term = s.select(is_max, zero, term);
        acc.count = s.add(acc.count, s.select(is_max, one, zero));
    }
    // Fast2Sum on the larger and the smaller of the two (both are `>= 0`):
    // `sum + term_err = acc.sum + term` exactly, in any order of magnitude,
    // in one operation fewer than TwoSum and with the same bits (each gives
    // the exact rounding error).
    let sum = s.add(acc.sum, term);
    let (big, small) = (s.max(acc.sum, term), s.min(acc.sum, term));
    let term_err = s.sub(small, s.sub(sum, big));
    acc.err = s.add(acc.err, s.add(term_err, term_lo));
    acc.sum = sum;
    e
}

/// The 16 virtual lanes' accumulators, reduced in a fixed order in float64:
/// `(sum, count)`.
#[inline(always)]
fn reduce<S: Simd>(s: S, acc: &[Sums<S::F>]) -> (f64, f64) {
    let lanes = S::LANES;
    let mut sum = [0f32; VIRTUAL_LANES];
    let mut err = [0f32; VIRTUAL_LANES];
    let mut count = [0f32; VIRTUAL_LANES];
    for (g, a) in acc.iter().enumerate() {
        // SAFETY: `g * lanes + lanes <= 16` for the `16 / lanes` groups.
        unsafe {
            s.store(sum.as_mut_ptr().add(g * lanes), a.sum);
            s.store(err.as_mut_ptr().add(g * lanes), a.err);
            s.store(count.as_mut_ptr().add(g * lanes), a.count);
        }
    }
    let mut sum: [f64; VIRTUAL_LANES] =
        core::array::from_fn(|i| f64::from(sum[i]) + f64::from(err[i]));
    let mut count: [f64; VIRTUAL_LANES] = core::array::from_fn(|i| f64::from(count[i]));
    pairwise(&mut sum, |a, b| a + b);
    pairwise(&mut count, |a, b| a + b);
    (sum[0], count[0])
}

/// Folds the 16 virtual lanes into lane 0 in a fixed order, the same on
/// every path: lane `i` with lane `i + w` for `w` = 8, 4, 2, 1. Four steps in
/// sequence where a fold from lane 0 to lane 15 takes sixteen, and each step
/// is one vector operation where the compiler vectorizes it.
#[inline(always)]
fn pairwise<T: Copy>(v: &mut [T; VIRTUAL_LANES], op: impl Fn(T, T) -> T) {
    let mut w = VIRTUAL_LANES / 2;
    while w > 0 {
        for i in 0..w {
            v[i] = op(v[i], v[i + w]);
        }
        w /= 2;
    }
}

/// Pass 2 over a row: `(sum, count)` with `count` the maxima left out by
/// `log_softmax`; `softmax` stores `e_i` where `kept` says (see [`Kept`]):
/// into the output where `B` is `f32`, else over the output's bytes and
/// into a stack buffer, as far as they have room (see [`row_of`]).
///
/// # Safety
/// `src` valid for `n` elements; `kept` as [`Kept`] says, its `over` the
/// output, valid for `n` writes of `B` (the same memory as the source's
/// input or not overlapping it).
#[inline(always)]
unsafe fn exp_sum<S: Simd, L: Flavor, R: Source, B: Element>(
    s: S,
    src: R,
    kept: Kept,
    n: usize,
    m: f32,
) -> (f64, f64) {
    let lanes = S::LANES;
    let groups = VIRTUAL_LANES / lanes;
    let neg_m = s.splat(-m);
    let fresh = Sums {
        sum: s.splat(0.0),
        err: s.splat(0.0),
        count: s.splat(0.0),
    };
    // `e_i` stored for `i < kept.end` (every `i` where `B` is `f32`, known
    // at compile time, as is `log_softmax`'s none), at `kept.over + i` below
    // `kept.split` (every `i` where `B` is `f32`), else in the buffer.
    let f32_out = element::is_f32::<B>();
    let stores_at = |i: usize| !L::LOG && (f32_out || i < kept.end);
    let over_at = |i: usize| f32_out || i < kept.split;
    let at = |i: usize| {
        if over_at(i) {
            kept.over.wrapping_add(i)
        } else {
            kept.scratch.wrapping_add(i - kept.split)
        }
    };
    let y = kept.over;
    // The input's lines to hint, unless it is the output (hinted below).
    let read_x = !(!L::LOG && f32_out && core::ptr::eq(src.hint().cast::<f32>(), y.cast_const()));
    let hints = Prefetch::new::<S>();
    // The rows reach pass 2 without NaN or `+inf`, so a vector is hidden
    // exactly when every lane is `-inf`.
    let hides = src.hides();
    let neg_inf = s.splat(f32::NEG_INFINITY);
    let mut total = (0.0, 0.0);
    let mut start = 0;
    while start < n {
        let end = n.min(start + CHUNK_BLOCKS * VIRTUAL_LANES);
        let mut acc = [fresh; VIRTUAL_LANES];
        let mut i = start;
        while i + VIRTUAL_LANES <= end {
            let stores = stores_at(i);
            if read_x {
                hints.ahead(s, src.hint(), i, VIRTUAL_LANES, false);
            }
            if stores && over_at(i) {
                hints.ahead(s, y.cast_const(), i, VIRTUAL_LANES, true);
            }
            for (g, a) in acc[..groups].iter_mut().enumerate() {
                let j = i + g * lanes;
                // SAFETY: `j + lanes <= i + 16 <= n`; `stores` holds for
                // `i + 16 <= kept.end` (for a 16-bit `B`, `kept.split`, and
                // `kept.end` where it is below `n`, are multiples of 16, so
                // a block lies on one side of each), where `at(j)` has room
                // for `lanes` floats ([`Kept`]).
                unsafe {
                    let z = src.read(s, j, lanes);
                    if hides && !s.any(s.gt(z, neg_inf)) {
                        // Every lane hidden: each `e_i` is `+0`, which
                        // leaves the sums as they are.
                        if stores {
                            s.store(at(j), s.splat(0.0));
                        }
                        continue;
                    }
                    let e = exp_accumulate::<S, L>(s, z, neg_m, None, a);
                    if stores {
                        s.store(at(j), e);
                    }
                }
            }
            i += VIRTUAL_LANES;
        }
        for (g, a) in acc[..groups].iter_mut().enumerate() {
            let j = i + g * lanes;
            if j >= end {
                break;
            }
            let count = (end - j).min(lanes);
            // SAFETY: `count` elements remain at `j`; partial loads and stores
            // touch nothing past them. Where `B` is not `f32`, a store here
            // goes to the buffer (`j >= n / 16 * 16 >= kept.split`), and
            // only where it holds the row's end (`kept.end = n`).
            unsafe {
                let valid = (count < lanes).then(|| first_lanes(s, count));
                let e = exp_accumulate::<S, L>(s, src.read(s, j, count), neg_m, valid, a);
                if stores_at(j) {
                    if over_at(j) {
                        write(s, y, j, count, e);
                    } else {
                        write(s, kept.scratch, j - kept.split, count, e);
                    }
                }
            }
        }
        let (sum, count) = reduce(s, &acc[..groups]);
        total = (total.0 + sum, total.1 + count);
        start = end;
    }
    total
}

/// Pass 3 of `softmax`: `y_i = e_i (r_hi + r_lo)`, rounded once.
#[derive(Clone, Copy)]
struct Scale {
    r_hi: f32,
    r_lo: f32,
}

impl Kernel for Scale {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, e: S::F) -> S::F {
        s.mul_add(e, s.splat(self.r_hi), s.mul(e, s.splat(self.r_lo)))
    }
}

/// Pass 3 of `softmax` into a 16-bit type over the part of a row whose
/// `e_i` pass 2 had no room to keep (see [`Kept`]): each `e_i`
/// computed again from the input (the operations of pass 2's
/// [`scaled_exp`], so the same bits), then [`Scale`]. One exponential more
/// per element, and no `f32` buffer. The vectors of only `-inf` that pass
/// 2 passes over, storing `+0`, give `+0` here too: `d` is floored at
/// [`EXP_FLOOR`], so `floor(n) = -151` and the scale's exponent field,
/// hence the scale and `e`, are `+0`.
#[derive(Clone, Copy)]
struct Rescale {
    neg_m: f32,
    scale: Scale,
}

impl Kernel for Rescale {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let (_, e, _) = scaled_exp(s, x, s.splat(self.neg_m));
        self.scale.apply(s, e)
    }
}

/// Pass 3 of `log_softmax`: `y_i = x_i - m - L`, from `x_i - c = d + dl`
/// exactly (TwoSum) and one rounding at the end. `MERGED`: `c = c_hi` with
/// `C = m + L = c_hi + c_lo` as a pair, `y = d + (dl - c_lo)`. Otherwise
/// `c = m`, then `t + t_err = d - l_hi` (TwoSum) with `L = l_hi + l_lo`,
/// `y = t + ((t_err + dl) - l_lo)`: seven operations more, for the rows whose
/// `L` is too small beside `|m|` for the pair (see [`Subtract::for_row`]).
#[derive(Clone, Copy)]
struct Subtract<const MERGED: bool> {
    /// `c_hi` or `m`.
    c: f32,
    /// `l_hi` (unused where `MERGED`).
    l_hi: f32,
    /// `c_lo` or `l_lo`.
    lo: f32,
}

impl Subtract<true> {
    /// The merged form for a row of max `m` and `L = ln`, or `None` where
    /// `L < 2^-15 |c_hi|`: `c_lo`, rounded, is off by at most
    /// `2^-25 ulp(c_hi) <= 2^-33 L` (while normal) and `|y_i| >= L`, so that
    /// stays below `2^-9` ULP of any result; on rows with a smaller `L` (a
    /// large `|m|`: the max dominates the rest, or the whole row sits far
    /// from zero), results near `-L` could be off by a quarter of an ULP
    /// more. `c_lo = C - c_hi` in float64, where `m - c_hi` is exact unless
    /// one of `|m|` and `|c_hi|` is far below the other (then off by at most
    /// about `2^-53 L`); `|c_lo| <= L` (`m` is a float within `L` of `C`).
    fn for_row(m: f32, ln: f64) -> Option<Self> {
        let c_hi = (f64::from(m) + ln) as f32;
        let c_lo = ((f64::from(m) - f64::from(c_hi)) + ln) as f32;
        (ln * 32768.0 >= f64::from(c_hi.abs())).then_some(Subtract {
            c: c_hi,
            l_hi: 0.0,
            lo: c_lo,
        })
    }
}

impl Subtract<false> {
    /// The form with `L = l_hi + l_lo` apart, for the rows that
    /// [`Subtract::for_row`] leaves out.
    fn exact(m: f32, ln: f64) -> Self {
        let (l_hi, l_lo) = f32_pair(ln);
        Subtract {
            c: m,
            l_hi,
            lo: l_lo,
        }
    }
}

impl<const MERGED: bool> Kernel for Subtract<MERGED> {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let (d, dl) = two_sum(s, x, s.splat(-self.c));
        let lo = s.splat(self.lo);
        let (y, t) = if MERGED {
            (s.add(d, s.sub(dl, lo)), d)
        } else {
            let (t, t_err) = two_sum(s, d, s.splat(-self.l_hi));
            (s.add(t, s.sub(s.add(t_err, dl), lo)), t)
        };
        // Where a part overflowed, `y` is NaN or infinite and `t` is the
        // result: `d = -inf` (an entry of -inf, or `x - c` overflowing), or
        // TwoSum's `bb` or `d - bb` overflowing, which needs `|c|` or `|x|`
        // near `f32::MAX` and `x != c`; then `|d| >= 2^103` and `t` is
        // within half an ULP of `x - m - L` (`L <= ln(row_len)`). The merged
        // form's `|c| <= 2^15 L` rules out all but the entries of -inf.
        s.select_finite(y, t)
    }
}

/// `y_i = k(src_i)` for `i` in `start..n`, tail included, rounded to `B`
/// (no NaN rule: the rows that reach pass 3 have none). Each vector is read
/// before it is stored, and stores go forward, so `src` may be the `f32`
/// floats pass 2 kept over `y`'s bytes when `B` is a 16-bit type (the
/// stores at `2i` bytes trail the reads at `4i`).
///
/// # Safety
/// `src` valid for the elements `start..n`, `y` for `n` writes (the same
/// memory as the source's input, the floats kept over it as above, or not
/// overlapping it); `start` a multiple of `S::LANES`, or `n`.
#[inline(always)]
unsafe fn pass3<S: Simd, K: Kernel, R: Source, B: Element>(
    s: S,
    k: K,
    src: R,
    y: *mut B,
    (start, n): (usize, usize),
) {
    let lanes = S::LANES;
    let hints = Prefetch::new::<S>();
    let mut i = start;
    while i + lanes <= n {
        hints.ahead(s, y.cast_const(), i, lanes, true);
        // SAFETY: `i + lanes <= n`.
        unsafe { element::store(s, y.add(i), k.apply(s, src.read(s, i, lanes))) };
        i += lanes;
    }
    if i < n {
        // SAFETY: `n - i < lanes` elements remain.
        unsafe { write(s, y, i, n - i, k.apply(s, src.read(s, i, n - i))) };
    }
}

/// One row of `softmax` or `log_softmax` from `x` into `y`, widened from
/// `T` and rounded to it once at the end.
///
/// # Safety
/// `x` valid for `n >= 1` reads, `y` for `n` writes, the same pointer or
/// non-overlapping.
#[inline(always)]
pub(crate) unsafe fn row<S: Simd, L: Flavor, T: Element>(s: S, x: *const T, y: *mut T, n: usize) {
    // SAFETY: the caller's ranges, passed on.
    unsafe { row_of::<S, L, _, T>(s, Plain(x), y, n, false) }
}

/// The input of the attention forms: `z = scale * x + mask` (a product and
/// a sum, each rounded: no fused multiply-add), or `scale * x` without a
/// mask, with `x` and the mask of element type `T`, widened.
#[derive(Clone, Copy)]
pub(crate) struct Attention<T> {
    pub(crate) scale: f32,
    /// `None`, or the mask of the row.
    pub(crate) mask: Option<*const T>,
    /// A row whose every `z` is `-inf` gives zeros (`-inf` for
    /// `log_softmax`) instead of the row function's limit.
    pub(crate) zero_hidden: bool,
}

impl<A> Attention<A> {
    /// The same attention input with its mask's element type named `T`.
    pub(crate) fn cast<T>(self) -> Attention<T> {
        Attention {
            scale: self.scale,
            mask: self.mask.map(<*const A>::cast::<T>),
            zero_hidden: self.zero_hidden,
        }
    }
}

/// One row of `softmax` or `log_softmax` of `z` (see [`Attention`]) from `x`
/// into `y`. Each pass forms `z` again as it reads `x` and the mask (two
/// operations per vector, cheaper than storing `z` and reading it back), so
/// the result has the bits of [`row`] on `z` (but for the NaN of a row with
/// one, by the rule of [`Formed`]'s [`Source::at`]); without a mask, pass 1 scales
/// only the max of `x` (see [`Source::max_and_nan`] of [`Formed`]).
///
/// # Safety
/// As [`row`]; the mask, if any, valid for `n` reads and not overlapping `y`.
#[inline(always)]
pub(crate) unsafe fn attention_row<S: Simd, L: Flavor, T: Element>(
    s: S,
    x: *const T,
    y: *mut T,
    n: usize,
    a: Attention<T>,
) {
    let src = Formed {
        x,
        scale: a.scale,
        mask: a.mask,
    };
    // SAFETY: the caller's ranges, passed on.
    unsafe { row_of::<S, L, _, T>(s, src, y, n, a.zero_hidden) }
}

/// The three passes of a row of `src` into `y`; with `zero_hidden`, a row
/// of only `-inf` gives zeros (`-inf` for `log_softmax`).
///
/// # Safety
/// `src` valid for `n >= 1` elements, `y` for `n` writes (the same memory as
/// the source's input or not overlapping it). Every pass reads an element of
/// the source before it writes the element of `y` at the same index; pass 2
/// of `softmax` into a 16-bit `y` writes floats over other elements' bytes
/// only where `y` is not the input.
#[inline(always)]
unsafe fn row_of<S: Simd, L: Flavor, R: Source, B: Element>(
    s: S,
    src: R,
    y: *mut B,
    n: usize,
    zero_hidden: bool,
) {
    // SAFETY: the caller's ranges, passed on.
    let (m, nan) = unsafe { src.max_and_nan(s, n) };
    if nan || m == f32::INFINITY || m == f32::NEG_INFINITY {
        // SAFETY: the caller's ranges, passed on.
        unsafe { special_row::<L, R, B>(src, y, n, nan, m, zero_hidden) };
        return;
    }
    // `-0.0` and `+0.0` are the same max; keep one of them.
    let m = m + 0.0;
    let f32_out = element::is_f32::<B>();
    let mut scratch: [core::mem::MaybeUninit<f32>; SCRATCH_LEN];
    let kept = if L::LOG || f32_out {
        let end = if L::LOG { 0 } else { n };
        Kept {
            over: y.cast(),
            split: end,
            scratch: core::ptr::null_mut(),
            end,
        }
    } else {
        let in_place = core::ptr::eq(src.hint().cast::<u8>(), y.cast::<u8>().cast_const());
        let split = if in_place {
            0
        } else {
            n / 2 / VIRTUAL_LANES * VIRTUAL_LANES
        };
        scratch = [core::mem::MaybeUninit::uninit(); SCRATCH_LEN];
        Kept {
            over: y.cast(),
            split,
            scratch: scratch.as_mut_ptr().cast(),
            end: n.min(split + SCRATCH_LEN),
        }
    };
    // SAFETY: the caller's ranges, passed on; `kept` as [`Kept`] says: the
    // `4 split <= 2 n` bytes of the floats over a 16-bit `y` lie in `y`'s,
    // and only where `y` is not the input, and `scratch` holds
    // `end - split <= SCRATCH_LEN` floats.
    let (sum, count) = unsafe { exp_sum::<S, L, R, B>(s, src, kept, n, m) };
    if L::LOG {
        let ln = ln1p((count - 1.0) + sum / E_SCALE);
        match Subtract::for_row(m, ln) {
            // SAFETY: the caller's ranges, passed on.
            Some(k) => unsafe { pass3(s, k, src, y, (0, n)) },
            // SAFETY: the caller's ranges, passed on.
            None => unsafe { pass3(s, Subtract::exact(m, ln), src, y, (0, n)) },
        }
    } else {
        let (r_hi, r_lo) = f32_pair(1.0 / sum);
        let scale = Scale { r_hi, r_lo };
        let over = Plain(kept.over.cast_const());
        if f32_out {
            // SAFETY: `y`, valid for `n` reads and writes, in place, holds
            // pass 2's `e_i` (`B` is `f32`).
            unsafe { pass3(s, scale, over, y, (0, n)) };
        } else {
            let (split, end) = (kept.split, kept.end);
            // SAFETY: pass 2 kept the `split` floats `e_i` over `y`'s bytes
            // (`4 split <= 2 n` bytes), which pass 3 reads ahead of its
            // stores; `split` is a multiple of every path's lanes, so only
            // full-width loads read them, and those take any alignment
            // (see [`Simd::load`]), as `y`'s 2 bytes give.
            unsafe { pass3(s, scale, over, y, (0, split)) };
            let buffer = Shifted {
                p: kept.scratch.cast_const(),
                start: split,
            };
            // SAFETY: pass 2 kept `e_i` for `split <= i < end` in the
            // buffer, which overlaps nothing of the caller's; the stores
            // into `y` from `2 split` bytes on go over floats already read;
            // `end` is `n` or a multiple of every path's lanes.
            unsafe { pass3(s, scale, buffer, y, (split, end)) };
            let k = Rescale { neg_m: -m, scale };
            // SAFETY: the caller's ranges, passed on; where `y` is the
            // input, nothing was kept over it and pass 3 has stored only
            // below `end`, so it reads the rest intact (each vector before
            // it stores it).
            unsafe { pass3(s, k, src, y, (end, n)) };
        }
    }
}

/// The floats of the buffer on the stack (16 KiB and 64 bytes) in which
/// pass 2 of `softmax` into a 16-bit type keeps `e_i` for pass 3 to scale,
/// past those kept over the output (see [`Kept`]), as the `f32` rows keep
/// them in their output; pass 3 computes any further ones again
/// ([`Rescale`]). The same bits either way. With the `n/2` rounded down to
/// a multiple of [`VIRTUAL_LANES`] over the output, that keeps every `e_i`
/// of a row of up to 8192 out of place (4112 in place).
const SCRATCH_LEN: usize = 4096 + VIRTUAL_LANES;

/// A row with a NaN, a `+inf` or only `-inf` (see the module docs; with
/// `zero_hidden`, a row of only `-inf` gives zeros, `-inf` for
/// `log_softmax`).
///
/// # Safety
/// As [`row_of`].
unsafe fn special_row<L: Flavor, R: Source, B: Element>(
    src: R,
    y: *mut B,
    n: usize,
    nan: bool,
    m: f32,
    zero_hidden: bool,
) {
    // SAFETY: the caller's ranges; each element is read before it is written.
    unsafe {
        let xs = |i: usize| src.at(i);
        // Rounded to `B` as the vector paths round.
        let put = |i: usize, v: f32| element::store(Scalar, y.add(i), v);
        if nan {
            let first = (0..n).map(xs).find(|v| v.is_nan()).unwrap_or(f32::NAN);
            (0..n).for_each(|i| put(i, quiet(first)));
        } else if m == f32::INFINITY {
            let k = (0..n).filter(|&i| xs(i) == f32::INFINITY).count() as f64;
            let (inf, other) = if L::LOG {
                ((0.0 - ln1p(k - 1.0)) as f32, f32::NEG_INFINITY)
            } else {
                ((1.0 / k) as f32, 0.0)
            };
            (0..n).for_each(|i| put(i, if xs(i) == f32::INFINITY { inf } else { other }));
        } else {
            let v = if zero_hidden {
                if L::LOG { f32::NEG_INFINITY } else { 0.0 }
            } else {
                let len = n as f64;
                (if L::LOG {
                    0.0 - ln1p(len - 1.0)
                } else {
                    1.0 / len
                }) as f32
            };
            (0..n).for_each(|i| put(i, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ln1p;

    #[test]
    fn ln1p_matches_libm() {
        let mut worst = 0f64;
        for i in 0..200_000 {
            let u = f64::from(i) * 1e-4 * f64::from(i % 7 + 1) + 1e-300 * f64::from(i);
            let want = libm::log1p(u);
            let got = ln1p(u);
            if want != 0.0 {
                worst = worst.max(((got - want) / want).abs());
            }
        }
        for &u in &[1e-30, 1e-17, 2.2e-16, 1.0, 3.0, 1e6, 2f64.powi(31), 1e300] {
            let want = libm::log1p(u);
            worst = worst.max(((ln1p(u) - want) / want).abs());
        }
        assert!(worst < 4.0 * f64::EPSILON, "max relative error {worst:e}");
        assert_eq!(ln1p(0.0), 0.0);
    }
}
