//! Register-level API on [`wide::f32x8`], for engines that apply an activation
//! inside their own loops (a matmul epilogue, a fused bias-and-activation pass)
//! instead of making a separate pass over memory.
//!
//! Each function is the same kernel as the slice function of the same name and
//! returns the scalar path's bits. Where the build's target features
//! guarantee a path, the function is inlined into the caller's code on it:
//! - x86-64 with the x86-64-v3 features enabled (`-C target-cpu=haswell` or
//!   later, `-C target-cpu=native`, or
//!   `-C target-feature=+avx2,+fma,+bmi1,+bmi2,+lzcnt,+popcnt,+f16c`):
//!   one AVX2 + FMA vector;
//! - aarch64 (NEON is part of the base target): two NEON vectors.
//!
//! Otherwise the path is chosen per call, at run time. In an x86 build
//! without every feature of the AVX2 path (a default build: no
//! `-C target-cpu`), a call reads the slice functions' cached path
//! ([`Isa::try_best`](crate::Isa::try_best): two atomic loads) and, where
//! that is AVX2 or AVX-512, calls a function compiled for AVX2 with the
//! register's two 128-bit halves, which runs the kernel on one vector. Where
//! it is the scalar path, while `SIMD_ACTIVATIONS_ISA` is invalid (no panic
//! here; each call then reads the variable again, as every dispatching call
//! does), and on other targets, the scalar kernel runs on each lane. A build
//! that inlines its path ignores [`Isa::set_limit`](crate::Isa::set_limit)
//! and the variable here; the bits are the same on every path.
//!
//! That call runs at about two thirds of the inlined speed. Where the
//! registers can be gathered first, apply the function to a block of them
//! instead, with [`block`] (`register::block::gelu(&mut regs)`) or
//! [`Activation::forward_f32x8_block`]. A block call dispatches at run time
//! to the best path once per block, as the slice functions do, so a fused
//! epilogue that keeps a few dozen registers (a tile's row, in L1) and
//! activates them in one call runs near the slice functions' speed on every
//! build (the README's register section has the figures). [`wide`] is
//! re-exported, so no second dependency is needed.
//!
//! ```
//! use simd_activations::register;
//! use simd_activations::register::wide::f32x8;
//!
//! let acc = f32x8::from([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]);
//! let y = register::gelu(acc);
//! let mut z = [0.0f32; 8];
//! simd_activations::gelu(&acc.to_array(), &mut z);
//! assert_eq!(y.to_array(), z);
//! ```

use crate::driver::eval;
use crate::kernels::{Kernel, KernelUse};
use crate::simd::Simd;
use crate::table::activation_table;
use crate::{Activation, Error, kernels};
pub use wide;
use wide::f32x8;

// A block of registers is read as the floats it holds, in order.
const _: () = assert!(size_of::<f32x8>() == 8 * size_of::<f32>());
const _: () = assert!(align_of::<f32x8>() >= align_of::<f32>());

/// The floats of a block of registers, in order.
fn floats(x: &mut [f32x8]) -> &mut [f32] {
    // SAFETY: `f32x8` is eight `f32` lanes in order, with no padding (its
    // size is checked above) and at least `f32`'s alignment; the slice is
    // exclusively borrowed for the result's lifetime, and every bit pattern
    // is a valid `f32`.
    unsafe { core::slice::from_raw_parts_mut(x.as_mut_ptr().cast::<f32>(), x.len() * 8) }
}

/// The kernel (and the NaN rule) on eight floats, on whatever path runs
/// it: one AVX2 vector, two NEON vectors or eight scalar lanes.
struct Eight<K> {
    kernel: K,
    x: [f32; 8],
}

impl<K: Kernel> Eight<K> {
    /// On the scalar path, kept out of the caller's loop: where a path is
    /// chosen per call, the vector path is the one expected.
    #[cfg(not(any(
        simd_activations_native = "avx2",
        simd_activations_native = "avx512",
        simd_activations_native = "neon"
    )))]
    #[cold]
    #[inline(never)]
    fn run_scalar(self) -> [f32; 8] {
        self.run(crate::simd::scalar::Scalar)
    }

    #[inline(always)]
    fn run<S: Simd>(self, s: S) -> [f32; 8] {
        const { assert!(8 % S::LANES == 0) };
        let mut out = [0.0f32; 8];
        for i in (0..8).step_by(S::LANES) {
            // SAFETY: `i + S::LANES <= 8` (`S::LANES` divides 8), so the
            // load and the store stay within the eight floats of `x` and
            // `out`.
            unsafe {
                let v = eval(s, self.kernel, s.load(self.x.as_ptr().add(i)));
                s.store(out.as_mut_ptr().add(i), v);
            }
        }
        out
    }
}

