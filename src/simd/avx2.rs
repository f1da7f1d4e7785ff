//! AVX2 + FMA backend: eight lanes in a `__m256`, on pulp's `V3` token.
//!
//! Masks are full-width lane masks (all ones or all zeros), tails use
//! `vmaskmovps`, which neither reads nor writes the masked-off lanes.

use super::{Simd, convert};
#[cfg(target_arch = "x86")]
use core::arch::x86::*;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;
use pulp::x86::V3;

/// Four lanes, half of a vector (see [`Avx2::join_halves`]).
#[cfg(not(any(simd_activations_native = "avx2", simd_activations_native = "avx512")))]
pub(crate) type Half = __m128;

/// The AVX2 + FMA backend. A value exists only when the CPU supports the
/// x86-64-v3 feature set (AVX, AVX2, FMA, BMI1/2, ...).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2(pub(crate) V3);

impl Avx2 {
    /// The vector whose lanes 0..4 are `lo`'s and 4..8 `hi`'s: one
    /// `vinsertf128`. For the eight lanes of a register of a build without
    /// every feature of this path (a `wide::f32x8` is two SSE registers
    /// without AVX), passed as two 128-bit values: each is read back at the
    /// width it was written, which store-to-load forwarding serves, where a
    /// 256-bit load over two 128-bit stores cannot be served so and waits
    /// until both stores have reached the L1 cache.
    ///
    /// Only the register functions of such a build call it.
    #[cfg(not(any(simd_activations_native = "avx2", simd_activations_native = "avx512")))]
    #[inline(always)]
    pub(crate) fn join_halves(self, lo: Half, hi: Half) -> __m256 {
        let avx = self.0.avx;
        avx._mm256_insertf128_ps::<1>(avx._mm256_castps128_ps256(lo), hi)
    }

    /// An integer mask whose first `n` lanes are set.
    #[inline(always)]
    fn prefix_mask(self, n: usize) -> __m256i {
        let avx = self.0.avx;
        let lane = avx._mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        self.0
            .avx2
            ._mm256_cmpgt_epi32(avx._mm256_set1_epi32(n as i32), lane)
    }

    /// Stores the high half of each lane of `v`: eight `u16`.
    ///
    /// # Safety
    /// `ptr` must be valid for writing 8 `u16` (16 bytes).
    #[inline(always)]
    unsafe fn store_high_halves(self, ptr: *mut u16, v: __m256i) {
        let (avx, avx2) = (self.0.avx, self.0.avx2);
        // The high half of each lane to the low eight bytes of its 128-bit
        // half, then the two halves together.
        let high = avx._mm256_setr_epi8(
            2, 3, 6, 7, 10, 11, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, 2, 3, 6, 7, 10, 11, 14, 15,
            -1, -1, -1, -1, -1, -1, -1, -1,
        );
        let packed = avx2._mm256_shuffle_epi8(v, high);
        let packed = avx2._mm256_permute4x64_epi64::<0b1000>(packed);
        // SAFETY: the caller guarantees 8 writable `u16` (16 bytes) at `ptr`.
        unsafe {
            self.0
                .sse2
                ._mm_storeu_si128(ptr.cast(), avx._mm256_castsi256_si128(packed))
        }
    }
}

impl Simd for Avx2 {
    const PREFETCH: bool = true;
    const STREAM: bool = true;
    const LANES: usize = 8;
    // Measured with `cargo run --release` on an AVX-512 Xeon, three runs
    // of each binary alternated, against four: `exp` 5% and `silu` 8%
    // faster, `sigmoid` and `gelu` 2-3%, `gelu_tanh` 2-3% slower, the others
    // within 1%. On Zen 4 four was faster for `softplus` alone beyond 3%,
    // which takes it through `Kernel::WIDE` (the README's Throughput
    // section), as `silu` does since its short form (2 to 5% there), and
    // `gelu_tanh` and `gelu_quick`, of `silu`'s form (1 to 5% on an Emerald
    // Rapids Xeon).
    const UNROLL: usize = 2;
    // `sigmoid` and `silu` on `bf16` 16 to 22% faster, `gelu` 8% (`cargo
    // run --release`, alternated runs at 4 Ki and 1 Mi).
    const BF16_STORE_NO_NAN: bool = true;
    const BF16_PAIRS: bool = true;
    type F = __m256;
    type I = __m256i;
    type M = __m256;

