//! NEON (Advanced SIMD) backend: four lanes in a `float32x4_t`, on pulp's
//! `Neon` token.
//!
//! Masks are full-width lane masks in a `uint32x4_t` (all ones or all zeros).
//! NEON has no masked load or store, so tails go through a zeroed buffer on the
//! stack: only the first `n` floats are copied in or out, and nothing past
//! `ptr + n` is read or written.

use super::Simd;
use core::arch::aarch64::*;

/// The NEON backend. A value exists only when the CPU supports NEON (which
/// includes the fused multiply-add and IEEE division used here).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Neon(pub(crate) pulp::aarch64::Neon);

impl Neon {
    /// The bits of each lane, as unsigned integers for the bitwise operations.
    #[inline(always)]
    fn to_u32(self, a: float32x4_t) -> uint32x4_t {
        self.0.neon.vreinterpretq_u32_f32(a)
    }
    /// Each lane's bits as an `f32`.
    #[inline(always)]
    fn to_f32(self, a: uint32x4_t) -> float32x4_t {
        self.0.neon.vreinterpretq_f32_u32(a)
    }
    /// The `tbl` byte indices that read entry `idx & MASK` (`MASK` 7 or 15)
    /// of a table of floats into each lane: byte `i` of a lane
    /// (little-endian) takes table byte `4 (idx & MASK) + i`, so the offset
    /// is copied into all four bytes and 0, 1, 2, 3 added (no carries, since
    /// `4 * 15 + 3 < 256`).
    #[inline(always)]
    fn table_bytes<const MASK: u32>(self, idx: int32x4_t) -> uint8x16_t {
        let neon = self.0.neon;
        let k = neon.vandq_u32(neon.vreinterpretq_u32_s32(idx), neon.vdupq_n_u32(MASK));
        let k = neon.vshlq_n_u32::<2>(k);
        let bytes = neon.vmlaq_n_u32(neon.vdupq_n_u32(0x0302_0100), k, 0x0101_0101);
        neon.vreinterpretq_u8_u32(bytes)
    }
}

impl Simd for Neon {
    const PREFETCH: bool = true;
    const LANES: usize = 4;
    type F = float32x4_t;
    type I = int32x4_t;
    type M = uint32x4_t;

    #[inline(always)]
    fn splat(self, v: f32) -> float32x4_t {
        self.0.neon.vdupq_n_f32(v)
    }
    #[inline(always)]
    unsafe fn load(self, ptr: *const f32) -> float32x4_t {
        // SAFETY: the caller guarantees 4 readable floats at `ptr`; the token
        // proves NEON is available. `ld1` accepts unaligned addresses.
        unsafe { self.0.neon.vld1q_f32(ptr) }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut f32, v: float32x4_t) {
        // SAFETY: the caller guarantees 4 writable floats at `ptr`; the token
        // proves NEON is available.
        unsafe { self.0.neon.vst1q_f32(ptr, v) }
    }
    #[inline(always)]
    unsafe fn load_partial(self, ptr: *const f32, n: usize) -> float32x4_t {
        let mut buf = [0.0f32; 4];
        // SAFETY: the caller guarantees `n < 4` readable floats at `ptr`, at
        // any address (copied as bytes, as `vld1q_f32` reads them); `buf` has
        // room for 4 and, being local, cannot overlap the caller's memory.
        unsafe {
            core::ptr::copy_nonoverlapping(
                ptr.cast::<u8>(),
                buf.as_mut_ptr().cast::<u8>(),
                n * size_of::<f32>(),
            )
        };
        // SAFETY: `buf` holds 4 readable floats; the token proves NEON is
        // available. Nothing past `ptr + n` has been read.
        unsafe { self.0.neon.vld1q_f32(buf.as_ptr()) }
    }
    #[inline(always)]
    unsafe fn store_partial(self, ptr: *mut f32, n: usize, v: float32x4_t) {
        let mut buf = [0.0f32; 4];
        // SAFETY: `buf` holds 4 writable floats; the token proves NEON is
        // available.
        unsafe { self.0.neon.vst1q_f32(buf.as_mut_ptr(), v) };
        // SAFETY: the caller guarantees `n < 4` writable floats at `ptr`, at
        // any address (copied as bytes); `buf` holds 4 and, being local,
        // cannot overlap them. Nothing past `ptr + n` is written.
        unsafe {
            core::ptr::copy_nonoverlapping(
                buf.as_ptr().cast::<u8>(),
                ptr.cast::<u8>(),
                n * size_of::<f32>(),
            )
        };
    }

