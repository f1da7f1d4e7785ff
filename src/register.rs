//! Register-level API on [`wide::f32x8`], for engines that apply an activation
//! inside their own loops (a matmul epilogue, a fused bias-and-activation pass)
//! instead of making a separate pass over memory.
//!
//! Each function is the same kernel as the slice function of the same name and
//! returns the scalar path's bits. The instruction set is chosen at compile
//! time from the build's target features, since a register function is inlined
//! into the caller's code:
//! - x86-64 with the x86-64-v3 features enabled (`-C target-cpu=haswell` or
//!   later, `-C target-cpu=native`, or `-C target-feature=+avx2,+fma,+bmi1,+bmi2,+lzcnt,+popcnt`):
//!   one AVX2 + FMA vector;
//! - aarch64 (NEON is part of the base target): two NEON vectors;
//! - otherwise: the scalar kernel on each lane (the same bits, slowly).
//!
//! ```
//! use simd_activations::register;
//! use wide::f32x8;
//!
//! let acc = f32x8::from([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]);
//! let y = register::gelu(acc);
//! let mut z = [0.0f32; 8];
//! simd_activations::gelu(&acc.to_array(), &mut z);
//! assert_eq!(y.to_array(), z);
//! ```

use crate::activation::KernelUse;
use crate::driver::eval;
use crate::kernels::Kernel;
use crate::{Activation, Error, kernels};
use wide::f32x8;

/// Applies `kernel` (and the NaN rule) to the eight lanes of `x`.
#[inline(always)]
fn eval8<K: Kernel>(kernel: K, x: f32x8) -> f32x8 {
    let a = x.to_array();
    let mut out = [0.0f32; 8];
    // `build.rs` sets `simd_activations_native` when the build target enables
    // every feature of a path.
    #[cfg(any(simd_activations_native = "avx2", simd_activations_native = "avx512"))]
    {
        use crate::simd::Simd;
        // SAFETY: the build enables every x86-64-v3 feature (the cfg above),
        // so the code only runs on CPUs that have them.
        let s = crate::simd::avx2::Avx2(unsafe { pulp::x86::V3::new_unchecked() });
        // SAFETY: `a` and `out` hold exactly 8 floats.
        unsafe { s.store(out.as_mut_ptr(), eval(s, kernel, s.load(a.as_ptr()))) };
    }
    #[cfg(simd_activations_native = "neon")]
    {
        use crate::simd::Simd;
        // SAFETY: the build enables NEON (the cfg above).
        let s = crate::simd::neon::Neon(unsafe { pulp::aarch64::Neon::new_unchecked() });
        for half in [0, 4] {
            // SAFETY: `half + 4 <= 8`: both halves are in bounds.
            unsafe {
                let v = eval(s, kernel, s.load(a.as_ptr().add(half)));
                s.store(out.as_mut_ptr().add(half), v);
            }
        }
    }
    #[cfg(not(any(
        simd_activations_native = "avx2",
        simd_activations_native = "avx512",
        simd_activations_native = "neon"
    )))]
    {
        let s = crate::simd::scalar::Scalar;
        for (o, &v) in out.iter_mut().zip(&a) {
            *o = eval(s, kernel, v);
        }
    }
    f32x8::new(out)
}

/// Declares a register function for a kernel without parameters.
macro_rules! register_fn {
    ($(#[$doc:meta])* $name:ident, $kernel:expr) => {
        $(#[$doc])*
        #[inline(always)]
        pub fn $name(x: f32x8) -> f32x8 {
            eval8($kernel, x)
        }
    };
}

register_fn!(
    /// [`crate::exp`] on eight lanes: same semantics, error and special values.
    exp,
    kernels::exp::Exp
);
register_fn!(
    /// [`crate::erf`] on eight lanes: same semantics, error and special values.
    erf,
    kernels::erf::Erf
);
register_fn!(
    /// [`crate::tanh`] on eight lanes: same semantics, error and special values.
    tanh,
    kernels::tanh::Tanh
);
register_fn!(
    /// [`crate::sigmoid`] on eight lanes: same semantics, error and special
    /// values.
    sigmoid,
    kernels::sigmoid::Sigmoid
);
register_fn!(
    /// [`crate::silu`] on eight lanes: same semantics, error and special values.
    silu,
    kernels::sigmoid::Silu
);
register_fn!(
    /// [`crate::gelu`] on eight lanes: same semantics, error and special values.
    gelu,
    kernels::gelu::Gelu
);
register_fn!(
    /// [`crate::gelu_tanh`] on eight lanes: same semantics, error and special
    /// values.
    gelu_tanh,
    kernels::gelu_tanh::GeluTanh
);
register_fn!(
    /// [`crate::mish`] on eight lanes: same semantics, error and special values.
    mish,
    kernels::mish::Mish
);

register_fn!(
    /// [`crate::relu`] on eight lanes: same semantics and special values.
    relu,
    kernels::relu::Relu
);
register_fn!(
    /// [`crate::relu6`] on eight lanes: same semantics and special values.
    relu6,
    kernels::relu::Hardtanh::RELU6
);
register_fn!(
    /// [`crate::hardsigmoid`] on eight lanes: same semantics, error and
    /// special values.
    hardsigmoid,
    kernels::hardsigmoid::Hardsigmoid
);
register_fn!(
    /// [`crate::hardswish`] on eight lanes: same semantics, error and special
    /// values.
    hardswish,
    kernels::hardsigmoid::Hardswish
);
register_fn!(
    /// [`crate::softsign`] on eight lanes: same semantics, error and special
    /// values.
    softsign,
    kernels::softsign::Softsign
);
register_fn!(
    /// [`crate::identity`] on eight lanes (NaN quieted, as everywhere).
    identity,
    kernels::step::Identity
);
register_fn!(
    /// [`crate::selu`] on eight lanes: same semantics, error and special
    /// values.
    selu,
    kernels::elu::Selu
);

/// [`crate::softplus`] on eight lanes: same semantics, error and special
/// values.
///
/// # Errors
/// [`Error::InvalidParameter`] for `beta` not finite and `> 0` or a NaN
/// `threshold`. Validate once outside a hot loop with
/// [`Activation::validate`] if that matters.
#[inline(always)]
pub fn softplus(x: f32x8, beta: f32, threshold: f32) -> Result<f32x8, Error> {
    Ok(eval8(kernels::softplus::Softplus::new(beta, threshold)?, x))
}

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
}
