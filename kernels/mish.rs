//! `mish(x)`: placeholder kernel, replaced by the real approximation.

use super::Kernel;
use crate::simd::Simd;

/// `mish`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mish;

impl Kernel for Mish {
    #[inline(always)]
    fn apply<S: Simd>(self, _s: S, x: S::F) -> S::F {
        x
    }
}
