//! `gelu_tanh(x)`: placeholder kernel, replaced by the real approximation.

use super::Kernel;
use crate::simd::Simd;

/// `gelu_tanh`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GeluTanh;

impl Kernel for GeluTanh {
    #[inline(always)]
    fn apply<S: Simd>(self, _s: S, x: S::F) -> S::F {
        x
    }
}
