//! The kernels: one file per function, each written once against the
//! [`Simd`](crate::simd::Simd) primitives and instantiated per instruction set.
//!
//! A kernel maps one vector of inputs to one vector of outputs. It may assume
//! nothing about NaN inputs: the driver replaces the result for NaN lanes by the
//! quieted input (see `driver::eval`), so kernels only have to keep NaN lanes
//! from disturbing other lanes (they cannot: every primitive is lane-wise).

use crate::simd::Simd;

pub(crate) mod erf;
pub(crate) mod exp;
pub(crate) mod gelu;
pub(crate) mod gelu_tanh;
pub(crate) mod mish;
pub(crate) mod sigmoid;
pub(crate) mod softplus;
pub(crate) mod tanh;

/// An elementwise function on vectors of `f32`.
pub(crate) trait Kernel: Copy {
    /// The function on one vector.
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F;
}

/// Evaluates the polynomial with coefficients `c` (highest degree first) at
/// `x` by Horner's rule with fused multiply-adds.
#[inline(always)]
pub(crate) fn horner<S: Simd, const N: usize>(s: S, x: S::F, c: [f32; N]) -> S::F {
    let mut acc = s.splat(c[0]);
    for &ci in &c[1..] {
        acc = s.mul_add(acc, x, s.splat(ci));
    }
    acc
}

/// Horner's rule with per-lane coefficients: `tables` (highest degree
/// first) are read at `idx` with [`Simd::lookup16`].
#[inline(always)]
pub(crate) fn lookup_horner<S: Simd, const N: usize>(
    s: S,
    u: S::F,
    idx: S::I,
    tables: [&[f32; 16]; N],
) -> S::F {
    let mut acc = s.lookup16(tables[0], idx);
    for t in &tables[1..] {
        acc = s.mul_add(acc, u, s.lookup16(t, idx));
    }
    acc
}
