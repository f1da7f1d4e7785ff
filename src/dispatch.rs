//! Runs a kernel over a slice on a chosen path: one `#[target_feature]`
//! function per (kernel, path), obtained from pulp's `vectorize`, with the
//! driver and the kernel inlined into it.

use crate::Isa;
use crate::driver::map;
use crate::kernels::Kernel;
use crate::simd::Simd;
use crate::simd::scalar::Scalar;

/// The driver over one slice, as a closure pulp can compile with a token's
/// target features enabled.
struct MapJob<S, K> {
    simd: S,
    kernel: K,
    x: *const f32,
    y: *mut f32,
    n: usize,
}

impl<S: Simd, K: Kernel> pulp::NullaryFnOnce for MapJob<S, K> {
    type Output = ();

    #[inline(always)]
    fn call(self) {
        // SAFETY: `run`'s caller guarantees the pointer ranges.
        unsafe { map(self.simd, self.kernel, self.x, self.y, self.n) }
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
    match isa {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx512 => {
            // SAFETY: the caller guarantees AVX-512 (x86-64-v4) is available.
            let token = unsafe { pulp::x86::V4::new_unchecked() };
            let simd = crate::simd::avx512::Avx512(token);
            token.vectorize(MapJob { simd, kernel, x, y, n })
        }
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx2 => {
            // SAFETY: the caller guarantees AVX2 + FMA (x86-64-v3) is available.
            let token = unsafe { pulp::x86::V3::new_unchecked() };
            let simd = crate::simd::avx2::Avx2(token);
            token.vectorize(MapJob { simd, kernel, x, y, n })
        }
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            // SAFETY: the caller guarantees NEON is available.
            let token = unsafe { pulp::aarch64::Neon::new_unchecked() };
            let simd = crate::simd::neon::Neon(token);
            token.vectorize(MapJob { simd, kernel, x, y, n })
        }
        // SAFETY: the caller's pointer guarantees, passed on.
        _ => unsafe { run_scalar(kernel, x, y, n) },
    }
}

/// The scalar path. Where the CPU has hardware FMA it runs with that feature
/// enabled, so `f32::mul_add` is one instruction instead of a library call;
/// both give the same bits, since a fused multiply-add has one correct result.
///
/// # Safety
/// As for [`run`]: `x` valid for `n` reads, `y` for `n` writes, same or
/// non-overlapping.
#[inline(always)]
unsafe fn run_scalar<K: Kernel>(kernel: K, x: *const f32, y: *mut f32, n: usize) {
    let job = MapJob {
        simd: Scalar,
        kernel,
        x,
        y,
        n,
    };
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    if let Some(token) = pulp::x86::V3::try_new() {
        return token.vectorize(job);
    }
    pulp::NullaryFnOnce::call(job)
}
