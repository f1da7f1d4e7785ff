//! Runs a job (a driver with its kernel) on a chosen path: one
//! `#[target_feature]` function per (job, path), obtained from pulp's
//! `vectorize`, with the driver and the kernel inlined into it.

use crate::Isa;
use crate::driver::{map, map_channels, map2};
use crate::kernels::softmax::{Flavor, row};
use crate::kernels::{Kernel, Kernel2};
use crate::simd::Simd;
use crate::simd::scalar::Scalar;

/// Work written once against the [`Simd`] primitives: a driver over slices
/// with its kernel. [`on_isa`] compiles it per path.
pub(crate) trait SimdJob {
    /// What the job returns.
    type Output;
    /// Runs the job with the backend `s`.
    fn run<S: Simd>(self, s: S) -> Self::Output;
}

/// A job bound to a backend, as a closure pulp can compile with the backend's
/// target features enabled.
struct WithSimd<S, J> {
    simd: S,
    job: J,
}

impl<S: Simd, J: SimdJob> pulp::NullaryFnOnce for WithSimd<S, J> {
    type Output = J::Output;

    #[inline(always)]
    fn call(self) -> J::Output {
        self.job.run(self.simd)
    }
}

/// Runs `job` on path `isa`.
///
/// # Safety
/// `isa` must be available on this CPU (`isa.is_available()`), and the job's
/// own safety conditions (its pointers) must hold.
#[inline(always)]
pub(crate) unsafe fn on_isa<J: SimdJob>(isa: Isa, job: J) -> J::Output {
    match isa {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx512 => {
            // SAFETY: the caller guarantees AVX-512 (x86-64-v4) is available.
            let token = unsafe { pulp::x86::V4::new_unchecked() };
            let simd = crate::simd::avx512::Avx512(token);
            token.vectorize(WithSimd { simd, job })
        }
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx2 => {
            // SAFETY: the caller guarantees AVX2 + FMA (x86-64-v3) is available.
            let token = unsafe { pulp::x86::V3::new_unchecked() };
            let simd = crate::simd::avx2::Avx2(token);
            token.vectorize(WithSimd { simd, job })
        }
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            // SAFETY: the caller guarantees NEON is available.
            let token = unsafe { pulp::aarch64::Neon::new_unchecked() };
            let simd = crate::simd::neon::Neon(token);
            token.vectorize(WithSimd { simd, job })
        }
        _ => on_scalar(job),
    }
}

/// The scalar path. Where the CPU has hardware FMA it runs with that feature
/// enabled, so `f32::mul_add` is one instruction instead of a library call;
/// both give the same bits, since a fused multiply-add has one correct result.
#[inline(always)]
fn on_scalar<J: SimdJob>(job: J) -> J::Output {
    let job = WithSimd { simd: Scalar, job };
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    if let Some(token) = pulp::x86::V3::try_new() {
        return token.vectorize(job);
    }
    pulp::NullaryFnOnce::call(job)
}

/// The one-input driver over one slice.
struct MapJob<K> {
    kernel: K,
    x: *const f32,
    y: *mut f32,
    n: usize,
}

impl<K: Kernel> SimdJob for MapJob<K> {
    type Output = ();

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        // SAFETY: `run`'s caller guarantees the pointer ranges.
        unsafe { map(s, self.kernel, self.x, self.y, self.n) }
    }
}

/// Applies `kernel` to `n` elements from `x` into `y` on path `isa`.
///
/// # Safety
/// `isa` must be available on this CPU (`isa.is_available()`); `x` must be
/// valid for `n` reads and `y` for `n` writes, either the same pointer or
/// non-overlapping.
#[inline(always)]
pub(crate) unsafe fn run<K: Kernel>(isa: Isa, kernel: K, x: *const f32, y: *mut f32, n: usize) {
    // SAFETY: the caller's guarantees, passed on.
    unsafe { on_isa(isa, MapJob { kernel, x, y, n }) }
}

/// The two-input driver over `blocks` consecutive blocks of `period`
/// elements of `x` and `y`, each paired with the same `period` elements of
/// `t`.
struct Map2Job<K> {
    kernel: K,
    x: *const f32,
    t: *const f32,
    y: *mut f32,
    period: usize,
    blocks: usize,
}

