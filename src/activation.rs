//! [`Activation`]: a function chosen at run time, with its parameters.

use crate::kernels::{self, Kernel};
use crate::{Error, Isa, apply_inplace_on, apply_on};

/// An activation function, for engines that pick the function at run time
/// (from a model file, say).
///
/// Each variant computes exactly what the free function of the same name
/// computes, with the same bits.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Activation {
    /// [`gelu`](crate::gelu): `x Phi(x)`, PyTorch `GELU(approximate='none')`.
    Gelu,
    /// [`gelu_tanh`](crate::gelu_tanh): PyTorch `GELU(approximate='tanh')`.
    GeluTanh,
    /// [`silu`](crate::silu): `x sigmoid(x)` (Swish).
    Silu,
    /// [`mish`](crate::mish): `x tanh(softplus(x))`.
    Mish,
    /// [`softplus`](crate::softplus): PyTorch `Softplus(beta, threshold)`.
    Softplus {
        /// Scale of the input, finite and `> 0` (PyTorch default 1).
        beta: f32,
        /// Above `beta x > threshold` the result is `x` (PyTorch default 20);
        /// not NaN.
        threshold: f32,
    },
    /// [`sigmoid`](crate::sigmoid): `1 / (1 + e^-x)`.
    Sigmoid,
    /// [`tanh`](crate::tanh): hyperbolic tangent.
    Tanh,
    /// [`exp`](crate::exp): `e^x`.
    Exp,
    /// [`erf`](crate::erf): the error function.
    Erf,
    /// [`relu`](crate::relu): `max(x, 0)`.
    Relu,
    /// [`relu6`](crate::relu6): `min(max(x, 0), 6)`.
    Relu6,
    /// [`leaky_relu`](crate::leaky_relu): `x` for `x > 0`, else `negative_slope * x`.
    LeakyRelu {
        /// The slope below zero, finite (PyTorch default 0.01).
        negative_slope: f32,
    },
    /// [`hardtanh`](crate::hardtanh): `min(max(x, min_val), max_val)`.
    Hardtanh {
        /// The lower bound, finite (PyTorch default -1).
        min_val: f32,
        /// The upper bound, finite and `>= min_val` (PyTorch default 1).
        max_val: f32,
    },
    /// [`hardsigmoid`](crate::hardsigmoid): `relu6(x + 3) / 6`.
    Hardsigmoid,
    /// [`hardswish`](crate::hardswish): `x relu6(x + 3) / 6`.
    Hardswish,
    /// [`softsign`](crate::softsign): `x / (1 + |x|)`.
    Softsign,
    /// [`identity`](crate::identity): `x`.
    Identity,
    /// [`step`](crate::step): the Heaviside step, `at_zero` at `x == ±0`.
    Step {
        /// The value at zero, finite.
        at_zero: f32,
    },
    /// [`elu`](crate::elu): `x` for `x > 0`, else `alpha (e^x - 1)`.
    Elu {
        /// Finite (PyTorch default 1); `>= 0` in place.
        alpha: f32,
    },
    /// [`selu`](crate::selu): PyTorch's `SELU`, `scale elu(x; alpha)` with its fixed
    /// constants.
    Selu,
    /// [`celu`](crate::celu): `x` for `x > 0`, else `alpha (e^(x/alpha) - 1)`.
    Celu {
        /// Finite and nonzero (PyTorch default 1); `> 0` in place.
        alpha: f32,
    },
}

/// Something to do with a kernel, whatever its type (the dispatch of
/// [`Activation`] onto kernel types happens in one place).
pub(crate) trait KernelUse {
    type Output;
    fn with<K: Kernel>(self, kernel: K) -> Self::Output;
}