    #[inline(always)]
    fn splat(self, v: f32) -> __m256 {
        self.0.avx._mm256_set1_ps(v)
    }
    #[inline(always)]
    unsafe fn load(self, ptr: *const f32) -> __m256 {
        // SAFETY: the caller guarantees 8 readable floats at `ptr`; the token
        // proves AVX is available.
        unsafe { self.0.avx._mm256_loadu_ps(ptr) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut f32, v: __m256) {
        // SAFETY: the caller guarantees 8 writable floats at `ptr`.
        unsafe { self.0.avx._mm256_storeu_ps(ptr, v) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, ptr: *mut f32, v: __m256) {
        // SAFETY: the caller guarantees 8 writable floats at `ptr`, aligned
        // to their size as `vmovntps` requires.
        unsafe { self.0.avx._mm256_stream_ps(ptr, v) }
    }
    #[inline(always)]
    fn stream_fence(self) {
        self.0.sse._mm_sfence();
    }
    #[inline(always)]
    unsafe fn load_partial(self, ptr: *const f32, n: usize) -> __m256 {
        // SAFETY: `vmaskmovps` touches only the lanes whose mask is set, which
        // are the first `n`, all readable by the caller's guarantee.
        unsafe { self.0.avx._mm256_maskload_ps(ptr, self.prefix_mask(n)) }
    }
    #[inline(always)]
    unsafe fn store_partial(self, ptr: *mut f32, n: usize, v: __m256) {
        // SAFETY: only the first `n` lanes are written, all writable by the
        // caller's guarantee.
        unsafe { self.0.avx._mm256_maskstore_ps(ptr, self.prefix_mask(n), v) }
    }

    #[inline(always)]
    fn add(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_add_ps(a, b)
    }
    #[inline(always)]
    fn sub(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_sub_ps(a, b)
    }
    #[inline(always)]
    fn mul(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_mul_ps(a, b)
    }
    #[inline(always)]
    fn div(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_div_ps(a, b)
    }
    #[inline(always)]
    fn mul_add(self, a: __m256, b: __m256, c: __m256) -> __m256 {
        self.0.fma._mm256_fmadd_ps(a, b, c)
    }

    #[inline(always)]
    fn and(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_and_ps(a, b)
    }
    #[inline(always)]
    fn or(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_or_ps(a, b)
    }
    #[inline(always)]
    fn xor(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_xor_ps(a, b)
    }
    #[inline(always)]
    fn and_not(self, a: __m256, b: __m256) -> __m256 {
        // vandnps computes `!first & second`.
        self.0.avx._mm256_andnot_ps(b, a)
    }

    #[inline(always)]
    fn lt(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_cmp_ps::<_CMP_LT_OQ>(a, b)
    }
    #[inline(always)]
    fn le(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_cmp_ps::<_CMP_LE_OQ>(a, b)
    }
    #[inline(always)]
    fn eq(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_cmp_ps::<_CMP_EQ_OQ>(a, b)
    }
    #[inline(always)]
    fn is_zero_or_not_finite(self, a: __m256) -> __m256 {
        // Not less than `f32::MAX`, or unordered: no `not` of the mask.
        let v = super::zero_to_nan(self, a);
        self.0
            .avx
            ._mm256_cmp_ps::<_CMP_NLT_UQ>(v, self.splat(f32::MAX))
    }
    #[inline(always)]
    fn is_nan(self, a: __m256) -> __m256 {
        self.0.avx._mm256_cmp_ps::<_CMP_UNORD_Q>(a, a)
    }
    #[inline(always)]
    fn sign_mask(self, a: __m256) -> __m256 {
        // Every reader of an AVX2 mask (`vblendvps`, `vmovmskps`, and the
        // bitwise mask operations lane by lane) uses only its sign bit.
        a
    }
    #[inline(always)]
    fn select(self, m: __m256, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_blendv_ps(b, a, m)
    }
    #[inline(always)]
    fn mask_and(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_and_ps(a, b)
    }
    #[inline(always)]
    fn mask_or(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_or_ps(a, b)
    }
    #[inline(always)]
    fn mask_not(self, a: __m256) -> __m256 {
        let ones = self
            .0
            .avx
            ._mm256_castsi256_ps(self.0.avx._mm256_set1_epi32(-1));
        self.0.avx._mm256_xor_ps(a, ones)
    }
    #[inline(always)]
    fn any(self, m: __m256) -> bool {
        self.0.avx._mm256_movemask_ps(m) != 0
    }

    #[inline(always)]
    fn to_bits(self, a: __m256) -> __m256i {
        self.0.avx._mm256_castps_si256(a)
    }
    #[inline(always)]
    fn from_bits(self, a: __m256i) -> __m256 {
        self.0.avx._mm256_castsi256_ps(a)
    }
    #[inline(always)]
    fn shl<const N: i32>(self, a: __m256i) -> __m256i {
        self.0.avx2._mm256_slli_epi32::<N>(a)
    }
    #[inline(always)]
    fn shr<const N: i32>(self, a: __m256i) -> __m256i {
        self.0.avx2._mm256_srai_epi32::<N>(a)
    }
    #[inline(always)]
    fn lookup16(self, table: &[f32; 16], idx: __m256i) -> __m256 {
        // SAFETY: `table` holds 16 floats: two loads of 8.
        let (lo, hi) = unsafe {
            (
                self.0.avx._mm256_loadu_ps(table.as_ptr()),
                self.0.avx._mm256_loadu_ps(table.as_ptr().add(8)),
            )
        };
        // vpermps uses the low three bits of each index; bit 3 picks the half.
        let from_lo = self.0.avx2._mm256_permutevar8x32_ps(lo, idx);
        let from_hi = self.0.avx2._mm256_permutevar8x32_ps(hi, idx);
        let upper = self.0.avx2._mm256_slli_epi32::<28>(idx);
        self.0
            .avx
            ._mm256_blendv_ps(from_lo, from_hi, self.0.avx._mm256_castsi256_ps(upper))
    }
    #[inline(always)]
    fn lookup8(self, table: &[f32; 8], idx: __m256i) -> __m256 {
        // SAFETY: `table` holds exactly 8 floats.
        let t = unsafe { self.0.avx._mm256_loadu_ps(table.as_ptr()) };
        // vpermps uses the low three bits of each index.
        self.0.avx2._mm256_permutevar8x32_ps(t, idx)
    }
    #[inline(always)]
    unsafe fn load_u16(self, ptr: *const u16) -> __m256i {
        // SAFETY: the caller guarantees 8 readable `u16` (16 bytes) at `ptr`.
        let h = unsafe { self.0.sse2._mm_loadu_si128(ptr.cast()) };
        self.0.avx2._mm256_cvtepu16_epi32(h)
    }
    #[inline(always)]
    unsafe fn load_bf16(self, ptr: *const u16) -> __m256 {
        let avx = self.0.avx;
        // SAFETY: the caller guarantees 8 readable `u16` (16 bytes) at `ptr`.
        let h = unsafe { self.0.sse2._mm_loadu_si128(ptr.cast()) };
        // Both 128-bit halves hold the eight values (a broadcast, which is
        // a load alone); each half's byte shuffle puts four of them into the
        // high halves of its lanes, zero below: the bits widened exactly.
        let both = self.0.avx2._mm256_broadcastsi128_si256(h);
        let high = avx._mm256_setr_epi8(
            -1, -1, 0, 1, -1, -1, 2, 3, -1, -1, 4, 5, -1, -1, 6, 7, -1, -1, 8, 9, -1, -1, 10, 11,
            -1, -1, 12, 13, -1, -1, 14, 15,
        );
        avx._mm256_castsi256_ps(self.0.avx2._mm256_shuffle_epi8(both, high))
    }
    #[inline(always)]
    unsafe fn store_u16(self, ptr: *mut u16, v: __m256i) {
        let avx2 = self.0.avx2;
        // Keep the low halves, pack them (no lane saturates, each being below
        // 2^16) and gather the two 64-bit results of the packs.
        let low = avx2._mm256_and_si256(v, self.0.avx._mm256_set1_epi32(0xffff));
        let packed = avx2._mm256_packus_epi32(low, low);
        let packed = avx2._mm256_permute4x64_epi64::<0b1000>(packed);
        // SAFETY: the caller guarantees 8 writable `u16` (16 bytes) at `ptr`.
        unsafe {
            self.0
                .sse2
                ._mm_storeu_si128(ptr.cast(), self.0.avx._mm256_castsi256_si128(packed))
        }
    }
    #[inline(always)]
    fn add_i32(self, a: __m256i, b: __m256i) -> __m256i {
        self.0.avx2._mm256_add_epi32(a, b)
    }
    #[inline(always)]
    fn sub_i32(self, a: __m256i, b: __m256i) -> __m256i {
        self.0.avx2._mm256_sub_epi32(a, b)
    }
    #[inline(always)]
    fn max_i32(self, a: __m256i, b: __m256i) -> __m256i {
        self.0.avx2._mm256_max_epi32(a, b)
    }
    #[inline(always)]
    unsafe fn store_bf16(self, ptr: *mut u16, v: __m256) {
        let avx = self.0.avx;
        // A NaN keeps its high half, quieted (the portable form's bits,
        // `convert::f32_to_bf16`).
        let quiet = self.0.avx2._mm256_or_si256(
            avx._mm256_castps_si256(v),
            avx._mm256_set1_epi32(0x0040_0000),
        );
        let nan = avx._mm256_cmp_ps::<_CMP_UNORD_Q>(v, v);
        let r = avx._mm256_blendv_ps(
            avx._mm256_castsi256_ps(convert::bf16_rounded_high(self, v)),
            avx._mm256_castsi256_ps(quiet),
            nan,
        );
        // SAFETY: the caller's guarantee.
        unsafe { self.store_high_halves(ptr, avx._mm256_castps_si256(r)) }
    }
    #[inline(always)]
    unsafe fn store_bf16_no_nan(self, ptr: *mut u16, v: __m256) {
        // SAFETY: the caller's guarantee.
        unsafe { self.store_high_halves(ptr, convert::bf16_rounded_high(self, v)) }
    }
    #[inline(always)]
    unsafe fn load_f16(self, ptr: *const u16) -> __m256 {
        // SAFETY: the caller guarantees 8 readable `u16` at `ptr`. F16C is
        // enabled wherever this backend runs: `Isa::Avx2` requires it and
        // the path's entry function enables it (`dispatch::on_isa`).
        unsafe { _mm256_cvtph_ps(self.0.sse2._mm_loadu_si128(ptr.cast())) }
    }
    #[inline(always)]
    unsafe fn store_f16(self, ptr: *mut u16, v: __m256) {
        // SAFETY: as in `load_f16`; immediate 0 rounds to nearest even,
        // whatever MXCSR says, with the bits of the portable form.
        unsafe {
            let h = _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v);
            self.0.sse2._mm_storeu_si128(ptr.cast(), h)
        }
    }
    #[inline(always)]
    fn min(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_min_ps(a, b)
    }
    #[inline(always)]
    fn max(self, a: __m256, b: __m256) -> __m256 {
        self.0.avx._mm256_max_ps(a, b)
    }
    #[inline(always)]
    fn floor(self, x: __m256) -> __m256 {
        self.0.avx._mm256_floor_ps(x)
    }
}