/// Applies `kernel` (and the NaN rule) to the eight lanes of `x`: inlined
/// on the path the build target guarantees (see [`crate::register`]), or,
/// in an x86 build without one, through one call of a function compiled
/// for AVX2 where the slice functions' path has it.
#[inline(always)]
fn eval8<K: Kernel>(kernel: K, x: f32x8) -> f32x8 {
    let job = Eight {
        kernel,
        x: x.to_array(),
    };
    // `build.rs` sets `simd_activations_native` when the build target enables
    // every feature of a path.
    #[cfg(any(simd_activations_native = "avx2", simd_activations_native = "avx512"))]
    // SAFETY: the build enables every x86-64-v3 feature (the cfg above), so
    // the code only runs on CPUs that have them.
    let out = job.run(crate::simd::avx2::Avx2(unsafe {
        pulp::x86::V3::new_unchecked()
    }));
    #[cfg(simd_activations_native = "neon")]
    // SAFETY: the build enables NEON (the cfg above).
    let out = job.run(crate::simd::neon::Neon(unsafe {
        pulp::aarch64::Neon::new_unchecked()
    }));
    #[cfg(not(any(
        simd_activations_native = "avx2",
        simd_activations_native = "avx512",
        simd_activations_native = "neon"
    )))]
    let out = {
        // The slice functions' path (without their panic while
        // `SIMD_ACTIVATIONS_ISA` is invalid: the scalar kernel then). An
        // AVX-512 path runs this on AVX2, which it includes: a register is
        // eight lanes.
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        if matches!(
            crate::Isa::try_best(),
            Ok(crate::Isa::Avx2 | crate::Isa::Avx512)
        ) {
            #[cfg(target_arch = "x86")]
            use core::arch::x86::_mm_loadu_ps;
            #[cfg(target_arch = "x86_64")]
            use core::arch::x86_64::_mm_loadu_ps;
            // SAFETY: `try_best` returns only paths this CPU runs, and a
            // CPU that runs AVX-512 runs AVX2 (the available paths are a
            // prefix of scalar, AVX2, AVX-512: see `Isa::available`), which
            // includes SSE; each load reads four of the eight floats of
            // `job.x`.
            unsafe {
                let (lo, hi) = (
                    _mm_loadu_ps(job.x.as_ptr()),
                    _mm_loadu_ps(job.x.as_ptr().add(4)),
                );
                eval8_avx2(job.kernel, lo, hi)
            }
        } else {
            job.run_scalar()
        }
        #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
        job.run_scalar()
    };
    f32x8::new(out)
}

/// [`eval8`] on the AVX2 path, called from a build without every feature
/// of that path: the register comes in as two 128-bit halves, so that the
/// loads that read them back are served by the stores that wrote them (see
/// [`Avx2::join_halves`](crate::simd::avx2::Avx2::join_halves)). An
/// engine's own `#[target_feature]` function inlines it only if it enables
/// every feature listed here.
///
/// # Safety
/// The CPU must run the AVX2 path (`Isa::Avx2.is_available()`).
#[cfg(all(
    any(target_arch = "x86", target_arch = "x86_64"),
    not(any(simd_activations_native = "avx2", simd_activations_native = "avx512"))
))]
#[target_feature(enable = "avx,avx2,fma,bmi1,bmi2,lzcnt,popcnt,f16c")]
unsafe fn eval8_avx2<K: Kernel>(
    kernel: K,
    lo: crate::simd::avx2::Half,
    hi: crate::simd::avx2::Half,
) -> [f32; 8] {
    // SAFETY: the caller guarantees x86-64-v3 (the AVX2 path's features).
    let s = crate::simd::avx2::Avx2(unsafe { pulp::x86::V3::new_unchecked() });
    let mut out = [0.0f32; 8];
    // SAFETY: `out` holds eight floats, one vector.
    unsafe { s.store(out.as_mut_ptr(), eval(s, kernel, s.join_halves(lo, hi))) };
    out
}

