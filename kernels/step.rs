//! `identity(x) = x` and `step(x)`, the Heaviside step with a chosen value at
//! zero (PyTorch's `torch.heaviside(x, at_zero)`): `0` for `x < 0`, `at_zero`
//! for `x == ±0`, `1` for `x > 0`.
//!
//! Approximation: none (compares and selects); exact, measured max error
//! 0 ULP over all 2^32 inputs.
//!
//! Special values: NaN in, the same NaN out (quieted), for both (PyTorch's
//! `heaviside(NaN)` is 0: here NaN propagates like in every other function).
//! `step(-inf) = +0`, `step(+inf) = 1`, `step(±0) = at_zero`;
//! `identity(-0.0) = -0.0`.

use super::{Kernel, finite};
use crate::Error;
use crate::simd::Simd;

/// `x`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Identity;

impl Kernel for Identity {
    const STREAM: bool = true;
    #[inline(always)]
    fn apply<S: Simd>(self, _s: S, x: S::F) -> S::F {
        x
    }
}

/// The Heaviside step with `at_zero` at `x == ±0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    at_zero: f32,
}

impl Step {
    /// Validates the value at zero: finite.
    pub(crate) fn new(at_zero: f32) -> Result<Step, Error> {
        Ok(Step {
            at_zero: finite("step", "at_zero", at_zero)?,
        })
    }
}

impl Kernel for Step {
    const STREAM: bool = true;
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        let zero = s.splat(0.0);
        let y = s.select(s.lt(x, zero), zero, s.splat(self.at_zero));
        s.select(s.gt(x, zero), s.splat(1.0), y)
    }
}
