//! AVX-512 backend: sixteen lanes in a `__m512`, on pulp's `V4` token
//! (AVX-512 F, BW, CD, DQ and VL on top of x86-64-v3).
//!
//! Masks are `__mmask16` bit masks; tails use masked loads and stores, which
//! suppress faults on the masked-off lanes.
//!
//! The backend comes in two forms that differ only in how they move
//! bfloat16 ([`Simd::store_bf16`], [`Simd::store_bf16_group`],
//! [`Simd::store_bf16_no_nan`], and the loop's forms for it,
//! [`Simd::BF16_PAIRS`], which widens as well, and
//! [`Simd::BF16_STORE_NO_NAN`]): `Avx512<false>`, for every x86-64-v4
//! CPU, rounds to bfloat16 with the portable integer sequence (and moves
//! `bf16`-to-`bf16` data as pairs of vectors, as AVX2 does);
//! `Avx512<true>`, for the CPUs that also have AVX512_BF16 (Cooper Lake,
//! Sapphire Rapids and later, Zen 4 and later), with `vcvtneps2bf16` and
//! `vcvtne2ps2bf16`, the same bits. Dispatch picks the second only for
//! the jobs that store bfloat16 (`dispatch::on_isa`), so every other job is
//! compiled once.

use super::{Simd, convert};
#[cfg(target_arch = "x86")]
use core::arch::x86::*;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;
use pulp::x86::V4;

/// The AVX-512 backend. A value exists only when the CPU supports the
/// x86-64-v4 feature set, and, with `BF16` true, AVX512_BF16 as well.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx512<const BF16: bool = false>(V4);

impl Avx512 {
    /// The backend for every x86-64-v4 CPU.
    pub(crate) fn new(token: V4) -> Avx512 {
        Avx512(token)
    }
}

impl Avx512<true> {
    /// The backend whose [`Simd::store_bf16`] uses AVX512_BF16's
    /// `vcvtneps2bf16`.
    ///
    /// # Safety
    /// The CPU must support AVX512_BF16, and the backend's primitives must be
    /// inlined into a function that enables it (`dispatch::on_isa`'s entry
    /// function), for the conversion to inline.
    pub(crate) unsafe fn with_bf16(token: V4) -> Avx512<true> {
        Avx512(token)
    }
}

impl<const BF16: bool> Avx512<BF16> {
    /// A shift count for the `vpsxxd zmm, zmm, xmm` forms (the immediate forms
    /// take an unsigned const generic, which a generic `i32` cannot feed).
    #[inline(always)]
    fn count(self, n: i32) -> __m128i {
        self.0.sse2._mm_cvtsi32_si128(n)
    }
}

impl<const BF16: bool> Avx512<BF16> {
    /// One `vfixupimmps`: each lane of `x` is classed (token 0 QNaN, 1 SNaN,
    /// 2 zero, 3 +1, 4 -inf, 5 +inf, 6 other negative, 7 other positive;
    /// with MXCSR.DAZ clear, as Rust leaves it, a subnormal is a negative or
    /// positive value, not zero), and the lane's result is the response in
    /// bits `4 token..4 token + 3` of `table`: 0 keeps `y`, 1 gives `x`, 2
    /// `x` quieted (and the other responses, constants, are not used here).
    #[inline(always)]
    fn fixup(self, x: __m512, y: __m512, table: i32) -> __m512 {
        let table = self.0.avx512f._mm512_set1_epi32(table);
        self.0.avx512f._mm512_fixupimm_ps::<0>(y, x, table)
    }
}

impl<const BF16: bool> Avx512<BF16> {
    /// One `vcvtneps2bf16`: each lane rounded to bfloat16, to nearest even,
    /// a NaN quieted (keeping its sign and the top of its payload), but a
    /// subnormal lane read as zero.
    ///
    /// # Safety
    /// `BF16` must be true: only `with_bf16` makes such a value, whose
    /// caller guarantees AVX512_BF16.
    #[inline(always)]
    unsafe fn cvtneps_bf16(self, v: __m512) -> __m256i {
        debug_assert!(BF16);
        // SAFETY: AVX512_BF16, by the caller's guarantee; `__m256bh` and
        // `__m256i` are both 32 bytes of plain bits.
        unsafe { core::mem::transmute(_mm512_cvtneps_pbh(v)) }
    }

