//! The 16-bit element types the table measures besides `f32`: `bf16` and
//! `f16`, with the conversions their rows need.

use simd_activations::{Element, bf16, f16};

/// A 16-bit element type of the crate, with its name and conversions.
pub trait HalfElement: Element + Default {
    /// The type's name, as the path column shows it (`"bf16"`).
    const NAME: &'static str;
    /// `v` rounded to the type, to nearest even.
    fn from_f32(v: f32) -> Self;
    /// The value, widened exactly.
    fn to_f32(self) -> f32;
    /// The value with bit pattern `b`.
    fn from_bits(b: u16) -> Self;
    /// The value's bit pattern.
    fn to_bits(self) -> u16;
}

/// Implements [`HalfElement`] by the type's own methods.
macro_rules! half_element {
    ($($t:ident)*) => {
        $(
            impl HalfElement for $t {
                const NAME: &'static str = stringify!($t);
                fn from_f32(v: f32) -> Self {
                    $t::from_f32(v)
                }
                fn to_f32(self) -> f32 {
                    $t::to_f32(self)
                }
                fn from_bits(b: u16) -> Self {
                    $t::from_bits(b)
                }
                fn to_bits(self) -> u16 {
                    $t::to_bits(self)
                }
            }
        )*
    };
}

half_element!(bf16 f16);
