//! Conversions between `f32` lanes and the 16-bit formats (IEEE binary16
//! and bfloat16), written once over the [`Simd`] primitives: the portable
//! forms of [`Simd::load_f16`], [`Simd::store_f16`] and
//! [`Simd::store_bf16`]. Each gives the bits of the `half` crate's
//! `to_f32`/`from_f32` (round to nearest even, subnormals kept), so a path
//! may replace it only by a hardware conversion with the same bits: F16C's
//! for binary16, and AVX512_BF16's `vcvtneps2bf16` for bfloat16, with its
//! subnormal inputs (which it reads as zero) moved into the normal range
//! before and back after.

use super::Simd;

/// A 32-bit constant in every integer lane.
#[inline(always)]
fn int<S: Simd>(s: S, bits: u32) -> S::I {
    s.to_bits(s.splat(f32::from_bits(bits)))
}

/// Bitwise `a & b` on integer lanes.
#[inline(always)]
fn and<S: Simd>(s: S, a: S::I, b: S::I) -> S::I {
    s.to_bits(s.and(s.from_bits(a), s.from_bits(b)))
}

/// Bitwise `a | b` on integer lanes.
#[inline(always)]
fn or<S: Simd>(s: S, a: S::I, b: S::I) -> S::I {
    s.to_bits(s.or(s.from_bits(a), s.from_bits(b)))
}

/// Per lane, `a` where `m` is set, else `b`, on integer lanes.
#[inline(always)]
fn select<S: Simd>(s: S, m: S::M, a: S::I, b: S::I) -> S::I {
    s.to_bits(s.select(m, s.from_bits(a), s.from_bits(b)))
}

/// Widens binary16 values (one per lane, zero-extended) exactly to `f32`.
///
/// The exponent and mantissa shifted into place read as an `f32` `2^112`
/// times too small; one exact product by `2^112` rescales a normal value.
/// A subnormal one (exponent 0, mantissa `m`) is `m 2^-24`, formed as
/// `(1 + m/1024) 2^-14 - 2^-14`, exactly, from normal operands only, so the
/// result is the same when the CPU treats subnormal inputs as zero (DAZ),
/// as F16C's conversion does. Infinities and NaN (exponent 31) get the
/// `f32` exponent 255 instead, and a NaN is quieted.
#[inline(always)]
pub(crate) fn f16_to_f32<S: Simd>(s: S, h: S::I) -> S::F {
    let sign = s.shl::<16>(and(s, h, int(s, 0x8000)));
    let shifted = s.shl::<13>(and(s, h, int(s, 0x7fff)));
    let scaled = s.mul(s.from_bits(shifted), s.splat(f32::from_bits(0x7780_0000)));
    let min_normal = s.splat(f32::from_bits(0x3880_0000));
    let subnormal = s.sub(s.from_bits(or(s, shifted, int(s, 0x3880_0000))), min_normal);
    // A subnormal (or zero) input scales to below 2^-14, or to zero under DAZ.
    let finite = s.select(s.lt(scaled, min_normal), subnormal, scaled);
    let special = s.from_bits(or(s, shifted, int(s, 0x7f80_0000)));
    let special = s.keep_nan(special, special);
    let magnitude = s.select(s.ge(scaled, s.splat(65536.0)), special, finite);
    s.or(magnitude, s.from_bits(sign))
}