    /// One `vcvtne2ps2bf16`: `first` then `second` rounded as by
    /// [`Avx512::cvtneps_bf16`] (a subnormal lane read as zero), in one
    /// register, `first` in the low half.
    ///
    /// # Safety
    /// `BF16` must be true, as for [`Avx512::cvtneps_bf16`].
    #[inline(always)]
    unsafe fn cvtne2ps_bf16(self, first: __m512, second: __m512) -> __m512i {
        debug_assert!(BF16);
        // SAFETY: AVX512_BF16, by the caller's guarantee; `__m512bh` and
        // `__m512i` are both 64 bytes of plain bits. The instruction's
        // second source fills the low half.
        unsafe { core::mem::transmute(_mm512_cvtne2ps_pbh(second, first)) }
    }
}

impl<const BF16: bool> Simd for Avx512<BF16> {
    const NATIVE_SCALING: bool = true;
    const PREFETCH: bool = true;
    const STREAM: bool = true;
    const LANES: usize = 16;
    /// Without AVX512_BF16 (the portable integer rounding), as on AVX2:
    /// the NaN test skipped where no input is NaN, and `bf16`-to-`bf16`
    /// data moved as pairs of vectors (see [`Simd::BF16_PAIRS`]).
    const BF16_STORE_NO_NAN: bool = !BF16;
    const BF16_PAIRS: bool = !BF16;
    type F = __m512;
    type I = __m512i;
    type M = __mmask16;

