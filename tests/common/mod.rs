//! Shared by the integration tests: the functions under test, their error
//! bounds, and input sets.

#![allow(dead_code)]

use simd_activations::{Activation, Isa, reference};

/// Every elementwise function with each parameter set it is tested at
/// (from the crate's table), and the max ULP error it promises.
pub fn functions() -> Vec<(Activation, f64)> {
    reference::cases()
        .into_iter()
        .map(|(f, _)| (f, f.max_ulp()))
        .collect()
}

/// Every path this CPU runs except scalar, the oracle.
pub fn simd_paths() -> Vec<Isa> {
    Isa::available()
        .iter()
        .copied()
        .filter(|i| *i != Isa::Scalar)
        .collect()
}

/// Runs `f` on the scalar path.
pub fn scalar(f: Activation, x: &[f32]) -> Vec<f32> {
    on(f, Isa::Scalar, x)
}

/// Runs `f` on `isa`.
pub fn on(f: Activation, isa: Isa, x: &[f32]) -> Vec<f32> {
    let mut y = vec![0.0; x.len()];
    f.forward_on(isa, x, &mut y)
        .expect("path and parameters are valid");
    y
}

/// Every `stride`-th bit pattern, starting at `offset`.
pub fn strided(stride: u32, offset: u32) -> Vec<f32> {
    (0..=(u32::MAX - offset) / stride)
        .map(|k| f32::from_bits(offset + k * stride))
        .collect()
}

/// The values every function is checked at by name.
pub fn specials() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7f80_0001), // signalling NaN
        f32::from_bits(0xffc1_2345), // negative NaN with a payload
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        f32::from_bits(1),
        -f32::from_bits(1),
        f32::from_bits(0x007f_ffff),
        -f32::from_bits(0x007f_ffff),
        1.0,
        -1.0,
        f32::EPSILON,
        -f32::EPSILON,
    ];
    for &b in &[
        87.0f32, 88.0, 88.72, 88.73, 89.0, 100.0, 104.0, 110.0, 150.0, 200.0, 5.0, 9.0, 9.02, 3.92,
        10.0, 14.0, 14.2, 20.0, 30.0, 1e6, 1e30,
    ] {
        v.push(b);
        v.push(-b);
    }
    v
}

/// Every `f32` in `[lo, hi]` (both finite, same sign), at most `max` of them,
/// evenly strided through the bit patterns.
pub fn dense(lo: f32, hi: f32, max: u32) -> Vec<f32> {
    let (a, b) = if lo.abs() <= hi.abs() {
        (lo.abs().to_bits(), hi.abs().to_bits())
    } else {
        (hi.abs().to_bits(), lo.abs().to_bits())
    };
    let sign = if lo < 0.0 || hi < 0.0 { 0x8000_0000 } else { 0 };
    let count = b - a + 1;
    let step = count.div_ceil(max).max(1);
    (0..count.div_ceil(step))
        .map(|k| f32::from_bits((a + k * step) | sign))
        .collect()
}

/// A signalling `f32` NaN. No function outputs one (their NaNs are quiet),
/// so an output made by [`fresh`] with it shows any element left unwritten.
pub const SNAN: f32 = f32::from_bits(0x7f80_0123);

/// A fresh output of `n` elements for the forms that take uninitialized
/// memory, each holding `fill` (a signalling NaN of the element type).
pub fn fresh<T: Copy>(n: usize, fill: T) -> Vec<core::mem::MaybeUninit<T>> {
    vec![core::mem::MaybeUninit::new(fill); n]
}

/// Whether every element of `buf`, made by [`fresh`], still holds `fill`
/// (compared by `bits`): nothing was written.
pub fn kept<T: Copy>(buf: &[core::mem::MaybeUninit<T>], fill: T, bits: impl Fn(T) -> u32) -> bool {
    // SAFETY: `fresh` initialized every element, and the functions store
    // only values of the type.
    buf.iter()
        .all(|v| bits(unsafe { v.assume_init() }) == bits(fill))
}