    #[inline(always)]
    fn add(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.0.neon.vaddq_f32(a, b)
    }
    #[inline(always)]
    fn sub(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.0.neon.vsubq_f32(a, b)
    }
    #[inline(always)]
    fn mul(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.0.neon.vmulq_f32(a, b)
    }
    #[inline(always)]
    fn div(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // `fdiv` is correctly rounded (never the `frecpe` estimate).
        self.0.neon.vdivq_f32(a, b)
    }
    #[inline(always)]
    fn mul_add(self, a: float32x4_t, b: float32x4_t, c: float32x4_t) -> float32x4_t {
        // `vfmaq_f32(acc, x, y)` computes `acc + x * y` with one rounding.
        self.0.neon.vfmaq_f32(c, a, b)
    }

    #[inline(always)]
    fn and(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.to_f32(self.0.neon.vandq_u32(self.to_u32(a), self.to_u32(b)))
    }
    #[inline(always)]
    fn or(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.to_f32(self.0.neon.vorrq_u32(self.to_u32(a), self.to_u32(b)))
    }
    #[inline(always)]
    fn xor(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.to_f32(self.0.neon.veorq_u32(self.to_u32(a), self.to_u32(b)))
    }
    #[inline(always)]
    fn and_not(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // `bic` computes `first & !second`.
        self.to_f32(self.0.neon.vbicq_u32(self.to_u32(a), self.to_u32(b)))
    }

    #[inline(always)]
    fn lt(self, a: float32x4_t, b: float32x4_t) -> uint32x4_t {
        self.0.neon.vcltq_f32(a, b)
    }
    #[inline(always)]
    fn le(self, a: float32x4_t, b: float32x4_t) -> uint32x4_t {
        self.0.neon.vcleq_f32(a, b)
    }
    #[inline(always)]
    fn eq(self, a: float32x4_t, b: float32x4_t) -> uint32x4_t {
        self.0.neon.vceqq_f32(a, b)
    }
    #[inline(always)]
    fn is_nan(self, a: float32x4_t) -> uint32x4_t {
        // Only NaN compares unequal to itself.
        self.0.neon.vmvnq_u32(self.0.neon.vceqq_f32(a, a))
    }
    #[inline(always)]
    fn sign_mask(self, a: float32x4_t) -> uint32x4_t {
        // `a < 0`, one `fcmlt` against zero: llvm-mca puts it ahead of an
        // arithmetic shift of the sign bit in the `gelu` loop (it differs
        // only at -0.0 and NaN, where the mask is unspecified).
        self.0.neon.vcltzq_f32(a)
    }
    #[inline(always)]
    fn select(self, m: uint32x4_t, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // `bsl` takes the bits of `a` where `m` is set, else those of `b`.
        self.0.neon.vbslq_f32(m, a, b)
    }
    #[inline(always)]
    fn mask_and(self, a: uint32x4_t, b: uint32x4_t) -> uint32x4_t {
        self.0.neon.vandq_u32(a, b)
    }
    #[inline(always)]
    fn mask_or(self, a: uint32x4_t, b: uint32x4_t) -> uint32x4_t {
        self.0.neon.vorrq_u32(a, b)
    }
    #[inline(always)]
    fn mask_not(self, a: uint32x4_t) -> uint32x4_t {
        self.0.neon.vmvnq_u32(a)
    }
    #[inline(always)]
    fn any(self, m: uint32x4_t) -> bool {
        self.0.neon.vmaxvq_u32(m) != 0
    }

