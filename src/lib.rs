//! Accurate SIMD activation functions for `f32`, `bf16` and `f16` slices,
//! with the same bits on every CPU.
//!
//! Each function is the crate's own approximation, written once against a small
//! set of SIMD primitives and compiled for AVX-512, AVX2 + FMA, NEON and a
//! one-lane scalar path. The path is picked at run time (once, then cached);
//! every path returns exactly the scalar path's bits, tails included.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod activation;
// The C interface: documented in its header, not among the Rust items.
#[cfg(feature = "capi")]
#[doc(hidden)]
pub mod capi;
mod dispatch;
mod driver;
mod element;
mod error;
mod functions;
mod gated;
mod isa;
#[path = "../kernels/mod.rs"]
mod kernels;
#[cfg(feature = "rayon")]
mod parallel;
#[cfg(feature = "reference")]
pub mod reference;
pub mod register;
mod rows;
mod simd;
mod table;
mod two_inputs;

pub use activation::Activation;
pub use element::Element;
pub use error::{Error, ISA_ENV_VAR};
pub use functions::*;
pub use gated::*;
pub use half::{bf16, f16};
pub use isa::{Isa, NATIVE};
#[cfg(feature = "rayon")]
pub use parallel::{
    CALLER_WORKS_MAX, CHUNK, PARALLEL_MIN, log_softmax_inplace_par, log_softmax_masked_inplace_par,
    log_softmax_masked_par, log_softmax_masked_uninit_par, log_softmax_par, log_softmax_uninit_par,
    softmax_inplace_par, softmax_masked_inplace_par, softmax_masked_par, softmax_masked_uninit_par,
    softmax_par, softmax_uninit_par,
};
pub use rows::*;
pub use two_inputs::*;
