//! The slice functions: one per activation, `f(x, y)` and `f_inplace(x)`.

use crate::{Activation, Error, Isa, apply_inplace_on, apply_on, kernels};

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
    /// Max error 1 ULP (0.765 measured over every `f32`), subnormal
    /// results included. `exp(NaN) = NaN`, `exp(-inf) = +0`,
    /// `exp(+inf) = +inf`, `exp(±0) = 1`; overflows to `+inf` above
    /// `88.72284`, underflows to `+0` below `-103.97208`.
    exp, exp_inplace, kernels::exp::Exp
);

elementwise!(
    /// `y[i] = 1 / (1 + e^-x[i])`, the logistic sigmoid.
    ///
    /// Max error 2 ULP (0.932 measured over every `f32`).
    /// `sigmoid(NaN) = NaN`, `sigmoid(-inf) = +0`, `sigmoid(+inf) = 1`,
    /// `sigmoid(±0) = 0.5`; results below `2^-126` are subnormal, not
    /// flushed.
    sigmoid, sigmoid_inplace, kernels::sigmoid::Sigmoid
);

elementwise!(
    /// `y[i] = x[i] sigmoid(x[i])`, SiLU (Swish with beta = 1).
    ///
    /// Max error 2 ULP (0.999 measured over every `f32`). `silu(NaN) = NaN`,
    /// `silu(-inf) = -0.0`, `silu(+inf) = +inf`, `silu(±0) = ±0`.
    silu, silu_inplace, kernels::sigmoid::Silu
);

elementwise!(
    /// `y[i] = tanh(x[i])`.
    ///
    /// Max error 1 ULP (0.640 measured over every `f32`). `tanh(NaN) = NaN`,
    /// `tanh(±inf) = ±1`,
    /// `tanh(±0) = ±0`; odd: `tanh(-x) = -tanh(x)` bit for bit.
    tanh, tanh_inplace, kernels::tanh::Tanh
);

elementwise!(
    /// `y[i] = erf(x[i])`, the error function `2/sqrt(pi) ∫0^x e^(-t²) dt`.
    ///
    /// Max error 1 ULP (0.629 measured over every `f32`), near 0 included
    /// (relative accuracy down to the
    /// subnormals). `erf(NaN) = NaN`, `erf(±inf) = ±1`, `erf(±0) = ±0`; odd.
    erf, erf_inplace, kernels::erf::Erf
);

elementwise!(
    /// `y[i] = x[i] Phi(x[i]) = x/2 (1 + erf(x/sqrt 2))`: GELU as PyTorch's
    /// `GELU(approximate='none')`.
    ///
    /// Max error 2 ULP (1.273 measured over every `f32`), including the left
    /// tail (`x < -5`, where the result
    /// is tiny and the naive formula loses every digit) down to the
    /// subnormals. `gelu(NaN) = NaN`, `gelu(-inf) = -0.0`,
    /// `gelu(+inf) = +inf`, `gelu(±0) = ±0`.
    gelu, gelu_inplace, kernels::gelu::Gelu
);

elementwise!(
    /// `y[i] = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))`: PyTorch's
    /// `GELU(approximate='tanh')`.
    ///
    /// Max error 2 ULP (1.074 measured over every `f32`) against that formula
    /// evaluated exactly, left tail
    /// included. `gelu_tanh(NaN) = NaN`, `gelu_tanh(-inf) = -0.0`,
    /// `gelu_tanh(+inf) = +inf`, `gelu_tanh(±0) = ±0`.
    gelu_tanh, gelu_tanh_inplace, kernels::gelu_tanh::GeluTanh
);

elementwise!(
    /// `y[i] = x tanh(softplus(x))`, Mish.
    ///
    /// Max error 2 ULP (1.201 measured over every `f32`), including `x << 0`
    /// where the result is
    /// `≈ x e^x` and tiny. `mish(NaN) = NaN`, `mish(-inf) = -0.0`,
    /// `mish(+inf) = +inf`, `mish(±0) = ±0`.
    mish, mish_inplace, kernels::mish::Mish
);

