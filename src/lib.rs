//! Accurate SIMD activation functions for `f32` slices, with the same bits on
//! every CPU.
//!
//! Each function is the crate's own approximation, written once against a small
//! set of SIMD primitives and compiled for AVX-512, AVX2 + FMA, NEON and a
//! one-lane scalar path. The path is picked at run time (once, then cached);
//! every path returns exactly the scalar path's bits, tails included.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod dispatch;
mod driver;
mod error;
mod isa;
#[path = "../kernels/mod.rs"]
mod kernels;
pub mod register;
mod simd;

pub use error::{Error, ISA_ENV_VAR};
pub use isa::{Isa, NATIVE};

use kernels::Kernel;

/// Checks that input and output have the same length.
#[inline(always)]
fn check_lengths(function: &str, x: usize, y: usize) {
    assert!(
        x == y,
        "{function}: input x has length {x} but output y has length {y}; they must be equal"
    );
}

/// Runs `kernel` from `x` into `y` on `isa`.
#[inline(always)]
fn apply_on<K: Kernel>(function: &str, isa: Isa, kernel: K, x: &[f32], y: &mut [f32]) {
    check_lengths(function, x.len(), y.len());
    debug_assert!(isa.is_available());
    // SAFETY: `isa` is available (callers pass `Isa::best()` or a checked
    // path); `x` and `y` are distinct borrows of equal length.
    unsafe { dispatch::run(isa, kernel, x.as_ptr(), y.as_mut_ptr(), x.len()) }
}

/// Runs `kernel` over `x` in place on `isa`.
#[inline(always)]
fn apply_inplace_on<K: Kernel>(isa: Isa, kernel: K, x: &mut [f32]) {
    debug_assert!(isa.is_available());
    let n = x.len();
    let p = x.as_mut_ptr();
    // SAFETY: as in `apply_on`; the driver supports input == output.
    unsafe { dispatch::run(isa, kernel, p, p, n) }
}

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
trait KernelUse {
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
    fn kernel_use<U: KernelUse>(&self, u: U) -> Result<U::Output, Error> {
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

pub mod reference;