    #[inline(always)]
    fn splat(self, v: f32) -> __m512 {
        self.0.avx512f._mm512_set1_ps(v)
    }
    #[inline(always)]
    unsafe fn load(self, ptr: *const f32) -> __m512 {
        // SAFETY: the caller guarantees 16 readable floats at `ptr`; the token
        // proves AVX-512F is available.
        unsafe { self.0.avx512f._mm512_loadu_ps(ptr) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut f32, v: __m512) {
        // SAFETY: the caller guarantees 16 writable floats at `ptr`.
        unsafe { self.0.avx512f._mm512_storeu_ps(ptr, v) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut f32, v: __m512) {
        // SAFETY: the caller guarantees 16 writable floats at `ptr`, aligned
        // to their size as `vmovntps` requires.
        unsafe { self.0.avx512f._mm512_stream_ps(ptr, v) }
    }
    #[inline(always)]
    fn stream_fence(self) {
        self.0.sse._mm_sfence();
    }
    #[inline(always)]
    unsafe fn load_partial(self, ptr: *const f32, n: usize) -> __m512 {
        let k = ((1u32 << n) - 1) as __mmask16;
        // SAFETY: masked-off lanes are neither read nor can they fault; the
        // first `n` lanes are readable by the caller's guarantee.
        unsafe { self.0.avx512f._mm512_maskz_loadu_ps(k, ptr) }
    }
    #[inline(always)]
    unsafe fn store_partial(self, ptr: *mut f32, n: usize, v: __m512) {
        let k = ((1u32 << n) - 1) as __mmask16;
        // SAFETY: only the first `n` lanes are written, all writable by the
        // caller's guarantee.
        unsafe { self.0.avx512f._mm512_mask_storeu_ps(ptr, k, v) }
    }

    #[inline(always)]
    fn add(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_add_ps(a, b)
    }
    #[inline(always)]
    fn sub(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_sub_ps(a, b)
    }
    #[inline(always)]
    fn mul(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_mul_ps(a, b)
    }
    #[inline(always)]
    fn div(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_div_ps(a, b)
    }
    #[inline(always)]
    fn mul_add(self, a: __m512, b: __m512, c: __m512) -> __m512 {
        self.0.avx512f._mm512_fmadd_ps(a, b, c)
    }

    #[inline(always)]
    fn and(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512dq._mm512_and_ps(a, b)
    }
    #[inline(always)]
    fn or(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512dq._mm512_or_ps(a, b)
    }
    #[inline(always)]
    fn xor(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512dq._mm512_xor_ps(a, b)
    }
    #[inline(always)]
    fn and_not(self, a: __m512, b: __m512) -> __m512 {
        // vandnps computes `!first & second`.
        self.0.avx512dq._mm512_andnot_ps(b, a)
    }

    #[inline(always)]
    fn lt(self, a: __m512, b: __m512) -> __mmask16 {
        self.0.avx512f._mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, b)
    }
    #[inline(always)]
    fn le(self, a: __m512, b: __m512) -> __mmask16 {
        self.0.avx512f._mm512_cmp_ps_mask::<_CMP_LE_OQ>(a, b)
    }
    #[inline(always)]
    fn eq(self, a: __m512, b: __m512) -> __mmask16 {
        self.0.avx512f._mm512_cmp_ps_mask::<_CMP_EQ_OQ>(a, b)
    }
    #[inline(always)]
    fn is_nan(self, a: __m512) -> __mmask16 {
        self.0.avx512f._mm512_cmp_ps_mask::<_CMP_UNORD_Q>(a, a)
    }
    #[inline(always)]
    fn sign_mask(self, a: __m512) -> __mmask16 {
        // A compare, as `lt`: `vpmovd2m` of the sign bits measured up to 3%
        // slower in `sigmoid`.
        self.lt(a, self.splat(0.0))
    }
    #[inline(always)]
    fn select(self, m: __mmask16, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_mask_blend_ps(m, b, a)
    }
    #[inline(always)]
    fn mask_and(self, a: __mmask16, b: __mmask16) -> __mmask16 {
        a & b
    }
    #[inline(always)]
    fn mask_or(self, a: __mmask16, b: __mmask16) -> __mmask16 {
        a | b
    }
    #[inline(always)]
    fn mask_not(self, a: __mmask16) -> __mmask16 {
        !a
    }
    #[inline(always)]
    fn any(self, m: __mmask16) -> bool {
        m != 0
    }

    #[inline(always)]
    fn to_bits(self, a: __m512) -> __m512i {
        self.0.avx512f._mm512_castps_si512(a)
    }
    #[inline(always)]
    fn from_bits(self, a: __m512i) -> __m512 {
        self.0.avx512f._mm512_castsi512_ps(a)
    }
    #[inline(always)]
    fn shl<const N: i32>(self, a: __m512i) -> __m512i {
        self.0.avx512f._mm512_sll_epi32(a, self.count(N))
    }
    #[inline(always)]
    fn shr<const N: i32>(self, a: __m512i) -> __m512i {
        self.0.avx512f._mm512_sra_epi32(a, self.count(N))
    }
    #[inline(always)]
    fn lookup16(self, table: &[f32; 16], idx: __m512i) -> __m512 {
        // SAFETY: `table` holds exactly 16 floats.
        let t = unsafe { self.0.avx512f._mm512_loadu_ps(table.as_ptr()) };
        // vpermps uses the low four bits of each index.
        self.0.avx512f._mm512_permutexvar_ps(idx, t)
    }
    #[inline(always)]
    unsafe fn load_u16(self, ptr: *const u16) -> __m512i {
        // SAFETY: the caller guarantees 16 readable `u16` (32 bytes) at `ptr`.
        let h = unsafe { self.0.avx._mm256_loadu_si256(ptr.cast()) };
        self.0.avx512f._mm512_cvtepu16_epi32(h)
    }
    #[inline(always)]
    unsafe fn store_u16(self, ptr: *mut u16, v: __m512i) {
        // `vpmovdw` keeps the low half of each lane.
        let h = self.0.avx512f._mm512_cvtepi32_epi16(v);
        // SAFETY: the caller guarantees 16 writable `u16` (32 bytes) at `ptr`.
        unsafe { self.0.avx._mm256_storeu_si256(ptr.cast(), h) }
    }
    #[inline(always)]
    fn add_i32(self, a: __m512i, b: __m512i) -> __m512i {
        self.0.avx512f._mm512_add_epi32(a, b)
    }
    #[inline(always)]
    fn sub_i32(self, a: __m512i, b: __m512i) -> __m512i {
        self.0.avx512f._mm512_sub_epi32(a, b)
    }
    #[inline(always)]
    fn max_i32(self, a: __m512i, b: __m512i) -> __m512i {
        self.0.avx512f._mm512_max_epi32(a, b)
    }
    #[inline(always)]
    unsafe fn load_f16(self, ptr: *const u16) -> __m512 {
        // SAFETY: the caller guarantees 16 readable `u16` (32 bytes) at `ptr`.
        let h = unsafe { self.0.avx._mm256_loadu_si256(ptr.cast()) };
        // SAFETY: `vcvtph2ps zmm` is AVX-512F, which the token proves.
        unsafe { _mm512_cvtph_ps(h) }
    }
    #[inline(always)]
    unsafe fn store_f16(self, ptr: *mut u16, v: __m512) {
        // Immediate 0 rounds to nearest even, whatever MXCSR says, with the
        // bits of the portable form.
        let h = self
            .0
            .avx512f
            ._mm512_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v);
        // SAFETY: the caller guarantees 16 writable `u16` (32 bytes) at `ptr`.
        unsafe { self.0.avx._mm256_storeu_si256(ptr.cast(), h) }
    }
    #[inline(always)]
    unsafe fn store_bf16(self, ptr: *mut u16, v: __m512) {
        if !BF16 {
            // SAFETY: the caller's guarantee.
            return unsafe { self.store_u16(ptr, convert::f32_to_bf16(self, v)) };
        }
        let (f, bw) = (self.0.avx512f, self.0.avx512bw);
        // `vcvtneps2bf16` rounds to nearest even and quiets a NaN (keeping
        // its sign and the top of its payload) as the portable form does,
        // but reads a subnormal input as zero. A subnormal lane (`vfpclassps`
        // class 0x20) gets the exponent field 1 instead: `v` plus 2^-126 of
        // its sign, exact, whose bits below the exponent are `v`'s and whose
        // bfloat16 spacing is the same (2^-133), so it rounds as `v` does;
        // subtracting 2^-126 (0x0080) from the rounded bits then gives `v`'s,
        // a round up to 2^-126 included. Masked operations rather than a
        // branch: a test and a branch per vector, even never taken, measure
        // slower (the driver's loops test four vectors at once instead, with
        // `store_bf16_group`).
        let subnormal = self.0.avx512dq._mm512_fpclass_ps_mask::<0x20>(v);
        let bits = f._mm512_castps_si512(v);
        let lifted =
            f._mm512_mask_or_epi32(bits, subnormal, bits, f._mm512_set1_epi32(0x0080_0000));
        // SAFETY: `BF16`, tested above.
        let h = unsafe { self.cvtneps_bf16(f._mm512_castsi512_ps(lifted)) };
        let h = bw._mm256_mask_sub_epi16(h, subnormal, h, self.0.avx._mm256_set1_epi16(0x0080));
        // SAFETY: the caller guarantees 16 writable `u16` (32 bytes) at `ptr`.
        unsafe { self.0.avx._mm256_storeu_si256(ptr.cast(), h) }
    }
    #[inline(always)]
    unsafe fn store_bf16_no_nan(self, ptr: *mut u16, v: __m512) {
        if BF16 {
            // SAFETY: the caller's guarantee.
            return unsafe { self.store_bf16(ptr, v) };
        }
        // The rounding alone (the contract leaves a NaN's high half as it
        // is), its high half shifted down; `vpmovdw` keeps the low halves.
        let rounded = self.shr::<16>(convert::bf16_rounded_high(self, v));
        // SAFETY: the caller guarantees 16 writable `u16` at `ptr`.
        unsafe { self.store_u16(ptr, rounded) }
    }
    #[inline(always)]
    unsafe fn store_bf16_group<const N: usize>(self, ptr: *mut u16, v: [__m512; N]) {
        if BF16 {
            let dq = self.0.avx512dq;
            let subnormal = v
                .iter()
                .fold(0, |m, &v| m | dq._mm512_fpclass_ps_mask::<0x20>(v));
            if subnormal == 0 {
                // Two vectors per `vcvtne2ps2bf16`, which costs what one
                // `vcvtneps2bf16` does on Zen 4 (see the README's "Zen 4's
                // pipes"), and one 64-byte store; an odd last vector alone.
                let mut k = 0;
                while k + 1 < N {
                    // SAFETY: `BF16`, tested above (no lane is subnormal).
                    let h = unsafe { self.cvtne2ps_bf16(v[k], v[k + 1]) };
                    // SAFETY: the caller guarantees `N * 16` writable `u16`.
                    unsafe {
                        self.0
                            .avx512f
                            ._mm512_storeu_si512(ptr.add(16 * k).cast(), h)
                    }
                    k += 2;
                }
                if k < N {
                    // SAFETY: `BF16`, tested above (no lane is subnormal).
                    let h = unsafe { self.cvtneps_bf16(v[k]) };
                    // SAFETY: the caller guarantees `N * 16` writable `u16`.
                    unsafe { self.0.avx._mm256_storeu_si256(ptr.add(16 * k).cast(), h) }
                }
                return;
            }
        }
        // SAFETY: the caller's guarantee.
        unsafe { super::store_bf16_each(self, ptr, v) }
    }
    #[inline(always)]
    fn min(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_min_ps(a, b)
    }
    #[inline(always)]
    fn max(self, a: __m512, b: __m512) -> __m512 {
        self.0.avx512f._mm512_max_ps(a, b)
    }
    #[inline(always)]
    fn abs_min(self, a: __m512, b: __m512) -> __m512 {
        // imm8 bits 1:0 = 10b pick the operand of smaller magnitude, bits
        // 3:2 = 10b clear its sign: min(|a|, |b|), which is min(|a|, b) for
        // b > 0 (and the same value at a tie).
        self.0.avx512dq._mm512_range_ps::<0b1010>(a, b)
    }
    #[inline(always)]
    fn keep_nan(self, x: __m512, y: __m512) -> __m512 {
        // QNaN and SNaN (tokens 0 and 1) answer 2, "QNaN(x)" (`x` with the
        // quiet bit set).
        self.fixup(x, y, 0x22)
    }
    #[inline(always)]
    fn pass_zero_inf(self, x: __m512, y: __m512) -> __m512 {
        // Zero (token 2) and +inf (token 5) answer 1, `x` itself.
        self.fixup(x, y, 0x0010_0100)
    }
    #[inline(always)]
    fn is_zero_or_not_finite(self, a: __m512) -> __mmask16 {
        // Classes QNaN (0x01), +0 (0x02), -0 (0x04), +inf (0x08), -inf
        // (0x10) and SNaN (0x80).
        self.0.avx512dq._mm512_fpclass_ps_mask::<0x9f>(a)
    }
    #[inline(always)]
    fn is_normal(self, a: __m512) -> __mmask16 {
        // Every class but the normal ones (0x40 negative, and positive
        // finite, which has no bit): QNaN, ±0, ±inf, denormal, SNaN.
        !self.0.avx512dq._mm512_fpclass_ps_mask::<0xbf>(a)
    }
    #[inline(always)]
    fn select_finite(self, x: __m512, y: __m512) -> __m512 {
        // The finite classes answer 1, `x` itself: zero (token 2), +1 (3),
        // other negative (6) and positive (7) values.
        self.fixup(x, y, 0x1100_1100)
    }
    #[inline(always)]
    fn mul_pow2(self, v: __m512, n: __m512) -> __m512 {
        // vscalefps rounds `v * 2^n` once, as the portable form does when its
        // first product is exact.
        self.0.avx512f._mm512_scalef_ps(v, n)
    }
    #[inline(always)]
    fn mul_pow2_shifted(self, v: __m512, n: __m512, _shifted: __m512) -> __m512 {
        self.mul_pow2(v, n)
    }
    #[inline(always)]
    fn mul_pow2_normal(self, v: __m512, n: __m512, _shifted: __m512) -> __m512 {
        self.mul_pow2(v, n)
    }
    #[inline(always)]
    fn mul_pow2_shifted_add(self, b: __m512, v: __m512, n: __m512, _shifted: __m512) -> __m512 {
        self.add(b, self.mul_pow2(v, n))
    }
    #[inline(always)]
    fn mul_pow2_floor_shifted_sub<const F: i32>(
        self,
        b: __m512,
        v: __m512,
        n: __m512,
        _shifted: __m512,
    ) -> __m512 {
        // vscalefps floors `n`: the rounded `v * 2^floor(n)` in one step.
        self.sub(b, self.0.avx512f._mm512_scalef_ps(v, n))
    }
    #[inline(always)]
    fn mul_pow2_wide(self, v: __m512, n: __m512) -> __m512 {
        // vscalefps, as in `mul_pow2`.
        self.0.avx512f._mm512_scalef_ps(v, n)
    }
    #[inline(always)]
    fn mul_exp2(self, v: __m512, n: __m512) -> __m512 {
        // vscalefps: v * 2^floor(n), rounded once under the default rounding
        // mode, subnormal results included; `n` is an integer here.
        self.0.avx512f._mm512_scalef_ps(v, n)
    }
}
