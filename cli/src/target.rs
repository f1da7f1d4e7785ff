//! What the command can measure: every elementwise function of the crate's
//! table (with its parameters), and the functions outside it: the row-wise
//! `softmax` and `log_softmax`, and `prelu`, `frelu` and the fused gated
//! units (`swiglu`, `geglu`, ...), which take a second input.

use crate::catalog;
use simd_activations::{Activation, Element, GatedUnit, Isa};
use std::fmt;
use std::str::FromStr;

/// A function the command measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// An elementwise function of the crate's table.
    Elementwise(Activation),
    /// `softmax` over rows.
    Softmax,
    /// `log_softmax` over rows.
    LogSoftmax,
    /// `prelu` with one weight per channel.
    Prelu,
    /// `frelu` against a second slice.
    Frelu,
    /// A fused gated unit, `act(gate) * up`: `x` is `gate`, `up` is the
    /// second input.
    Gated(GatedUnit),
}

/// The functions outside the table of elementwise functions.
const OTHERS: [Target; 4] = [
    Target::Softmax,
    Target::LogSoftmax,
    Target::Prelu,
    Target::Frelu,
];

/// The row length the row functions are measured with.
pub const ROW_LEN: usize = 4096;

impl Target {
    /// Every function of the crate: the elementwise ones, the others, then
    /// the gated units.
    pub fn all() -> Vec<Target> {
        catalog::functions()
            .into_iter()
            .map(Target::Elementwise)
            .chain(OTHERS)
            .chain(GatedUnit::ALL.iter().copied().map(Target::Gated))
            .collect()
    }

    /// The function's name, as the crate's function is named.
    pub fn name(self) -> &'static str {
        match self {
            Target::Elementwise(a) => a.name(),
            Target::Softmax => "softmax",
            Target::LogSoftmax => "log_softmax",
            Target::Prelu => "prelu",
            Target::Frelu => "frelu",
            Target::Gated(u) => u.name(),
        }
    }

    /// The error bound the crate promises, in ULP.
    pub fn bound(self) -> f64 {
        match self {
            Target::Elementwise(a) => a.max_ulp(),
            Target::Softmax => 2.0,
            Target::LogSoftmax => 1.0,
            Target::Prelu => 0.5,
            Target::Frelu => 0.0,
            Target::Gated(u) => u.max_ulp(),
        }
    }

    /// Whether the function works on rows (`softmax`, `log_softmax`).
    pub fn is_row_wise(self) -> bool {
        matches!(self, Target::Softmax | Target::LogSoftmax)
    }

    /// Applies the function to `x` on `isa`, into `y`. `x.len()` must suit
    /// the function's layout (a multiple of [`ROW_LEN`] or at most it for
    /// the row functions: see [`Target::check_size`]).
    pub fn run(self, isa: Isa, x: &[f32], aux: &Aux, y: &mut [f32]) {
        let result = match self {
            Target::Elementwise(a) => a.forward_on(isa, x, y),
            Target::Softmax => simd_activations::softmax_on(isa, x, y, row_len(x.len())),
            Target::LogSoftmax => simd_activations::log_softmax_on(isa, x, y, row_len(x.len())),
            Target::Prelu => {
                simd_activations::prelu_on(isa, x, y, &aux.weight, aux.weight.len(), aux.inner)
            }
            Target::Frelu => simd_activations::frelu_on(isa, x, &aux.condition, y),
            Target::Gated(u) => u.forward_on(isa, x, &aux.up, y),
        };
        result.expect("an available path and a valid shape");
    }

    /// Whether the function takes `bf16` and `f16` slices on its own (the
    /// elementwise and the row functions), which the table measures.
    pub fn has_half(self) -> bool {
        matches!(self, Target::Elementwise(_)) || self.is_row_wise()
    }

    /// [`Target::run`] on elements of type `T`, for the functions of
    /// [`Target::has_half`].
    pub fn run_typed<T: Element>(self, isa: Isa, x: &[T], y: &mut [T]) {
        let result = match self {
            Target::Elementwise(a) => a.forward_on(isa, x, y),
            Target::Softmax => simd_activations::softmax_on(isa, x, y, row_len(x.len())),
            Target::LogSoftmax => simd_activations::log_softmax_on(isa, x, y, row_len(x.len())),
            _ => unreachable!("{} takes no 16-bit slices", self.name()),
        };
        result.expect("an available path and a valid shape");
    }

    /// The naive loop of the function over `x`, into `y`; for a gated
    /// unit, the activation's loop and then a second loop multiplying by
    /// `up`, as it is written without a fused kernel.
    pub fn run_naive(self, x: &[f32], aux: &Aux, y: &mut [f32]) {
        match self {
            Target::Elementwise(a) => catalog::naive(a)(x, y),
            Target::Softmax => catalog::naive_softmax(x, y, row_len(x.len()), false),
            Target::LogSoftmax => catalog::naive_softmax(x, y, row_len(x.len()), true),
            Target::Prelu => catalog::naive_prelu(x, y, &aux.weight, aux.inner),
            Target::Frelu => catalog::naive_frelu(x, &aux.condition, y),
            Target::Gated(u) => {
                catalog::naive(u.activation())(x, y);
                for (o, &v) in y.iter_mut().zip(&aux.up) {
                    *o *= v;
                }
            }
        }
    }

    /// Whether the function can be measured on `n` elements; a message
    /// saying why not otherwise.
    pub fn check_size(self, n: usize) -> Result<(), String> {
        if self.is_row_wise() && n > ROW_LEN && !n.is_multiple_of(ROW_LEN) {
            return Err(format!(
                "{} runs on rows of {ROW_LEN}: a size above {ROW_LEN} must be a multiple of it (got {n})",
                self.name()
            ));
        }
        Ok(())
    }
}