impl<K: Kernel2> SimdJob for Map2Job<K> {
    type Output = ();

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        for b in 0..self.blocks {
            let offset = b * self.period;
            // SAFETY: `run2`'s caller guarantees the ranges; `offset + period
            // <= blocks * period`.
            unsafe {
                map2(
                    s,
                    self.kernel,
                    self.x.add(offset),
                    self.t,
                    self.y.add(offset),
                    self.period,
                )
            }
        }
    }
}

/// Applies the two-input `kernel` to `blocks * period` elements of `x` into
/// `y`, pairing element `b * period + i` with `t[i]`, on path `isa`.
///
/// # Safety
/// `isa` must be available; `x` valid for `blocks * period` reads, `y` for as
/// many writes (the same pointer as `x` or non-overlapping), `t` for `period`
/// reads (it may be `x` itself when `blocks == 1`; it must not overlap `y`
/// otherwise).
#[inline(always)]
pub(crate) unsafe fn run2<K: Kernel2>(
    isa: Isa,
    kernel: K,
    x: *const f32,
    t: *const f32,
    y: *mut f32,
    [blocks, period]: [usize; 2],
) {
    let job = Map2Job {
        kernel,
        x,
        t,
        y,
        period,
        blocks,
    };
    // SAFETY: the caller's guarantees, passed on.
    unsafe { on_isa(isa, job) }
}

/// The per-channel driver over an `[outer, channels, inner]` layout.
struct ChannelsJob<K> {
    kernel: K,
    x: *const f32,
    t: *const f32,
    y: *mut f32,
    shape: [usize; 3],
}

impl<K: Kernel2> SimdJob for ChannelsJob<K> {
    type Output = ();

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        // SAFETY: `run_channels`'s caller guarantees the ranges.
        unsafe { map_channels(s, self.kernel, self.x, self.t, self.y, self.shape) }
    }
}

/// Applies the two-input `kernel` over an `[outer, channels, inner]` layout
/// with `t[c]` as the second input of every element of channel `c`, on path
/// `isa`.
///
/// # Safety
/// `isa` must be available; `x` valid for `outer * channels * inner` reads,
/// `y` for as many writes (the same pointer or non-overlapping), `t` for
/// `channels` reads.
#[inline(always)]
pub(crate) unsafe fn run_channels<K: Kernel2>(
    isa: Isa,
    kernel: K,
    x: *const f32,
    t: *const f32,
    y: *mut f32,
    shape: [usize; 3],
) {
    let job = ChannelsJob {
        kernel,
        x,
        t,
        y,
        shape,
    };
    // SAFETY: the caller's guarantees, passed on.
    unsafe { on_isa(isa, job) }
}

/// `softmax` or `log_softmax` over consecutive rows.
struct RowsJob<L> {
    flavor: L,
    x: *const f32,
    y: *mut f32,
    rows: usize,
    row_len: usize,
}

impl<L: Flavor> SimdJob for RowsJob<L> {
    type Output = ();

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        let _ = self.flavor;
        for r in 0..self.rows {
            let offset = r * self.row_len;
            // SAFETY: `run_rows`'s caller guarantees `rows * row_len`
            // elements; `offset + row_len` is within them.
            unsafe { row::<S, L>(s, self.x.add(offset), self.y.add(offset), self.row_len) }
        }
    }
}

/// Applies `softmax` or `log_softmax` (`flavor`) to `rows` consecutive rows
/// of `row_len >= 1` elements from `x` into `y` on path `isa`.
///
/// # Safety
/// `isa` must be available; `x` valid for `rows * row_len` reads and `y` for
/// as many writes, the same pointer or non-overlapping.
#[inline(always)]
pub(crate) unsafe fn run_rows<L: Flavor>(
    isa: Isa,
    flavor: L,
    x: *const f32,
    y: *mut f32,
    [rows, row_len]: [usize; 2],
) {
    let job = RowsJob {
        flavor,
        x,
        y,
        rows,
        row_len,
    };
    // SAFETY: the caller's guarantees, passed on.
    unsafe { on_isa(isa, job) }
}