/// `y[i] = log(1 + e^(beta x[i])) / beta`, or `x[i]` where
/// `beta * x[i] > threshold`: PyTorch's `Softplus(beta, threshold)` (defaults
/// `beta = 1`, `threshold = 20`).
///
/// Max error 2 ULP (1.113 measured over every `f32` at `beta = 1`,
/// `threshold = 20`; at most 1.25 on sweeps at other parameters).
/// `softplus(NaN) = NaN`, `softplus(-inf) = +0`,
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

elementwise!(
    /// `y[i] = max(x[i], 0)`, PyTorch's `ReLU`.
    ///
    /// Exact. `relu(NaN) = NaN`, `relu(-inf) = +0`, `relu(+inf) = +inf`,
    /// `relu(-0.0) = -0.0` (as PyTorch's CPU kernel: `x` is kept for
    /// `x >= 0`).
    relu, relu_inplace, kernels::relu::Relu
);

elementwise!(
    /// `y[i] = min(max(x[i], 0), 6)`, PyTorch's `ReLU6`.
    ///
    /// Exact. `relu6(NaN) = NaN`, `relu6(-inf) = +0`, `relu6(+inf) = 6`,
    /// `relu6(-0.0) = -0.0`.
    relu6, relu6_inplace, kernels::relu::Hardtanh::RELU6
);

elementwise!(
    /// `y[i] = relu6(x[i] + 3) / 6`, PyTorch's `Hardsigmoid`.
    ///
    /// Correctly rounded (max error 0.5 ULP against the exact formula; the
    /// clamps are decided on `x`, so `x` just below 3 gives `1 - 2^-24`, not
    /// `1`). `hardsigmoid(NaN) = NaN`, `hardsigmoid(-inf) = +0`,
    /// `hardsigmoid(+inf) = 1`, `hardsigmoid(±0) = 0.5`.
    hardsigmoid, hardsigmoid_inplace, kernels::hardsigmoid::Hardsigmoid
);

elementwise!(
    /// `y[i] = x[i] relu6(x[i] + 3) / 6`, PyTorch's `Hardswish`.
    ///
    /// Max error 0.5000001 ULP. `hardswish(NaN) = NaN`, `hardswish(-inf) = -0.0`
    /// (the limit; PyTorch's `-inf * 0` gives NaN), `hardswish(+inf) = +inf`,
    /// `hardswish(±0) = ±0`.
    hardswish, hardswish_inplace, kernels::hardsigmoid::Hardswish
);

elementwise!(
    /// `y[i] = x[i] / (1 + |x[i]|)`, PyTorch's `Softsign`.
    ///
    /// Max error 0.50000005 ULP. `softsign(NaN) = NaN`, `softsign(±inf) = ±1`,
    /// `softsign(±0) = ±0`; the result is in `[-1, 1]`.
    softsign, softsign_inplace, kernels::softsign::Softsign
);

elementwise!(
    /// `y[i] = x[i]`, PyTorch's `Identity`.
    ///
    /// Exact; a NaN comes out quieted (payload and sign kept), as from every
    /// function.
    identity, identity_inplace, kernels::step::Identity
);

elementwise!(
    /// `y[i] = scale (x[i] > 0 ? x[i] : alpha (e^x[i] - 1))`, PyTorch's
    /// `SELU` (`alpha = 1.6732632423543772...`,
    /// `scale = 1.0507009873554804...`).
    ///
    /// Max error 1 ULP, near `0-` included. `selu(NaN) = NaN`,
    /// `selu(-inf) = -1.7580993` (`-alpha scale`), `selu(+inf) = +inf`,
    /// `selu(±0) = ±0`.
    selu, selu_inplace, kernels::elu::Selu
);

