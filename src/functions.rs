//! The slice functions: one per activation, `f(x, y)` and `f_inplace(x)`.

use crate::{Error, Isa, apply_inplace_on, apply_on, kernels};

/// Declares the slice functions `name(x, y)` and `name_inplace(x)` of a kernel.
macro_rules! elementwise {
    ($(#[$doc:meta])* $name:ident, $inplace:ident, $kernel:expr) => {
        $(#[$doc])*
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), or on the
        /// first call of any function if `SIMD_ACTIVATIONS_ISA` is invalid
        /// (see [`Isa::best`]).
        #[inline]
        pub fn $name(x: &[f32], y: &mut [f32]) {
            apply_on(stringify!($name), Isa::best(), $kernel, x, y)
        }

        #[doc = concat!("[`", stringify!($name), "`] in place: `x[i]` is replaced by its image.")]
        ///
        /// # Panics
        /// On the first call of any function if `SIMD_ACTIVATIONS_ISA` is
        /// invalid (see [`Isa::best`]).
        #[inline]
        pub fn $inplace(x: &mut [f32]) {
            apply_inplace_on(Isa::best(), $kernel, x)
        }
    };
}

elementwise!(
    /// `y[i] = e^x[i]`.
    ///
    /// Max error 1 ULP (measured over every `f32`: see the README), subnormal
    /// results included. `exp(NaN) = NaN`, `exp(-inf) = +0`,
    /// `exp(+inf) = +inf`, `exp(±0) = 1`; overflows to `+inf` above
    /// `88.72284`, underflows to `+0` below `-103.97208`.
    exp, exp_inplace, kernels::exp::Exp
);

elementwise!(
    /// `y[i] = 1 / (1 + e^-x[i])`, the logistic sigmoid.
    ///
    /// Max error 2 ULP. `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`,
    /// `sigmoid(+inf) = 1`, `sigmoid(±0) = 0.5`; results below `2^-126` are
    /// subnormal, not flushed.
    sigmoid, sigmoid_inplace, kernels::sigmoid::Sigmoid
);

elementwise!(
    /// `y[i] = x[i] sigmoid(x[i])`, SiLU (Swish with beta = 1).
    ///
    /// Max error 2 ULP. `silu(NaN) = NaN`, `silu(-inf) = -0.0`,
    /// `silu(+inf) = +inf`, `silu(±0) = ±0`.
    silu, silu_inplace, kernels::sigmoid::Silu
);

elementwise!(
    /// `y[i] = tanh(x[i])`.
    ///
    /// Max error 1 ULP. `tanh(NaN) = NaN`, `tanh(±inf) = ±1`,
    /// `tanh(±0) = ±0`; odd: `tanh(-x) = -tanh(x)` bit for bit.
    tanh, tanh_inplace, kernels::tanh::Tanh
);

elementwise!(
    /// `y[i] = erf(x[i])`, the error function `2/sqrt(pi) ∫0^x e^(-t²) dt`.
    ///
    /// Max error 1 ULP, near 0 included (relative accuracy down to the
    /// subnormals). `erf(NaN) = NaN`, `erf(±inf) = ±1`, `erf(±0) = ±0`; odd.
    erf, erf_inplace, kernels::erf::Erf
);

elementwise!(
    /// `y[i] = x[i] Phi(x[i]) = x/2 (1 + erf(x/sqrt 2))`: GELU as PyTorch's
    /// `GELU(approximate='none')`.
    ///
    /// Max error 2 ULP, including the left tail (`x < -5`, where the result
    /// is tiny and the naive formula loses every digit) down to the
    /// subnormals. `gelu(NaN) = NaN`, `gelu(-inf) = -0.0`,
    /// `gelu(+inf) = +inf`, `gelu(±0) = ±0`.
    gelu, gelu_inplace, kernels::gelu::Gelu
);

elementwise!(
    /// `y[i] = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))`: PyTorch's
    /// `GELU(approximate='tanh')`.
    ///
    /// Max error 2 ULP against that formula evaluated exactly, left tail
    /// included. `gelu_tanh(NaN) = NaN`, `gelu_tanh(-inf) = -0.0`,
    /// `gelu_tanh(+inf) = +inf`, `gelu_tanh(±0) = ±0`.
    gelu_tanh, gelu_tanh_inplace, kernels::gelu_tanh::GeluTanh
);

elementwise!(
    /// `y[i] = x tanh(softplus(x))`, Mish.
    ///
    /// Max error 2 ULP, including `x << 0` where the result is
    /// `≈ x e^x` and tiny. `mish(NaN) = NaN`, `mish(-inf) = -0.0`,
    /// `mish(+inf) = +inf`, `mish(±0) = ±0`.
    mish, mish_inplace, kernels::mish::Mish
);

/// `y[i] = log(1 + e^(beta x[i])) / beta`, or `x[i]` where
/// `beta * x[i] > threshold`: PyTorch's `Softplus(beta, threshold)` (defaults
/// `beta = 1`, `threshold = 20`).
///
/// Max error 2 ULP. `softplus(NaN) = NaN`, `softplus(-inf) = +0`,
/// `softplus(+inf) = +inf`, `softplus(±0) = ln 2 / beta`; never negative.
///
/// # Errors
/// [`Error::InvalidParameter`] if `beta` is not finite and `> 0`, or
/// `threshold` is NaN; nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), or if
/// `SIMD_ACTIVATIONS_ISA` is invalid (see [`Isa::best`]).
#[inline]
pub fn softplus(x: &[f32], y: &mut [f32], beta: f32, threshold: f32) -> Result<(), Error> {
    let kernel = kernels::softplus::Softplus::new(beta, threshold)?;
    apply_on("softplus", Isa::best(), kernel, x, y);
    Ok(())
}

/// [`softplus`] in place.
///
/// # Errors
/// As [`softplus`].
///
/// # Panics
/// If `SIMD_ACTIVATIONS_ISA` is invalid (see [`Isa::best`]).
#[inline]
pub fn softplus_inplace(x: &mut [f32], beta: f32, threshold: f32) -> Result<(), Error> {
    let kernel = kernels::softplus::Softplus::new(beta, threshold)?;
    apply_inplace_on(Isa::best(), kernel, x);
    Ok(())
}