/// Rounds each lane to binary16, to nearest even, with the bits of
/// `half::f16::from_f32`, in the low 16 bits of each integer lane.
///
/// Normal results: rebias the exponent and round at mantissa bit 13 by
/// adding `0xfff` plus the bit that is kept (ties to even). Subnormal
/// results (`|v| < 2^-14`): adding `0.5` rounds `|v|` to a multiple of
/// `2^-24` in the float unit, and the mantissa of the sum is the result.
/// `|v| >= 65536` gives infinity (smaller values that round up reach it by
/// the carry); a NaN keeps the top ten bits of its payload, quieted.
#[inline(always)]
pub(crate) fn f32_to_f16<S: Simd>(s: S, v: S::F) -> S::I {
    let bits = s.to_bits(v);
    let a = s.abs(v);
    let abits = s.to_bits(a);
    let kept = and(s, s.shr::<13>(abits), int(s, 1));
    let rebias = ((15_i32 - 127) << 23) as u32 + 0xfff;
    let normal = s.shr::<13>(s.add_i32(s.add_i32(abits, int(s, rebias)), kept));
    let half_bits = 0.5f32.to_bits();
    let subnormal = s.add_i32(
        s.to_bits(s.add(a, s.splat(0.5))),
        int(s, half_bits.wrapping_neg()),
    );
    let finite = select(
        s,
        s.lt(a, s.splat(f32::from_bits(0x3880_0000))),
        subnormal,
        normal,
    );
    let rounded = select(s, s.ge(a, s.splat(65536.0)), int(s, 0x7c00), finite);
    let nan = or(s, and(s, s.shr::<13>(abits), int(s, 0x3ff)), int(s, 0x7e00));
    let magnitude = select(s, s.is_nan(v), nan, rounded);
    or(s, magnitude, s.shr::<16>(and(s, bits, int(s, 0x8000_0000))))
}

/// Rounds each lane to bfloat16, to nearest even, with the bits of
/// `half::bf16::from_f32`, in the low 16 bits of each integer lane: add
/// `0x7fff` plus the lowest bit that is kept, and keep the high half. A NaN
/// keeps the top of its payload, quieted.
#[inline(always)]
pub(crate) fn f32_to_bf16<S: Simd>(s: S, v: S::F) -> S::I {
    let high = s.shr::<16>(s.to_bits(v));
    let rounded = s.shr::<16>(bf16_rounded_high(s, v));
    select(s, s.is_nan(v), or(s, high, int(s, 0x40)), rounded)
}

/// The rounding of [`f32_to_bf16`] before its shift: each lane's bits plus
/// `0x7fff` plus the lowest bit that is kept, whose high half is the
/// bfloat16 rounded to nearest even (for a lane that is not NaN; a NaN's
/// high half stays as it is where its low 16 bits are zero).
#[inline(always)]
pub(crate) fn bf16_rounded_high<S: Simd>(s: S, v: S::F) -> S::I {
    let bits = s.to_bits(v);
    let kept = and(s, s.shr::<16>(bits), int(s, 1));
    s.add_i32(s.add_i32(bits, int(s, 0x7fff)), kept)
}

/// Two vectors from `2 * LANES` bfloat16 values read as `LANES` 32-bit
/// lanes, each holding two neighbours (the first in its low half, as
/// little-endian memory lays them out): the first vector holds the values at
/// even positions, the second those at odd positions, each widened exactly
/// (its bits shifted into the high half). For elementwise work on
/// bfloat16-to-bfloat16 slices, which [`bf16_pairs_to_lanes`] interleaves
/// back: no shuffle, where widening in order takes one per vector (AVX2's
/// `vpshufb` after a broadcast load, AVX-512's `vpmovzxwd`).
#[inline(always)]
pub(crate) fn bf16_pairs_from_lanes<S: Simd>(s: S, pairs: S::I) -> [S::F; 2] {
    [
        s.from_bits(s.shl::<16>(pairs)),
        s.from_bits(and(s, pairs, int(s, 0xffff_0000))),
    ]
}

