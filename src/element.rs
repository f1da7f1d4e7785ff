//! The element types of the slices: `f32`, `half::bf16` and `half::f16`.
//!
//! A half-precision element is widened exactly to `f32`, the `f32` kernel
//! runs, and the result is rounded once to the output type, to nearest even
//! (subnormals kept): the bits of `half`'s `from_f32` applied to the `f32`
//! path's result, on every path. The conversions are [`Simd`] primitives
//! (F16C and AVX-512 for binary16 on x86, AVX512_BF16 for bfloat16 where
//! the CPU has it, integer sequences elsewhere).

use crate::simd::{Simd, convert};
use half::{bf16, f16};

/// A type the slice functions accept: `f32`, [`half::bf16`] or
/// [`half::f16`]. Sealed: no other type implements it.
///
/// Results in a 16-bit type equal `from_f32` of the `f32` result, bit for
/// bit: one rounding, to nearest even, subnormals kept, and a NaN input
/// comes out as the same NaN, quieted, in that type's encoding.
pub trait Element: sealed::Sealed + Copy + Send + Sync + 'static {}

impl Element for f32 {}
impl Element for bf16 {}
impl Element for f16 {}

mod sealed {
    /// The storage format of an element type.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Format {
        /// IEEE binary32.
        F32,
        /// bfloat16: the high half of a binary32.
        Bf16,
        /// IEEE binary16.
        F16,
    }

    /// Keeps [`Element`](super::Element) to the crate's three types, and
    /// tells the drivers how each is stored.
    pub trait Sealed {
        /// How the type is stored.
        const FORMAT: Format;
    }

    impl Sealed for f32 {
        const FORMAT: Format = Format::F32;
    }
    impl Sealed for half::bf16 {
        const FORMAT: Format = Format::Bf16;
    }
    impl Sealed for half::f16 {
        const FORMAT: Format = Format::F16;
    }
}

pub(crate) use sealed::Format;

impl Format {
    /// Bytes per element.
    pub(crate) const fn size(self) -> usize {
        match self {
            Format::F32 => 4,
            Format::Bf16 | Format::F16 => 2,
        }
    }
}

/// An output slice that the functions only write, never read first:
/// initialized (`[T]`) or not (`[MaybeUninit<T>]`: fresh memory, a `Vec`'s
/// spare capacity, a buffer from C), so that one body serves both forms of
/// a function.
pub(crate) trait Output<T>: Send {
    /// The number of elements.
    fn count(&self) -> usize;
    /// The first element's address, to be written through.
    fn out_ptr(&mut self) -> *mut T;
}

impl<T: Element> Output<T> for [T] {
    fn count(&self) -> usize {
        self.len()
    }
    fn out_ptr(&mut self) -> *mut T {
        self.as_mut_ptr()
    }
}

impl<T: Element> Output<T> for [core::mem::MaybeUninit<T>] {
    fn count(&self) -> usize {
        self.len()
    }
    fn out_ptr(&mut self) -> *mut T {
        self.as_mut_ptr().cast()
    }
}

/// `y` as the initialized slice it now is.
///
/// # Safety
/// Every element of `y` has been written.
pub(crate) unsafe fn assume_init<T>(y: &mut [core::mem::MaybeUninit<T>]) -> &mut [T] {
    // SAFETY: `MaybeUninit<T>` has `T`'s layout, and every element is
    // initialized (the caller's guarantee); the borrow is `y`'s.
    unsafe { core::slice::from_raw_parts_mut(y.as_mut_ptr().cast(), y.len()) }
}

/// Slices of any element types with their types erased: what
/// [`Activation::run_erased`](crate::Activation) and the gated units' entry
/// take, so that the kernels are instantiated once for each element type,
/// in this crate, not in each caller's crate.
#[derive(Clone, Copy)]
pub(crate) struct Erased {
    pub(crate) x: *const (),
    pub(crate) a: Format,
    pub(crate) y: *mut (),
    pub(crate) b: Format,
    pub(crate) n: usize,
    /// The output elements of the call these `n` are part of: `n`, or the
    /// whole slice's for a piece of a call on all cores, so that a piece
    /// streams its output where the whole call would
    /// ([`stream_wanted`](crate::driver::stream_wanted)).
    pub(crate) whole: usize,
}

/// The storage format of `E`.
#[inline(always)]
pub(crate) const fn format<E: Element>() -> Format {
    E::FORMAT
}

impl Erased {
    /// `n` elements from `x` into `y`.
    #[inline(always)]
    pub(crate) fn new<A: Element, B: Element>(x: *const A, y: *mut B, n: usize) -> Erased {
        Erased {
            x: x.cast(),
            a: A::FORMAT,
            y: y.cast(),
            b: B::FORMAT,
            n,
            whole: n,
        }
    }

