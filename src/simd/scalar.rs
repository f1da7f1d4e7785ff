//! One-lane backend: plain `f32` arithmetic with `f32::mul_add`.
//!
//! It is the fallback on CPUs without a SIMD path and the oracle that every
//! SIMD path must match bit for bit: the kernels are generic, so the scalar
//! path runs exactly the operations the vector paths run, one lane at a time.

use super::Simd;

/// The one-lane backend. Available everywhere.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scalar;

impl Simd for Scalar {
    const LANES: usize = 1;
    type F = f32;
    type I = i32;
    type M = bool;
    const SHORT_FORMS: bool = false;

    #[inline(always)]
    fn splat(self, v: f32) -> f32 {
        v
    }
    #[inline(always)]
    unsafe fn load(self, ptr: *const f32) -> f32 {
        // SAFETY: the caller guarantees `ptr` is valid for one read.
        unsafe { ptr.read_unaligned() }
    }
    #[inline(always)]
    unsafe fn store(self, ptr: *mut f32, v: f32) {
        // SAFETY: the caller guarantees `ptr` is valid for one write.
        unsafe { ptr.write_unaligned(v) }
    }
    #[inline(always)]
    unsafe fn load_partial(self, _ptr: *const f32, _n: usize) -> f32 {
        // With one lane, `n < LANES` means `n == 0`: nothing is read.
        0.0
    }
    #[inline(always)]
    unsafe fn store_partial(self, _ptr: *mut f32, _n: usize, _v: f32) {}

    #[inline(always)]
    fn add(self, a: f32, b: f32) -> f32 {
        a + b
    }
    #[inline(always)]
    fn sub(self, a: f32, b: f32) -> f32 {
        a - b
    }
    #[inline(always)]
    fn mul(self, a: f32, b: f32) -> f32 {
        a * b
    }
    #[inline(always)]
    fn div(self, a: f32, b: f32) -> f32 {
        a / b
    }
    #[inline(always)]
    fn mul_add(self, a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }

    #[inline(always)]
    fn and(self, a: f32, b: f32) -> f32 {
        f32::from_bits(a.to_bits() & b.to_bits())
    }
    #[inline(always)]
    fn or(self, a: f32, b: f32) -> f32 {
        f32::from_bits(a.to_bits() | b.to_bits())
    }
    #[inline(always)]
    fn xor(self, a: f32, b: f32) -> f32 {
        f32::from_bits(a.to_bits() ^ b.to_bits())
    }
    #[inline(always)]
    fn and_not(self, a: f32, b: f32) -> f32 {
        f32::from_bits(a.to_bits() & !b.to_bits())
    }

    #[inline(always)]
    fn lt(self, a: f32, b: f32) -> bool {
        a < b
    }
    #[inline(always)]
    fn le(self, a: f32, b: f32) -> bool {
        a <= b
    }
    #[inline(always)]
    fn eq(self, a: f32, b: f32) -> bool {
        a == b
    }
    #[inline(always)]
    fn is_nan(self, a: f32) -> bool {
        a.is_nan()
    }
    #[inline(always)]
    fn sign_mask(self, a: f32) -> bool {
        a.is_sign_negative()
    }
    #[inline(always)]
    fn select(self, m: bool, a: f32, b: f32) -> f32 {
        if m { a } else { b }
    }
    #[inline(always)]
    fn mask_and(self, a: bool, b: bool) -> bool {
        a & b
    }
    #[inline(always)]
    fn mask_or(self, a: bool, b: bool) -> bool {
        a | b
    }
    #[inline(always)]
    fn mask_not(self, a: bool) -> bool {
        !a
    }
    #[inline(always)]
    fn any(self, m: bool) -> bool {
        m
    }

    #[inline(always)]
    fn to_bits(self, a: f32) -> i32 {
        a.to_bits() as i32
    }
    #[inline(always)]
    fn from_bits(self, a: i32) -> f32 {
        f32::from_bits(a as u32)
    }
    #[inline(always)]
    fn shl<const N: i32>(self, a: i32) -> i32 {
        a << N
    }
    #[inline(always)]
    fn shr<const N: i32>(self, a: i32) -> i32 {
        a >> N
    }
    #[inline(always)]
    fn lookup16(self, table: &[f32; 16], idx: i32) -> f32 {
        table[(idx & 15) as usize]
    }
    #[inline(always)]
    fn lookup8(self, table: &[f32; 8], idx: i32) -> f32 {
        table[(idx & 7) as usize]
    }
    #[inline(always)]
    unsafe fn load_u16(self, ptr: *const u16) -> i32 {
        // SAFETY: the caller guarantees `ptr` is valid for one read.
        i32::from(unsafe { ptr.read_unaligned() })
    }
    #[inline(always)]
    unsafe fn store_u16(self, ptr: *mut u16, v: i32) {
        // SAFETY: the caller guarantees `ptr` is valid for one write.
        unsafe { ptr.write_unaligned(v as u16) }
    }
    #[inline(always)]
    fn add_i32(self, a: i32, b: i32) -> i32 {
        a.wrapping_add(b)
    }
    #[inline(always)]
    fn sub_i32(self, a: i32, b: i32) -> i32 {
        a.wrapping_sub(b)
    }
    #[inline(always)]
    fn max_i32(self, a: i32, b: i32) -> i32 {
        a.max(b)
    }
    #[inline(always)]
    fn min(self, a: f32, b: f32) -> f32 {
        if a < b { a } else { b }
    }
    #[inline(always)]
    fn max(self, a: f32, b: f32) -> f32 {
        if a > b { a } else { b }
    }
}
