//! `softplus(x; beta, threshold)`: placeholder kernel, replaced by the real
//! approximation.

use super::Kernel;
use crate::Error;
use crate::simd::Simd;

/// PyTorch's `Softplus(beta, threshold)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Softplus {
    beta: f32,
    threshold: f32,
}

impl Softplus {
    /// Validates the parameters: `beta` finite and `> 0`, `threshold` not NaN.
    pub(crate) fn new(beta: f32, threshold: f32) -> Result<Softplus, Error> {
        if !(beta.is_finite() && beta > 0.0) {
            return Err(Error::InvalidParameter {
                function: "softplus",
                parameter: "beta",
                value: beta,
                requirement: "finite and > 0",
            });
        }
        if threshold.is_nan() {
            return Err(Error::InvalidParameter {
                function: "softplus",
                parameter: "threshold",
                value: threshold,
                requirement: "a number (not NaN)",
            });
        }
        Ok(Softplus { beta, threshold })
    }
}

impl Kernel for Softplus {
    #[inline(always)]
    fn apply<S: Simd>(self, _s: S, x: S::F) -> S::F {
        let _ = (self.beta, self.threshold);
        x
    }
}