/// The inverse of [`bf16_pairs_from_lanes`] for the rounded values: the
/// lanes whose low halves hold the first vector's bfloat16 results and whose
/// high halves hold the second's, rounded as [`f32_to_bf16`] rounds (the
/// NaN test skipped when `NO_NAN`, where every NaN lane, if any, is a quiet
/// NaN whose low 16 bits are zero, which the rounding alone keeps: the
/// contract of [`Simd::store_bf16_no_nan`]).
#[inline(always)]
pub(crate) fn bf16_pairs_to_lanes<S: Simd, const NO_NAN: bool>(
    s: S,
    [even, odd]: [S::F; 2],
) -> S::I {
    // The shifts are arithmetic: the low halves are masked.
    let (low, high) = if NO_NAN {
        let high = and(s, bf16_rounded_high(s, odd), int(s, 0xffff_0000));
        (s.shr::<16>(bf16_rounded_high(s, even)), high)
    } else {
        (f32_to_bf16(s, even), s.shl::<16>(f32_to_bf16(s, odd)))
    };
    or(s, and(s, low, int(s, 0xffff)), high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Isa;
    use crate::dispatch::{SimdJob, on_isa};
    use crate::simd::scalar::Scalar;

    /// Every `stride`-th `f32` bit pattern, plus every pattern within 64 of
    /// the binary16 and bfloat16 boundaries (the rounding points near the
    /// largest finite values, the smallest normals and the subnormals).
    fn inputs(stride: u32) -> Vec<f32> {
        let mut bits: Vec<u32> = (0..=u32::MAX / stride).map(|k| k * stride).collect();
        let edges = [
            0x477f_e000u32, // 65504, the largest binary16
            0x477f_f000,    // 65520, where binary16 rounds to infinity
            0x4780_0000,    // 65536
            0x3880_0000,    // 2^-14, the smallest normal binary16
            0x3380_0000,    // 2^-24, the smallest subnormal binary16
            0x3300_0000,    // 2^-25, half of it
            0x7f7f_8000,    // where bfloat16 rounds to infinity
            0x0080_0000,    // the smallest normal f32
            0x7f80_0000,    // infinity, and the NaN just above it
            0x0000_0000,
        ];
        for e in edges {
            for d in 0..128u32 {
                let b = e.wrapping_add(d).wrapping_sub(64);
                bits.push(b);
                bits.push(b | 0x8000_0000);
            }
        }
        bits.into_iter().map(f32::from_bits).collect()
    }

    /// `x` with each NaN replaced by the default NaN of its sign (quiet, low
    /// 16 bits zero), which the bfloat16 roundings without a NaN test take.
    fn with_default_nans(x: &[f32]) -> Vec<f32> {
        let default = |v: f32| f32::from_bits(v.to_bits() & 0x8000_0000 | 0x7fc0_0000);
        x.iter()
            .map(|&v| if v.is_nan() { default(v) } else { v })
            .collect()
    }

    /// `narrow` on the scalar path gives `want`'s bits on every input.
    fn check_narrowing(narrow: fn(Scalar, f32) -> i32, want: fn(f32) -> u16) {
        for v in inputs(997) {
            let got = narrow(Scalar, v) as u16;
            assert_eq!(got, want(v), "{v:e} ({:#010x})", v.to_bits());
        }
    }

    #[test]
    fn f32_to_f16_is_halfs_from_f32() {
        check_narrowing(f32_to_f16, |v| half::f16::from_f32(v).to_bits());
    }

    #[test]
    fn f32_to_bf16_is_halfs_from_f32() {
        check_narrowing(f32_to_bf16, |v| half::bf16::from_f32(v).to_bits());
    }

    /// Stores `x` as bfloat16 in `y` with a path's [`Simd::store_bf16`], a
    /// vector at a time. `HARDWARE` is the job's `WRITES_BF16`: true gives
    /// the form the slice functions with bfloat16 outputs run, which on
    /// AVX-512 uses AVX512_BF16's conversion where the CPU has it; false
    /// keeps AVX-512 on the portable form, as on the CPUs without it.
    /// `NO_NAN` stores with [`Simd::store_bf16_no_nan`] instead, `GROUP`
    /// with [`Simd::store_bf16_group`], four vectors at a time (`x` then a
    /// multiple of 64 long).
    struct StoreBf16<'a, const HARDWARE: bool, const NO_NAN: bool, const GROUP: bool = false> {
        x: &'a [f32],
        y: &'a mut [u16],
    }

    impl<const HARDWARE: bool, const NO_NAN: bool, const GROUP: bool> SimdJob
        for StoreBf16<'_, HARDWARE, NO_NAN, GROUP>
    {
        type Output = ();
        const WRITES_BF16: bool = HARDWARE;

        #[inline(always)]
        fn run<S: Simd>(self, s: S) {
            let (x, y) = (
                self.x.chunks_exact(S::LANES),
                self.y.chunks_exact_mut(S::LANES),
            );
            if GROUP {
                let (x, y) = (
                    self.x.chunks_exact(4 * S::LANES),
                    self.y.chunks_exact_mut(4 * S::LANES),
                );
                for (x, y) in x.zip(y) {
                    // SAFETY: each chunk holds `4 * LANES` elements.
                    unsafe {
                        let v = [0, 1, 2, 3].map(|k| s.load(x.as_ptr().add(k * S::LANES)));
                        s.store_bf16_group(y.as_mut_ptr(), v);
                    }
                }
                return;
            }
            for (x, y) in x.zip(y) {
                // SAFETY: each chunk holds `LANES` elements.
                unsafe {
                    if NO_NAN {
                        s.store_bf16_no_nan(y.as_mut_ptr(), s.load(x.as_ptr()));
                    } else {
                        s.store_bf16(y.as_mut_ptr(), s.load(x.as_ptr()));
                    }
                }
            }
        }
    }

    /// [`Simd::store_bf16`] on path `isa`, in the form the slice functions
    /// with bfloat16 outputs run (`hardware` true) or in the portable one,
    /// gives `half::bf16::from_f32`'s bits on every input of `x` (whose
    /// length is a multiple of 16); with `no_nan`, so does
    /// [`Simd::store_bf16_no_nan`] (for an `x` without other NaNs than the
    /// default ones).
    fn check_store_bf16(isa: Isa, hardware: bool, no_nan: bool, x: &[f32]) {
        assert_eq!(x.len() % 16, 0);
        let mut y = vec![0u16; x.len()];
        // SAFETY: the callers pass available paths; the job's slices are its
        // own.
        unsafe {
            match (hardware, no_nan) {
                (true, false) => on_isa(isa, StoreBf16::<true, false> { x, y: &mut y }),
                (false, false) => on_isa(isa, StoreBf16::<false, false> { x, y: &mut y }),
                (true, true) => on_isa(isa, StoreBf16::<true, true> { x, y: &mut y }),
                (false, true) => on_isa(isa, StoreBf16::<false, true> { x, y: &mut y }),
            }
        }
        check_bf16_bits(
            isa,
            &format!("hardware form: {hardware}, no NaN test: {no_nan}"),
            x,
            &y,
        );
    }

    /// [`Simd::store_bf16_group`] on path `isa`, four vectors at a time
    /// (`x` a multiple of 64 long), in the form the slice functions run.
    fn check_store_bf16_group(isa: Isa, x: &[f32]) {
        let mut y = vec![0u16; x.len()];
        // SAFETY: an available path; the job's slices are its own.
        unsafe { on_isa(isa, StoreBf16::<true, false, true> { x, y: &mut y }) };
        check_bf16_bits(isa, "group", x, &y);
    }

    /// `y` holds `half::bf16::from_f32`'s bits of each input of `x`.
    fn check_bf16_bits(isa: Isa, form: &str, x: &[f32], y: &[u16]) {
        for (&v, &got) in x.iter().zip(y) {
            let want = half::bf16::from_f32(v).to_bits();
            assert_eq!(got, want, "{isa} ({form}): {v:e} ({:#010x})", v.to_bits());
        }
    }

    /// [`Simd::store_bf16`] on every path: the strided sweep and the edges
    /// of [`inputs`]; every rounding tie, and the patterns beside it, at
    /// every bfloat16 value (the NaN boundaries and the values near
    /// `f32::MAX` among them); every subnormal in vectors that mix them with
    /// other values, and the first 2^16 in vectors of subnormals only.
    #[test]
    fn store_bf16_is_halfs_from_f32_on_every_path() {
        let mut x = inputs(997);
        for high in 0..=u32::from(u16::MAX) {
            for low in [0, 1, 0x7fff, 0x8000, 0x8001, 0xffff] {
                x.push(f32::from_bits(high << 16 | low));
            }
        }
        let others = x.clone();
        let subnormals = (1..0x0080_0000u32).flat_map(|m| [m, m | 0x8000_0000]);
        x.extend(subnormals.clone().take(1 << 16).map(f32::from_bits));
        for (i, bits) in subnormals.enumerate() {
            x.push(f32::from_bits(bits));
            x.push(others[i % others.len()]);
        }
        // Groups of four vectors of both kinds for the group store: with
        // subnormal lanes (the interleaved ones above, on every path) and
        // without (the sweep and the ties before them).
        x.resize(x.len().next_multiple_of(64), 1.0);
        // The NaN-free store: the same inputs with the NaNs other than the
        // two default ones replaced by them.
        let default_nans = with_default_nans(&x);
        for &isa in Isa::available() {
            check_store_bf16_group(isa, &x);
            check_store_bf16(isa, true, false, &x);
            check_store_bf16(isa, false, false, &x);
            check_store_bf16(isa, true, true, &default_nans);
            check_store_bf16(isa, false, true, &default_nans);
        }
    }

    /// The AVX-512 path's [`Simd::store_bf16`] with AVX512_BF16's
    /// `vcvtneps2bf16` and its [`Simd::store_bf16_group`] with
    /// `vcvtne2ps2bf16` (when the CPU has them), over all 2^32 `f32` bit
    /// patterns: the instructions' rounding and NaN rule, the order of the
    /// two vectors of one `vcvtne2ps2bf16`, and the handling of the
    /// subnormal inputs, which they alone would read as zero.
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    #[test]
    fn avx512_bf16_store_is_halfs_from_f32_for_every_input() {
        if !(Isa::Avx512.is_available() && crate::isa::has_avx512_bf16()) {
            return;
        }
        const BLOCK: u32 = 1 << 22;
        let mut x = vec![0.0f32; BLOCK as usize];
        for start in (0..=u32::MAX - (BLOCK - 1)).step_by(BLOCK as usize) {
            for (i, v) in x.iter_mut().enumerate() {
                *v = f32::from_bits(start + i as u32);
            }
            check_store_bf16(Isa::Avx512, true, false, &x);
            check_store_bf16_group(Isa::Avx512, &x);
        }
    }

    #[test]
    fn f16_to_f32_is_halfs_to_f32_for_every_input() {
        for h in 0..=u16::MAX {
            let got = f16_to_f32(Scalar, i32::from(h));
            let want = half::f16::from_bits(h).to_f32();
            assert_eq!(got.to_bits(), want.to_bits(), "{h:#06x}");
        }
    }

    #[test]
    fn bf16_widening_is_exact_for_every_input() {
        for h in 0..=u16::MAX {
            // SAFETY: `h` is one readable `u16`.
            let got = unsafe { Scalar.load_bf16(&h) };
            let want = half::bf16::from_bits(h).to_f32();
            // `half` quiets a signalling NaN on widening; the load keeps it
            // (every function quiets its NaN result anyway).
            if want.is_nan() {
                assert!(got.is_nan() && got.to_bits() | 0x0040_0000 == want.to_bits());
            } else {
                assert_eq!(got.to_bits(), want.to_bits(), "{h:#06x}");
            }
        }
    }

    /// Widens pairs of bfloat16 values with [`bf16_pairs_from_lanes`] and
    /// rounds them back with [`bf16_pairs_to_lanes`] (with the NaN test, or
    /// without it where `NO_NAN`), `2 * LANES` elements at a time: `wide`
    /// gets the widened values in memory order, `y` the rounded bits of `x`.
    struct Bf16Pairs<'a, const NO_NAN: bool> {
        h: &'a [u16],
        wide: &'a mut [f32],
        x: &'a [f32],
        y: &'a mut [u16],
    }

    impl<const NO_NAN: bool> SimdJob for Bf16Pairs<'_, NO_NAN> {
        type Output = ();

        #[inline(always)]
        fn run<S: Simd>(self, s: S) {
            let n = 2 * S::LANES;
            for (h, wide) in self.h.chunks_exact(n).zip(self.wide.chunks_exact_mut(n)) {
                // SAFETY: each chunk holds `2 * LANES` elements, `LANES`
                // four-byte lanes of `h`.
                let [even, odd] =
                    bf16_pairs_from_lanes(s, s.to_bits(unsafe { s.load(h.as_ptr().cast()) }));
                let (mut e, mut o) = ([0.0f32; 16], [0.0f32; 16]);
                // SAFETY: `e` and `o` hold at least `LANES` elements.
                unsafe {
                    s.store(e.as_mut_ptr(), even);
                    s.store(o.as_mut_ptr(), odd);
                }
                for (j, pair) in wide.chunks_exact_mut(2).enumerate() {
                    pair.copy_from_slice(&[e[j], o[j]]);
                }
            }
            for (x, y) in self.x.chunks_exact(n).zip(self.y.chunks_exact_mut(n)) {
                let (e, o): (Vec<f32>, Vec<f32>) = x.chunks_exact(2).map(|p| (p[0], p[1])).unzip();
                // SAFETY: `e` and `o` hold `LANES` elements, `y` `LANES`
                // four-byte lanes.
                unsafe {
                    let pair = [s.load(e.as_ptr()), s.load(o.as_ptr())];
                    let lanes = bf16_pairs_to_lanes::<S, NO_NAN>(s, pair);
                    s.store(y.as_mut_ptr().cast(), s.from_bits(lanes));
                }
            }
        }
    }

    /// The pairs of [`bf16_pairs_from_lanes`] are every bfloat16 value
    /// widened exactly, in memory order once interleaved, and
    /// [`bf16_pairs_to_lanes`] rounds as `half::bf16::from_f32`, with and
    /// without its NaN test, on every path (whichever the driver uses).
    #[test]
    fn bf16_pairs_widen_and_round_as_half_on_every_path() {
        let h: Vec<u16> = (0..=u16::MAX).collect();
        let mut x = inputs(997);
        x.resize(x.len().next_multiple_of(32), -1.0);
        // The NaNs a loop may round without the test: the default ones.
        let no_nan = with_default_nans(&x);
        for &isa in Isa::available() {
            for (x, with_test) in [(&x, true), (&no_nan, false)] {
                let mut wide = vec![0.0f32; h.len()];
                let mut y = vec![0u16; x.len()];
                let (h, wide, y) = (&h[..], &mut wide[..], &mut y[..]);
                // SAFETY: available paths; the job's slices are its own.
                unsafe {
                    if with_test {
                        on_isa(isa, Bf16Pairs::<false> { h, wide, x, y });
                    } else {
                        on_isa(isa, Bf16Pairs::<true> { h, wide, x, y });
                    }
                }
                // Exact widening: the bits moved up (a NaN keeps its payload,
                // as the loads in order do).
                for (&h, w) in h.iter().zip(wide.iter()) {
                    assert_eq!(w.to_bits(), u32::from(h) << 16, "{isa}: {h:#06x}");
                }
                for (&v, &got) in x.iter().zip(y.iter()) {
                    let want = half::bf16::from_f32(v).to_bits();
                    assert_eq!(got, want, "{isa} (NaN test: {with_test}): {v:e}");
                }
            }
        }
    }
}
