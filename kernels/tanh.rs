//! `tanh(x)`: placeholder kernel, replaced by the real approximation.

use super::Kernel;
use crate::simd::Simd;

/// `tanh`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tanh;

impl Kernel for Tanh {
    #[inline(always)]
    fn apply<S: Simd>(self, _s: S, x: S::F) -> S::F {
        x
    }
}
