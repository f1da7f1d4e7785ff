//! The C library of simd-activations: the `sa_*` functions, declared in
//! `assets/simd_activations.h`, built as `libsimd_activations.a` and
//! `libsimd_activations.so`. The functions are the library's `capi`
//! feature; this package only gives them the C library's form, so that a
//! Rust user of the library builds neither.

// Links the library, whose exported `sa_*` symbols are this library's.
pub use sa::capi;