impl Activation {
    /// The function's name, as used by the free function (`"gelu_tanh"`).
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Gelu => "gelu",
            Activation::GeluTanh => "gelu_tanh",
            Activation::Silu => "silu",
            Activation::Mish => "mish",
            Activation::Softplus { .. } => "softplus",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Exp => "exp",
            Activation::Erf => "erf",
            Activation::Relu => "relu",
            Activation::Relu6 => "relu6",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Hardtanh { .. } => "hardtanh",
            Activation::Hardsigmoid => "hardsigmoid",
            Activation::Hardswish => "hardswish",
            Activation::Softsign => "softsign",
            Activation::Identity => "identity",
            Activation::Step { .. } => "step",
            Activation::Elu { .. } => "elu",
            Activation::Selu => "selu",
            Activation::Celu { .. } => "celu",
        }
    }

    /// Checks the parameters: `Ok(())` for functions without any.
    ///
    /// Every parameter must be finite; also `min_val <= max_val`
    /// ([`Activation::Hardtanh`]) and `alpha != 0` ([`Activation::Celu`]).
    /// In place, `alpha` must also be `>= 0` for [`Activation::Elu`] and
    /// `> 0` for [`Activation::Celu`] (PyTorch rejects a negative alpha
    /// there); see [`Activation::validate_inplace`].
    pub fn validate(&self) -> Result<(), Error> {
        self.kernel_use(Validated)
    }

    /// Checks the parameters for in-place use: those of
    /// [`Activation::validate`], and a non-negative `alpha` for
    /// [`Activation::Elu`] and [`Activation::Celu`].
    pub fn validate_inplace(&self) -> Result<(), Error> {
        self.validate()?;
        match *self {
            Activation::Elu { alpha } => non_negative_inplace("elu", alpha),
            Activation::Celu { alpha } => non_negative_inplace("celu", alpha),
            _ => Ok(()),
        }
    }

    /// Applies the function from `x` into `y` on the dispatch path
    /// ([`Isa::best`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a parameter is outside its domain (see
    /// [`Activation::validate`]); nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), or if
    /// `SIMD_ACTIVATIONS_ISA` is invalid (see [`Isa::best`]).
    pub fn forward(&self, x: &[f32], y: &mut [f32]) -> Result<(), Error> {
        self.forward_on(Isa::best(), x, y)
    }

    /// Applies the function to `x` in place on the dispatch path.
    ///
    /// # Errors
    /// As [`Activation::forward`], with the in-place parameter rules of
    /// [`Activation::validate_inplace`].
    ///
    /// # Panics
    /// If `SIMD_ACTIVATIONS_ISA` is invalid (see [`Isa::best`]).
    pub fn forward_inplace(&self, x: &mut [f32]) -> Result<(), Error> {
        self.forward_inplace_on(Isa::best(), x)
    }

    /// Applies the function from `x` into `y` on exactly the path `isa`.
    ///
    /// # Errors
    /// [`Error::UnavailableIsa`] if this CPU lacks `isa`;
    /// [`Error::InvalidParameter`] as for [`Activation::forward`].
    ///
    /// # Panics
    /// If `x.len() != y.len()`; the message gives both lengths.
    pub fn forward_on(&self, isa: Isa, x: &[f32], y: &mut [f32]) -> Result<(), Error> {
        let isa = isa.check()?;
        let name = self.name();
        self.kernel_use(Forward { isa, x, y, name })
    }

    /// Applies the function to `x` in place on exactly the path `isa`.
    ///
    /// # Errors
    /// As [`Activation::forward_on`], with the in-place parameter rules of
    /// [`Activation::validate_inplace`].
    pub fn forward_inplace_on(&self, isa: Isa, x: &mut [f32]) -> Result<(), Error> {
        let isa = isa.check()?;
        self.validate_inplace()?;
        self.kernel_use(ForwardInPlace { isa, x })
    }

    /// Validates the parameters, builds the kernel and hands it to `u`.
    #[inline(always)]
    pub(crate) fn kernel_use<U: KernelUse>(&self, u: U) -> Result<U::Output, Error> {
        Ok(match *self {
            Activation::Exp => u.with(kernels::exp::Exp),
            Activation::Sigmoid => u.with(kernels::sigmoid::Sigmoid),
            Activation::Silu => u.with(kernels::sigmoid::Silu),
            Activation::Tanh => u.with(kernels::tanh::Tanh),
            Activation::Erf => u.with(kernels::erf::Erf),
            Activation::Gelu => u.with(kernels::gelu::Gelu),
            Activation::GeluTanh => u.with(kernels::gelu_tanh::GeluTanh),
            Activation::Mish => u.with(kernels::mish::Mish),
            Activation::Softplus { beta, threshold } => {
                u.with(kernels::softplus::Softplus::new(beta, threshold)?)
            }
            Activation::Relu => u.with(kernels::relu::Relu),
            Activation::Relu6 => u.with(kernels::relu::Hardtanh::RELU6),
            Activation::LeakyRelu { negative_slope } => {
                u.with(kernels::relu::LeakyRelu::new(negative_slope)?)
            }
            Activation::Hardtanh { min_val, max_val } => {
                u.with(kernels::relu::Hardtanh::new(min_val, max_val)?)
            }
            Activation::Hardsigmoid => u.with(kernels::hardsigmoid::Hardsigmoid),
            Activation::Hardswish => u.with(kernels::hardsigmoid::Hardswish),
            Activation::Softsign => u.with(kernels::softsign::Softsign),
            Activation::Identity => u.with(kernels::step::Identity),
            Activation::Step { at_zero } => u.with(kernels::step::Step::new(at_zero)?),
            Activation::Elu { alpha } => u.with(kernels::elu::Elu::new(alpha)?),
            Activation::Selu => u.with(kernels::elu::Selu),
            Activation::Celu { alpha } => match kernels::elu::CeluKernel::new(alpha)? {
                kernels::elu::CeluKernel::Positive(k) => u.with(k),
                kernels::elu::CeluKernel::Negative(k) => u.with(k),
            },
        })
    }
}

/// In place, PyTorch rejects a negative `alpha` for `elu_` and `celu_`.
pub(crate) fn non_negative_inplace(function: &'static str, alpha: f32) -> Result<(), Error> {
    if alpha < 0.0 {
        return Err(Error::InvalidParameter {
            function,
            parameter: "alpha",
            value: alpha,
            requirement: ">= 0 in place",
        });
    }
    Ok(())
}

/// Does nothing with the kernel: building it validated the parameters.
struct Validated;

impl KernelUse for Validated {
    type Output = ();
    fn with<K: Kernel>(self, _kernel: K) {}
}

struct Forward<'a> {
    isa: Isa,
    x: &'a [f32],
    y: &'a mut [f32],
    name: &'static str,
}

impl KernelUse for Forward<'_> {
    type Output = ();
    fn with<K: Kernel>(self, kernel: K) {
        apply_on(self.name, self.isa, kernel, self.x, self.y)
    }
}

struct ForwardInPlace<'a> {
    isa: Isa,
    x: &'a mut [f32],
}

impl KernelUse for ForwardInPlace<'_> {
    type Output = ();
    fn with<K: Kernel>(self, kernel: K) {
        apply_inplace_on(self.isa, kernel, self.x)
    }
}