/// The row length for `n` elements: [`ROW_LEN`], or `n` below it.
pub fn row_len(n: usize) -> usize {
    n.clamp(1, ROW_LEN)
}

/// The second inputs a function takes besides `x`: `prelu`'s weights and
/// layout, `frelu`'s condition, a gated unit's `up`.
#[derive(Default)]
pub struct Aux {
    /// `prelu`'s weights, one per channel.
    pub weight: Vec<f32>,
    /// `prelu`'s inner dimension.
    pub inner: usize,
    /// `frelu`'s second input.
    pub condition: Vec<f32>,
    /// A gated unit's second input, the factor of the activation.
    pub up: Vec<f32>,
}

impl Aux {
    /// The second inputs of `target` for the measurement inputs `x`.
    pub fn for_inputs(target: Target, x: &[f32]) -> Aux {
        match target {
            Target::Prelu => {
                let (channels, inner) = catalog::prelu_layout(x.len());
                Aux {
                    weight: catalog::prelu_weights(channels),
                    inner,
                    ..Aux::default()
                }
            }
            Target::Frelu => Aux {
                condition: catalog::frelu_condition(x),
                ..Aux::default()
            },
            Target::Gated(_) => Aux {
                up: gated_up(x),
                ..Aux::default()
            },
            _ => Aux::default(),
        }
    }
}

/// A gated unit's `up` for the inputs `x` (uniform in `[-10, 10]`): `x`
/// reversed and scaled into `[-4, 4]`, the range of an up projection's
/// outputs. (Only the command uses it, so it is not in `catalog`, which the
/// benchmarks share.)
fn gated_up(x: &[f32]) -> Vec<f32> {
    x.iter().rev().map(|v| 0.4 * v).collect()
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Elementwise(a) => write!(f, "{a}"),
            other => f.write_str(other.name()),
        }
    }
}

impl FromStr for Target {
    type Err = String;

    /// A function's name, with parameters for the elementwise ones
    /// (`leaky_relu(negative_slope=0.2)`), or one of their other names
    /// (`GELU`, `SiLU`, `SwiGLU`, ...).
    fn from_str(s: &str) -> Result<Target, String> {
        let s = s.trim();
        if let Some(t) = OTHERS.iter().find(|t| t.name() == s) {
            return Ok(*t);
        }
        if let Ok(u) = s.parse::<GatedUnit>() {
            return Ok(Target::Gated(u));
        }
        s.parse::<Activation>()
            .map(Target::Elementwise)
            .map_err(|e| {
                let names: Vec<&str> = Target::all().iter().map(|t| t.name()).collect();
                match e {
                    simd_activations::Error::UnknownFunction { .. } => {
                        format!(
                            "unknown function {s:?}; the functions are: {}",
                            names.join(", ")
                        )
                    }
                    e => e.to_string(),
                }
            })
    }
}
