//! The slice functions: one per activation, `f(x, y)` and `f_inplace(x)`,
//! declared from the table of activations (`src/table.rs`).

use crate::table::activation_table;
use crate::{Activation, Element, Error};

/// Declares the slice functions of every row of the table.
macro_rules! declare_functions {
    ($([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal $pdoc:tt)+ })?) ($summary:literal $($doc:literal)*) $bound:literal $measured:literal ($kernel:expr) $($rest:tt)*])*) => {
        $( slice_functions!($name $inplace $variant [$($($param)+)?] ($kernel) ($summary $($doc)*) $bound $measured); )*
        $(
            #[cfg(test)]
            mod $name {
                use crate::Activation;
                use crate::table::IntoResult;

                /// The free functions give `Activation::forward`'s bits (or
                /// its error) at every parameter set the tests run.
                #[test]
                #[allow(irrefutable_let_patterns)]
                fn equal_activation_forward() {
                    let mut seen = false;
                    for (f, _) in crate::reference::cases() {
                        if let Activation::$variant { $($($param),+)? } = f {
                            seen = true;
                            crate::table::check_free_functions(
                                f,
                                |x, y| super::super::$name(x, y $($(, $param)+)?).into_result(),
                                |x| super::super::$inplace(x $($(, $param)+)?).into_result(),
                            );
                        }
                    }
                    assert!(seen, "no test case");
                }
            }
        )*
    };
}

/// The slice functions of one row: infallible without parameters, returning
/// a `Result` (the parameters' domain) with them.
macro_rules! slice_functions {
    ($name:ident $inplace:ident $variant:ident [] ($kernel:expr) ($($doc:literal)*) $bound:literal $measured:literal) => {
        $(#[doc = $doc])*
        ///
        #[doc = concat!("Max error ", stringify!($bound), " ULP (", stringify!($measured), " measured over every `f32`).")]
        ///
        /// `T` is `f32`, [`bf16`](crate::bf16) or [`f16`](crate::f16) (see
        /// [`Element`]): a 16-bit result is `from_f32` of the `f32` result,
        /// rounded once.
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), or, after
        /// that check, while `SIMD_ACTIVATIONS_ISA` is invalid and no limit is
        /// set (see [`Isa::best`](crate::Isa::best)).
        #[inline]
        pub fn $name<T: Element>(x: &[T], y: &mut [T]) {
            // The lengths, then the path (an `Error::Env`, the message
            // `Isa::best` gives): there is no parameter.
            Activation::$variant.forward(x, y).unwrap_or_else(|e| panic!("{e}"))
        }

        #[doc = concat!("[`", stringify!($name), "`] in place: `x[i]` is replaced by its image.")]
        ///
        #[doc = concat!("The same bits, max error (", stringify!($bound), " ULP; ", stringify!($measured), " measured over every `f32`) and special values as [`", stringify!($name), "`].")]
        ///
        /// # Panics
        /// While `SIMD_ACTIVATIONS_ISA` is invalid and no limit is set (see
        /// [`Isa::best`](crate::Isa::best)).
        #[inline]
        pub fn $inplace<T: Element>(x: &mut [T]) {
            Activation::$variant.forward_inplace(x).unwrap_or_else(|e| panic!("{e}"))
        }
    };
    ($name:ident $inplace:ident $variant:ident [$($param:ident)+] ($kernel:expr) ($($doc:literal)*) $bound:literal $measured:literal) => {
        $(#[doc = $doc])*
        ///
        #[doc = concat!("Max error ", stringify!($bound), " ULP (", stringify!($measured), " measured over every `f32` at the default parameters).")]
        ///
        /// `T` is `f32`, [`bf16`](crate::bf16) or [`f16`](crate::f16) (see
        /// [`Element`]): a 16-bit result is `from_f32` of the `f32` result,
        /// rounded once.
        ///
        /// # Errors
        /// [`Error::InvalidParameter`] for a parameter outside its domain (see
        #[doc = concat!("[`Activation::", stringify!($variant), "`]); nothing is written then.")]
        /// [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and no limit is
        /// set (see [`Isa::set_limit`](crate::Isa::set_limit)); nothing is
        /// written then.
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), before
        /// any other check.
        #[inline]
        pub fn $name<T: Element>(x: &[T], y: &mut [T], $($param: f32),+) -> Result<(), Error> {
            Activation::$variant { $($param),+ }.forward(x, y)
        }

        #[doc = concat!("[`", stringify!($name), "`] in place.")]
        ///
        #[doc = concat!("The same bits, max error (", stringify!($bound), " ULP; ", stringify!($measured), " measured over every `f32` at the default parameters) and special values as [`", stringify!($name), "`].")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($name), "`], with the in-place rules of [`Activation::validate_inplace`].")]
        #[inline]
        pub fn $inplace<T: Element>(x: &mut [T], $($param: f32),+) -> Result<(), Error> {
            Activation::$variant { $($param),+ }.forward_inplace(x)
        }
    };
}

activation_table!(declare_functions);
