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
    /// [`gelu`]: `x Phi(x)`, PyTorch `GELU(approximate='none')`.
    Gelu,
    /// [`gelu_tanh`]: PyTorch `GELU(approximate='tanh')`.
    GeluTanh,
    /// [`silu`]: `x sigmoid(x)` (Swish).
    Silu,
    /// [`mish`]: `x tanh(softplus(x))`.
    Mish,
    /// [`softplus`]: PyTorch `Softplus(beta, threshold)`.
    Softplus {
        /// Scale of the input, finite and `> 0` (PyTorch default 1).
        beta: f32,
        /// Above `beta x > threshold` the result is `x` (PyTorch default 20);
        /// not NaN.
        threshold: f32,
    },
    /// [`sigmoid`]: `1 / (1 + e^-x)`.
    Sigmoid,
    /// [`tanh`]: hyperbolic tangent.
    Tanh,
    /// [`exp`]: `e^x`.
    Exp,
    /// [`erf`]: the error function.
    Erf,
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
        }
    }

    /// Checks the parameters: `Ok(())` for functions without any.
    pub fn validate(&self) -> Result<(), Error> {
        self.kernel_use(Validated)
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
    /// As [`Activation::forward`].
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
    /// As [`Activation::forward_on`].
    pub fn forward_inplace_on(&self, isa: Isa, x: &mut [f32]) -> Result<(), Error> {
        let isa = isa.check()?;
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
        })
    }
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
