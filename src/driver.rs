//! The slice driver: runs a kernel over a slice, full vectors first, then the
//! tail through the same kernel with a partial load and store.
//!
//! There is no scalar tail loop: the last `n % LANES` elements go through the
//! vector kernel like every other element, so they get the same bits.

use crate::kernels::Kernel;
use crate::simd::Simd;

/// The quiet bit of an `f32` NaN.
const QUIET_NAN_BIT: u32 = 0x0040_0000;

/// One vector through `k`, then the NaN rule every function shares: a NaN input
/// comes out as the same NaN, quieted (payload and sign kept). Doing this here,
/// rather than trusting each instruction set's NaN propagation, is what makes
/// NaN outputs bit-identical across paths.
#[inline(always)]
pub(crate) fn eval<S: Simd, K: Kernel>(s: S, k: K, x: S::F) -> S::F {
    let y = k.apply(s, x);
    let quiet = s.or(x, s.splat(f32::from_bits(QUIET_NAN_BIT)));
    s.select(s.is_nan(x), quiet, y)
}

/// How many vectors the main loop processes per iteration, so that the
/// independent dependency chains of neighbouring vectors overlap.
const UNROLL: usize = 4;

/// Applies `k` to `n` elements from `x` into `y`.
///
/// # Safety
/// `x` must be valid for `n` reads and `y` for `n` writes. `x` and `y` may be
/// the same pointer (in place); otherwise the ranges must not overlap.
#[inline(always)]
pub(crate) unsafe fn map<S: Simd, K: Kernel>(s: S, k: K, x: *const f32, y: *mut f32, n: usize) {
    let lanes = S::LANES;
    let mut i = 0;
    while i + UNROLL * lanes <= n {
        // SAFETY: `i + UNROLL * lanes <= n`, so every lane read and written is
        // in bounds; each vector is loaded before any store to it, so in-place
        // use reads the original values.
        unsafe {
            let a0 = s.load(x.add(i));
            let a1 = s.load(x.add(i + lanes));
            let a2 = s.load(x.add(i + 2 * lanes));
            let a3 = s.load(x.add(i + 3 * lanes));
            let b0 = eval(s, k, a0);
            let b1 = eval(s, k, a1);
            let b2 = eval(s, k, a2);
            let b3 = eval(s, k, a3);
            s.store(y.add(i), b0);
            s.store(y.add(i + lanes), b1);
            s.store(y.add(i + 2 * lanes), b2);
            s.store(y.add(i + 3 * lanes), b3);
        }
        i += UNROLL * lanes;
    }
    while i + lanes <= n {
        // SAFETY: `i + lanes <= n`.
        unsafe { s.store(y.add(i), eval(s, k, s.load(x.add(i)))) };
        i += lanes;
    }
    if i < n {
        // SAFETY: `n - i < lanes` elements remain, all in bounds; the partial
        // load and store touch nothing past them.
        unsafe {
            let v = eval(s, k, s.load_partial(x.add(i), n - i));
            s.store_partial(y.add(i), n - i, v);
        }
    }
}