    #[inline(always)]
    fn to_bits(self, a: float32x4_t) -> int32x4_t {
        self.0.neon.vreinterpretq_s32_f32(a)
    }
    #[inline(always)]
    fn from_bits(self, a: int32x4_t) -> float32x4_t {
        self.0.neon.vreinterpretq_f32_s32(a)
    }
    #[inline(always)]
    fn shl<const N: i32>(self, a: int32x4_t) -> int32x4_t {
        self.0.neon.vshlq_n_s32::<N>(a)
    }
    #[inline(always)]
    fn shr<const N: i32>(self, a: int32x4_t) -> int32x4_t {
        // `sshr` is an arithmetic shift.
        self.0.neon.vshrq_n_s32::<N>(a)
    }

    #[inline(always)]
    fn lookup16(self, table: &[f32; 16], idx: int32x4_t) -> float32x4_t {
        let neon = self.0.neon;
        // SAFETY: `table` holds exactly 16 floats, the 64 bytes that the
        // four-register `ld1` reads; the token proves NEON is available.
        let t = unsafe { neon.vld1q_u8_x4(table.as_ptr().cast::<u8>()) };
        // `tbl` with four registers indexes all 64 bytes.
        neon.vreinterpretq_f32_u8(neon.vqtbl4q_u8(t, self.table_bytes::<15>(idx)))
    }
    #[inline(always)]
    fn lookup8(self, table: &[f32; 8], idx: int32x4_t) -> float32x4_t {
        let neon = self.0.neon;
        // SAFETY: `table` holds exactly 8 floats, the 32 bytes that the
        // two-register `ld1` reads; the token proves NEON is available.
        let t = unsafe { neon.vld1q_u8_x2(table.as_ptr().cast::<u8>()) };
        // `tbl` with two registers indexes all 32 bytes.
        neon.vreinterpretq_f32_u8(neon.vqtbl2q_u8(t, self.table_bytes::<7>(idx)))
    }
    #[inline(always)]
    unsafe fn load_u16(self, ptr: *const u16) -> int32x4_t {
        let neon = self.0.neon;
        // SAFETY: the caller guarantees 4 readable `u16` at `ptr`; the token
        // proves NEON is available.
        let h = unsafe { neon.vld1_u16(ptr) };
        neon.vreinterpretq_s32_u32(neon.vmovl_u16(h))
    }
    #[inline(always)]
    unsafe fn store_u16(self, ptr: *mut u16, v: int32x4_t) {
        let neon = self.0.neon;
        // `xtn` keeps the low half of each lane.
        let h = neon.vmovn_u32(neon.vreinterpretq_u32_s32(v));
        // SAFETY: the caller guarantees 4 writable `u16` at `ptr`.
        unsafe { neon.vst1_u16(ptr, h) }
    }
    #[inline(always)]
    fn add_i32(self, a: int32x4_t, b: int32x4_t) -> int32x4_t {
        self.0.neon.vaddq_s32(a, b)
    }
    #[inline(always)]
    fn sub_i32(self, a: int32x4_t, b: int32x4_t) -> int32x4_t {
        self.0.neon.vsubq_s32(a, b)
    }
    #[inline(always)]
    fn max_i32(self, a: int32x4_t, b: int32x4_t) -> int32x4_t {
        self.0.neon.vmaxq_s32(a, b)
    }
    #[inline(always)]
    fn min(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.0.neon.vminq_f32(a, b)
    }
    #[inline(always)]
    fn max(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        self.0.neon.vmaxq_f32(a, b)
    }
    #[inline(always)]
    fn floor(self, x: float32x4_t) -> float32x4_t {
        self.0.neon.vrndmq_f32(x)
    }
    #[inline(always)]
    fn mul_pow2_floor_shifted_sub<const F: i32>(
        self,
        b: float32x4_t,
        v: float32x4_t,
        n: float32x4_t,
        _shifted: float32x4_t,
    ) -> float32x4_t {
        // `frintm` and `mul_pow2` (the same bits as the shifts of `shifted`),
        // then the difference (see the trait's doc for why).
        self.sub(b, self.mul_pow2(v, self.floor(n)))
    }
}
