//! The crate's error type.

use crate::Isa;
use core::fmt;

/// What can go wrong when choosing a path or validating a parameter.
///
/// Slices of mismatched lengths are a programming error and panic instead (see
/// each function's `# Panics`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// An instruction-set name that is not one of [`Isa::ALL`]'s names.
    UnknownIsa {
        /// The name that was given.
        name: String,
    },
    /// A path this CPU (or this build's target architecture) cannot run.
    UnavailableIsa {
        /// The path that was asked for.
        isa: Isa,
    },
    /// The `SIMD_ACTIVATIONS_ISA` environment variable holds a value that is
    /// unknown or unavailable here.
    Env {
        /// The variable's value.
        value: String,
        /// Why it cannot be used.
        reason: Box<Error>,
    },
    /// A function parameter outside its domain.
    InvalidParameter {
        /// The function, e.g. `"softplus"`.
        function: &'static str,
        /// The parameter, e.g. `"beta"`.
        parameter: &'static str,
        /// The value that was given.
        value: f32,
        /// What the parameter must satisfy, e.g. `"finite and > 0"`.
        requirement: &'static str,
    },
    /// A function name that is not one of [`Activation::ALL`](crate::Activation::ALL)'s
    /// names or their other names (see [`Activation`](crate::Activation)'s
    /// `FromStr`).
    UnknownFunction {
        /// The name that was given.
        name: String,
    },
    /// A function's text that names it but whose parameters cannot be read.
    Parse {
        /// The text that was given.
        input: String,
        /// What is wrong.
        message: String,
    },
    /// A slice or shape argument that does not fit the function's layout
    /// (e.g. a row length that does not divide the slice).
    InvalidShape {
        /// The function, e.g. `"softmax"`.
        function: &'static str,
        /// What is wrong, with the numbers involved.
        message: String,
    },
}

/// The environment variable that caps the path dispatch picks.
pub const ISA_ENV_VAR: &str = "SIMD_ACTIVATIONS_ISA";

fn valid_names() -> String {
    Isa::ALL
        .iter()
        .map(|i| i.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn available_names() -> String {
    Isa::available()
        .iter()
        .map(|i| i.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownIsa { name } => write!(
                f,
                "unknown instruction set {name:?}; valid names are: {}",
                valid_names()
            ),
            Error::UnavailableIsa { isa } => write!(
                f,
                "instruction set {} is not available on this CPU; available here: {}",
                isa.name(),
                available_names()
            ),
            Error::Env { value, reason } => {
                write!(f, "{ISA_ENV_VAR}={value:?} cannot be used: {reason}")
            }
            Error::InvalidParameter {
                function,
                parameter,
                value,
                requirement,
            } => write!(
                f,
                "{function}: parameter {parameter} = {value:?} is invalid; it must be {requirement}"
            ),
            Error::InvalidShape { function, message } => write!(f, "{function}: {message}"),
            Error::UnknownFunction { name } => {
                let known: Vec<&str> = crate::Activation::ALL.iter().map(|a| a.name()).collect();
                write!(
                    f,
                    "unknown function {name:?}; known functions: {}",
                    known.join(", ")
                )
            }
            Error::Parse { input, message } => write!(f, "cannot read {input:?}: {message}"),
        }
    }
}

impl std::error::Error for Error {}