    /// These elements as a piece of a call of `whole` output elements.
    #[inline(always)]
    pub(crate) fn piece_of(self, whole: usize) -> Erased {
        Erased { whole, ..self }
    }
}

/// Loads `LANES` elements, widened to `f32`.
///
/// # Safety
/// `ptr` must be valid for reading `LANES` elements.
#[inline(always)]
pub(crate) unsafe fn load<S: Simd, E: Element>(s: S, ptr: *const E) -> S::F {
    // SAFETY: the caller's guarantee; the formats are the types' layouts
    // (`bf16` and `f16` are `repr(transparent)` over `u16`).
    unsafe {
        match E::FORMAT {
            Format::F32 => s.load(ptr.cast()),
            Format::Bf16 => s.load_bf16(ptr.cast()),
            Format::F16 => s.load_f16(ptr.cast()),
        }
    }
}

/// Rounds `v` to `E` and stores `LANES` elements.
///
/// # Safety
/// `ptr` must be valid for writing `LANES` elements.
#[inline(always)]
pub(crate) unsafe fn store<S: Simd, E: Element>(s: S, ptr: *mut E, v: S::F) {
    // SAFETY: as in `load`.
    unsafe {
        match E::FORMAT {
            Format::F32 => s.store(ptr.cast(), v),
            Format::Bf16 => s.store_bf16(ptr.cast(), v),
            Format::F16 => s.store_f16(ptr.cast(), v),
        }
    }
}

/// Whether [`store_no_nan`] differs from [`store`] for `E` on path `S`
/// (bfloat16 where [`Simd::BF16_STORE_NO_NAN`]), so that loops keep one
/// store otherwise.
#[inline(always)]
pub(crate) const fn has_no_nan_store<S: Simd, E: Element>() -> bool {
    S::BF16_STORE_NO_NAN && matches!(E::FORMAT, Format::Bf16)
}

/// As [`store`], with the same bits, for a `v` whose NaN lanes, if any,
/// have their quiet bit set and their low 16 bits zero (see
/// [`Simd::store_bf16_no_nan`]), where [`has_no_nan_store`] holds.
///
/// # Safety
/// As [`store`].
#[inline(always)]
pub(crate) unsafe fn store_no_nan<S: Simd, E: Element>(s: S, ptr: *mut E, v: S::F) {
    // SAFETY: as in `load`.
    unsafe {
        match E::FORMAT {
            Format::Bf16 => s.store_bf16_no_nan(ptr.cast(), v),
            _ => store(s, ptr, v),
        }
    }
}

/// Whether `E` is `f32`, stored as the vector's lanes are.
#[inline(always)]
pub(crate) const fn is_f32<E: Element>() -> bool {
    matches!(E::FORMAT, Format::F32)
}

/// Whether a loop from `A` to `B` moves its whole vectors in pairs as
/// [`load_group`] and [`store_group`] do for bfloat16 on both sides.
#[inline(always)]
pub(crate) const fn paired<S: Simd, A: Element, B: Element>() -> bool {
    S::BF16_PAIRS && matches!(A::FORMAT, Format::Bf16) && matches!(B::FORMAT, Format::Bf16)
}

/// `N` vectors of `N * LANES` elements at `ptr` (`N` even where `paired`):
/// in order, or where `paired` and `E` is `bf16`, each pair of vectors as
/// the even and the odd positions of its `2 * LANES` elements
/// ([`convert::bf16_pairs_from_lanes`]), which [`store_group`] puts back.
/// Elementwise work does not see the difference; a loop may pair only
/// where input and output are both `bf16` ([`paired`]).
///
/// # Safety
/// `ptr` must be valid for reading `N * LANES` elements.
#[inline(always)]
pub(crate) unsafe fn load_group<S: Simd, E: Element, const N: usize>(
    s: S,
    ptr: *const E,
    paired: bool,
) -> [S::F; N] {
    let lanes = S::LANES;
    let mut v = [s.splat(0.0); N];
    if paired && matches!(E::FORMAT, Format::Bf16) {
        debug_assert!(N.is_multiple_of(2));
        for k in 0..N / 2 {
            // SAFETY: the caller's guarantee: `2 * LANES` two-byte elements
            // from `2 k LANES` on are `LANES` four-byte lanes.
            let pairs = s.to_bits(unsafe { s.load(ptr.add(2 * k * lanes).cast()) });
            [v[2 * k], v[2 * k + 1]] = convert::bf16_pairs_from_lanes(s, pairs);
        }
    } else {
        for (k, v) in v.iter_mut().enumerate() {
            // SAFETY: the caller's guarantee.
            *v = unsafe { load(s, ptr.add(k * lanes)) };
        }
    }
    v
}

