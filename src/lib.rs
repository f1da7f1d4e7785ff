//! Accurate SIMD activation functions for `f32` slices, with the same bits on
//! every CPU.
//!
//! Each function is the crate's own approximation, written once against a small
//! set of SIMD primitives and compiled for AVX-512, AVX2 + FMA, NEON and a
//! one-lane scalar path. The path is picked at run time (once, then cached);
//! every path returns exactly the scalar path's bits, tails included.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod activation;
pub mod capi;
mod dispatch;
mod driver;
mod error;
mod functions;
mod isa;
#[path = "../kernels/mod.rs"]
mod kernels;
mod paired;
pub mod reference;
pub mod register;
mod rows;
mod simd;

pub use activation::Activation;
pub use error::{Error, ISA_ENV_VAR};
pub use functions::*;
pub use isa::{Isa, NATIVE};
pub use paired::*;
pub use rows::*;

use kernels::Kernel;

/// Checks that input and output have the same length.
#[inline(always)]
pub(crate) fn check_lengths(function: &str, x: usize, y: usize) {
    assert!(
        x == y,
        "{function}: input x has length {x} but output y has length {y}; they must be equal"
    );
}

/// Runs `kernel` from `x` into `y` on `isa`.
#[inline(always)]
pub(crate) fn apply_on<K: Kernel>(function: &str, isa: Isa, kernel: K, x: &[f32], y: &mut [f32]) {
    check_lengths(function, x.len(), y.len());
    debug_assert!(isa.is_available());
    // SAFETY: `isa` is available (callers pass `Isa::best()` or a checked
    // path); `x` and `y` are distinct borrows of equal length.
    unsafe { dispatch::run(isa, kernel, x.as_ptr(), y.as_mut_ptr(), x.len()) }
}

/// Runs `kernel` over `x` in place on `isa`.
#[inline(always)]
pub(crate) fn apply_inplace_on<K: Kernel>(isa: Isa, kernel: K, x: &mut [f32]) {
    debug_assert!(isa.is_available());
    let n = x.len();
    let p = x.as_mut_ptr();
    // SAFETY: as in `apply_on`; the driver supports input == output.
    unsafe { dispatch::run(isa, kernel, p, p, n) }
}
