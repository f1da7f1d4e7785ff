//! `gelu(x)`: placeholder kernel, replaced by the real approximation.

use super::Kernel;
use crate::simd::Simd;

/// `gelu`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gelu;

impl Kernel for Gelu {
    #[inline(always)]
    fn apply<S: Simd>(self, _s: S, x: S::F) -> S::F {
        x
    }
}