/// Stores `N` vectors loaded by [`load_group`] with the same `paired`, each
/// result where its input was, rounded as [`store`] rounds; `no_nan` where
/// every NaN lane of `v`, if any, is a quiet NaN whose low 16 bits are zero
/// (the contract of [`Simd::store_bf16_no_nan`], for [`store_no_nan`] and the
/// pairs' rounding without the NaN test). Unpaired
/// `bf16` results are stored together ([`Simd::store_bf16_group`]) unless the
/// path's [`store_no_nan`] applies.
///
/// # Safety
/// `ptr` must be valid for writing `N * LANES` elements.
#[inline(always)]
pub(crate) unsafe fn store_group<S: Simd, E: Element, const N: usize>(
    s: S,
    ptr: *mut E,
    v: [S::F; N],
    (paired, no_nan): (bool, bool),
) {
    let lanes = S::LANES;
    let bf16 = matches!(E::FORMAT, Format::Bf16);
    if paired && bf16 {
        debug_assert!(N.is_multiple_of(2));
        for k in (0..N).step_by(2) {
            let pair = [v[k], v[k + 1]];
            let pairs = if no_nan {
                convert::bf16_pairs_to_lanes::<S, true>(s, pair)
            } else {
                convert::bf16_pairs_to_lanes::<S, false>(s, pair)
            };
            // SAFETY: the caller's guarantee: `2 * LANES` two-byte elements
            // from `k LANES` on are `LANES` four-byte lanes.
            unsafe { s.store(ptr.add(k * lanes).cast(), s.from_bits(pairs)) };
        }
    } else if no_nan && has_no_nan_store::<S, E>() {
        for (k, &v) in v.iter().enumerate() {
            // SAFETY: the caller's guarantee.
            unsafe { store_no_nan(s, ptr.add(k * lanes), v) };
        }
    } else if bf16 {
        // SAFETY: the caller's guarantee; `bf16` is `repr(transparent)` over
        // `u16`.
        unsafe { s.store_bf16_group(ptr.cast(), v) };
    } else {
        for (k, &v) in v.iter().enumerate() {
            // SAFETY: the caller's guarantee.
            unsafe { store(s, ptr.add(k * lanes), v) };
        }
    }
}

/// The most lanes of any backend: the size of the staging buffer of the
/// partial loads and stores of 16-bit elements.
const MAX_LANES: usize = 16;

/// Loads the first `n < LANES` elements, widened, reading nothing past them
/// (the other lanes are `+0.0`).
///
/// # Safety
/// `n < LANES` and `ptr` must be valid for reading `n` elements.
#[inline(always)]
pub(crate) unsafe fn load_partial<S: Simd, E: Element>(s: S, ptr: *const E, n: usize) -> S::F {
    const { assert!(S::LANES <= MAX_LANES) };
    if E::FORMAT == Format::F32 {
        // SAFETY: the caller's guarantee.
        return unsafe { s.load_partial(ptr.cast(), n) };
    }
    let mut buf = [0u16; MAX_LANES];
    // SAFETY: the caller guarantees `n` readable elements of two bytes;
    // `buf`, being local, cannot overlap them and has room for `LANES`.
    unsafe {
        core::ptr::copy_nonoverlapping(ptr.cast::<u16>(), buf.as_mut_ptr(), n);
        load(s, buf.as_ptr().cast::<E>())
    }
}

/// Rounds `v` to `E` and stores its first `n < LANES` lanes, writing
/// nothing past them.
///
/// # Safety
/// `n < LANES` and `ptr` must be valid for writing `n` elements.
#[inline(always)]
pub(crate) unsafe fn store_partial<S: Simd, E: Element>(s: S, ptr: *mut E, n: usize, v: S::F) {
    const { assert!(S::LANES <= MAX_LANES) };
    if E::FORMAT == Format::F32 {
        // SAFETY: the caller's guarantee.
        return unsafe { s.store_partial(ptr.cast(), n, v) };
    }
    let mut buf = [0u16; MAX_LANES];
    // SAFETY: `buf` has room for `LANES` elements; the caller guarantees
    // `n` writable elements at `ptr`, which `buf` cannot overlap.
    unsafe {
        store(s, buf.as_mut_ptr().cast::<E>(), v);
        core::ptr::copy_nonoverlapping(buf.as_ptr(), ptr.cast::<u16>(), n);
    }
}