/// Declares the register function and the block function of every row of
/// the table.
macro_rules! declare_register {
    ($([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal $pdoc:tt)+ })?) $docs:tt $bound:literal $measured:literal ($kernel:expr) $($rest:tt)*])*) => {
        $( register_fn!($name $variant [$($($param)+)?] ($kernel) $bound $measured); )*

        /// Each function on a block of registers, in place, dispatched at run
        /// time once per block (the slice function's path and bits): the
        /// faster form in a default build (see the [module docs](super)).
        pub mod block {
            use crate::{Activation, Error};
            use wide::f32x8;
            $(
                #[doc = concat!("[`crate::", stringify!($name), "`] on every lane of `x`, in place: the same bits, max error (", stringify!($bound), " ULP; ", stringify!($measured), " measured over every `f32`, at the default parameters where it has any) and special values.")]
                ///
                /// # Errors
                /// As [`Activation::forward_f32x8_block`].
                #[inline]
                pub fn $name(x: &mut [f32x8] $($(, $param: f32)+)?) -> Result<(), Error> {
                    Activation::$variant $({ $($param),+ })?.forward_f32x8_block(x)
                }
            )*
        }
    };
}

/// The register function of one row: infallible without parameters,
/// returning a `Result` (the parameters' domain) with them.
macro_rules! register_fn {
    ($name:ident $variant:ident [] ($kernel:expr) $bound:literal $measured:literal) => {
        #[doc = concat!("[`crate::", stringify!($name), "`] on eight lanes: the same bits, max error (", stringify!($bound), " ULP; ", stringify!($measured), " measured over every `f32`) and special values.")]
        #[inline(always)]
        pub fn $name(x: f32x8) -> f32x8 {
            eval8($kernel, x)
        }

        #[cfg(test)]
        mod $name {
            #[test]
            fn gives_the_scalar_paths_bits() {
                super::check_register(crate::Activation::$variant, |v| Ok(super::$name(v)));
            }
        }
    };
    ($name:ident $variant:ident [$($param:ident)+] ($kernel:expr) $bound:literal $measured:literal) => {
        #[doc = concat!("[`crate::", stringify!($name), "`] on eight lanes: the same bits, max error (", stringify!($bound), " ULP; ", stringify!($measured), " measured over every `f32` at the default parameters) and special values.")]
        ///
        /// # Errors
        #[doc = concat!("[`Error::InvalidParameter`] for a parameter outside its domain (see [`Activation::", stringify!($variant), "`]).")]
        /// Validate once outside a hot loop with [`Activation::validate`] if
        /// that matters.
        #[inline(always)]
        pub fn $name(x: f32x8, $($param: f32),+) -> Result<f32x8, Error> {
            Activation::$variant { $($param),+ }.forward_f32x8(x)
        }

        #[cfg(test)]
        mod $name {
            use crate::Activation;

            #[test]
            #[allow(irrefutable_let_patterns)]
            fn gives_the_scalar_paths_bits() {
                for (f, _) in crate::reference::cases() {
                    if let Activation::$variant { $($param),+ } = f {
                        super::check_register(f, |v| super::$name(v, $($param),+));
                    }
                }
            }
        }
    };
}

activation_table!(declare_register);

impl Activation {
    /// The function on the eight lanes of a register (see [`crate::register`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] as for [`Activation::forward`].
    #[inline(always)]
    pub fn forward_f32x8(&self, x: f32x8) -> Result<f32x8, Error> {
        struct Register(f32x8);
        impl KernelUse for Register {
            type Output = f32x8;
            #[inline(always)]
            fn with<K: Kernel>(self, kernel: K) -> f32x8 {
                eval8(kernel, self.0)
            }
        }
        self.kernel_use(Register(x))
    }

    /// The function on every lane of a block of registers, in place, on the
    /// dispatch path ([`Isa::best`](crate::Isa::best), detected once): the
    /// bits of the slice functions and of [`Activation::forward_f32x8`].
    ///
    /// # Errors
    /// As [`Activation::forward_inplace`].
    #[inline]
    pub fn forward_f32x8_block(&self, x: &mut [f32x8]) -> Result<(), Error> {
        self.forward_inplace(floats(x))
    }
}

/// Asserts that `register` gives `f`'s scalar-path bits on every lane (or
/// the same error).
#[cfg(test)]
fn check_register(f: Activation, register: impl Fn(f32x8) -> Result<f32x8, Error>) {
    let x = crate::table::test_inputs();
    let mut want = vec![0.0; x.len()];
    let forward = f.forward_on(crate::Isa::Scalar, &x, &mut want);
    for (chunk, want) in x.chunks_exact(8).zip(want.chunks_exact(8)) {
        let got = register(f32x8::new(chunk.try_into().unwrap()));
        assert_eq!(got.as_ref().err(), forward.as_ref().err(), "{f:?}");
        if let Ok(got) = got {
            let got = got.to_array().map(f32::to_bits);
            let want: Vec<u32> = want.iter().map(|v| v.to_bits()).collect();
            assert_eq!(got[..], want[..], "{f:?} at {chunk:?}");
        }
    }
}