/// Declares `name(x, y, params..)` and `name_inplace(x, params..)` for an
/// [`Activation`] variant with parameters.
macro_rules! parameterized {
    ($(#[$doc:meta])* $name:ident, $inplace:ident, $variant:ident { $($p:ident),* }) => {
        $(#[$doc])*
        ///
        /// # Errors
        /// [`Error::InvalidParameter`] for a parameter outside its domain (see
        #[doc = concat!("[`Activation::", stringify!($variant), "`]); nothing is written then.")]
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), or if
        /// `SIMD_ACTIVATIONS_ISA` is invalid (see [`Isa::best`]).
        #[inline]
        pub fn $name(x: &[f32], y: &mut [f32], $($p: f32),*) -> Result<(), Error> {
            Activation::$variant { $($p),* }.forward(x, y)
        }

        #[doc = concat!("[`", stringify!($name), "`] in place.")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($name), "`], with the in-place rules of [`Activation::validate_inplace`].")]
        ///
        /// # Panics
        /// If `SIMD_ACTIVATIONS_ISA` is invalid (see [`Isa::best`]).
        #[inline]
        pub fn $inplace(x: &mut [f32], $($p: f32),*) -> Result<(), Error> {
            Activation::$variant { $($p),* }.forward_inplace(x)
        }
    };
}

parameterized!(
    /// `y[i] = x[i]` for `x[i] > 0`, else `negative_slope * x[i]`: PyTorch's
    /// `LeakyReLU(negative_slope)` (default 0.01); any finite slope.
    ///
    /// Exact (the product rounded once). `leaky_relu(NaN) = NaN`,
    /// `leaky_relu(+inf) = +inf`, `leaky_relu(-inf) = -inf * slope`, or the
    /// limit `-0.0` for a zero slope (PyTorch: NaN); `leaky_relu(-0.0) =
    /// -0.0 * slope`.
    leaky_relu, leaky_relu_inplace, LeakyRelu { negative_slope }
);

parameterized!(
    /// `y[i] = min(max(x[i], min_val), max_val)`: PyTorch's
    /// `Hardtanh(min_val, max_val)` (defaults -1, 1); both finite,
    /// `min_val <= max_val`.
    ///
    /// Exact. `hardtanh(NaN) = NaN`, `hardtanh(-inf) = min_val`,
    /// `hardtanh(+inf) = max_val`; a zero inside the bounds keeps its sign.
    hardtanh, hardtanh_inplace, Hardtanh { min_val, max_val }
);

parameterized!(
    /// `y[i] = 0` for `x[i] < 0`, `at_zero` for `x[i] == ±0`, `1` for
    /// `x[i] > 0`: the Heaviside step (`torch.heaviside(x, at_zero)`);
    /// `at_zero` finite.
    ///
    /// Exact. `step(NaN) = NaN` (PyTorch gives 0; here NaN propagates as
    /// through every function), `step(-inf) = +0`, `step(+inf) = 1`.
    step, step_inplace, Step { at_zero }
);

parameterized!(
    /// `y[i] = x[i]` for `x[i] > 0`, else `alpha (e^x[i] - 1)`: PyTorch's
    /// `ELU(alpha)` (default 1); `alpha` finite, `>= 0` in place.
    ///
    /// Max error 1 ULP, including `x` near `0-` down to the subnormals,
    /// where `e^x - 1` is computed without cancellation. `elu(NaN) = NaN`,
    /// `elu(-inf) = -alpha`, `elu(+inf) = +inf`, `elu(±0) = alpha * ±0`.
    elu, elu_inplace, Elu { alpha }
);

parameterized!(
    /// `y[i] = x[i]` for `x[i] > 0`, else `alpha (e^(x[i]/alpha) - 1)`:
    /// PyTorch's `CELU(alpha)` (default 1); `alpha` finite and nonzero,
    /// `> 0` in place.
    ///
    /// Max error 1 ULP (the quotient `x/alpha` is corrected, so its rounding
    /// does not reach the result). `celu(NaN) = NaN`, `celu(-inf) = -alpha`
    /// (`-inf` for `alpha < 0`), `celu(+inf) = +inf`, `celu(±0) = ±0`.
    celu, celu_inplace, Celu { alpha }
);
