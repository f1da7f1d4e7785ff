//! Fused gated units: `y[i] = act(gate[i]) * up[i]`, the activation of a
//! gated MLP (SwiGLU in LLaMA, Mistral and Qwen; GeGLU in Gemma and T5) in
//! one pass over memory.
//!
//! Naming: `gate` is the half that goes through the activation, `up` the
//! half it multiplies (the "up projection"). ggml's header calls the
//! multiplied half the gate; here it is always `up`.

use crate::dispatch::{self, Blocks};
use crate::element::{self, Format, Output};
use crate::kernels::{self, Kernel, KernelUse, TwoInputKernel};
use crate::simd::Simd;
use crate::{Activation, Element, Error, Isa};
use core::fmt;
use core::mem::MaybeUninit;
use core::str::FromStr;
use half::{bf16, f16};

/// `act(gate) * up` as a two-input kernel ([`Kernel::apply_times`]): the
/// product rounded once from the activation's value before its last rounding
/// (`swiglu`, `geglu_tanh`, `geglu_quick`) or from a form of the activation of
/// its own (`geglu` near zero), or the `f32` activation's result times `up`,
/// rounded once more (`reglu`). An invalid product (`0 * inf`) is the positive
/// quiet NaN on every path (x86 and Arm give it different signs); the driver
/// then gives a NaN `gate` (quieted) precedence, then a NaN `up`.
#[derive(Clone, Copy)]
pub(crate) struct Gated<K>(pub(crate) K);

impl<K: Kernel> TwoInputKernel for Gated<K> {
    // Four vectors per iteration on AVX2 too: `swiglu` 21 to 27% faster and
    // `geglu_tanh` 5 to 12% on Zen 4, the other units within the noise (the
    // README's gated section).
    const WIDE: bool = true;
    const STREAM: bool = K::STREAM;
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, gate: S::F, up: S::F) -> S::F {
        let product = self.0.apply_times(s, gate, up);
        s.select(s.is_nan(product), s.splat(f32::NAN), product)
    }

    /// Where the kernel's fast product holds, it is not NaN: the select of
    /// [`Gated::apply`] keeps it.
    #[inline(always)]
    fn apply_fast<S: Simd>(self, s: S, gate: S::F, up: S::F) -> Option<(S::F, S::M)> {
        self.0.apply_times_fast(s, gate, up)
    }
}

/// Declares [`GatedUnit`] and the free functions of each unit.
macro_rules! gated_units {
    ($([$name:ident $on:ident $variant:ident $activation:ident ($kernel:expr) $act:literal $model:literal $measured:literal])*) => {
        /// A gated unit, for engines that choose it at run time:
        /// `y[i] = act(gate[i]) * up[i]`.
        ///
        /// `swiglu`, `geglu_tanh` and `geglu_quick` round the product once
        /// from the activation's value before its last rounding, so that
        /// rounding does not reach the product, and `geglu` rounds it once
        /// from a form of `gelu` of its own where `|gate| < 1/2`. Where
        /// `gate` or `up` is zero, infinite or NaN, where `gate` is past the
        /// clamp of `swiglu`, `geglu_tanh` or `geglu_quick` (below -112, -11
        /// and -64), and for `geglu` where `|gate| >= 1/2`, these four give
        /// the two-pass bits (as `reglu` does everywhere): the `f32`
        /// activation's result (exactly the bits of its
        /// [`Activation`]) times `up`, rounded once more. Error bound 2 ULP
        /// against the float64 `act(gate) * up` wherever `act(gate)` is a
        /// normal `f32` or zero (measured figures at
        /// [`GatedUnit::measured_max_ulp`]). Where the
        /// activation is subnormal (or past the clamp) the two-pass product
        /// has already lost relative precision, which a large `up` scales
        /// up. Every path gives the same bits.
        /// Special values: the activation's at `gate = ±inf, ±0`, then IEEE
        /// for the product, except that an invalid product (`0 * inf`) is
        /// the positive quiet NaN on every path; a NaN `gate` gives that NaN
        /// quieted, else a NaN `up` gives that NaN quieted.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum GatedUnit {
            $(
                #[doc = concat!("`", $act, "(gate) * up` (", $model, ").")]
                ///
                #[doc = concat!("Max error 2 ULP wherever `", $act, "(gate)` is a normal `f32` or zero (", stringify!($measured), " measured on `verify`'s sweep); special values as [`GatedUnit`] states them.")]
                $variant,
            )*
        }

        impl GatedUnit {
            /// Every unit.
            pub const ALL: &'static [GatedUnit] = &[$(GatedUnit::$variant),*];

            /// The unit's name, as its free function's (`"swiglu"`).
            pub fn name(self) -> &'static str {
                match self {
                    $( GatedUnit::$variant => stringify!($name), )*
                }
            }

            /// The largest error measured by `verify`'s sweep (every 16th
            /// gate against 16 `up` values, `1.9999999` and huge ones among
            /// them), in ULP against the float64 `act(gate) * up`, within
            /// [`GatedUnit::max_ulp`].
            pub fn measured_max_ulp(self) -> f64 {
                match self {
                    $( GatedUnit::$variant => $measured, )*
                }
            }

            /// The activation applied to `gate`.
            pub fn activation(self) -> Activation {
                match self {
                    $( GatedUnit::$variant => Activation::$activation, )*
                }
            }

            /// Hands the activation's kernel to `u`.
            #[inline(always)]
            fn kernel_use<U: KernelUse>(self, u: U) -> U::Output {
                match self {
                    $( GatedUnit::$variant => u.with($kernel), )*
                }
            }
        }

        $(
            #[doc = concat!("`y[i] = ", $act, "(gate[i]) * up[i]` (", $model, "): see [`GatedUnit::", stringify!($variant), "`].")]
            ///
            #[doc = concat!("Max error 2 ULP wherever `", $act, "(gate)` is a normal `f32` or zero (", stringify!($measured), " measured on `verify`'s sweep); special values and the rounding of the product as [`GatedUnit`] states them.")]
            ///
            /// `T` is `f32`, [`bf16`](crate::bf16) or [`f16`](crate::f16):
            /// the inputs are widened exactly, the `f32` result is rounded
            /// once to `T`.
            ///
            /// # Panics
            /// If the three lengths differ (the message gives them), or,
            /// after that check, while `SIMD_ACTIVATIONS_ISA` is invalid and
            /// no limit is set (see [`Isa::best`]).
            #[inline]
            pub fn $name<T: Element>(gate: &[T], up: &[T], y: &mut [T]) {
                // The lengths, then the path (an `Error::Env`, the message
                // `Isa::best` gives).
                GatedUnit::$variant
                    .forward(gate, up, y)
                    .unwrap_or_else(|e| panic!("{e}"))
            }

            #[doc = concat!("[`", stringify!($name), "`] on exactly the path `isa`: the same bits, error and special values.")]
            ///
            /// # Errors
            /// [`Error::UnavailableIsa`] if this CPU lacks `isa`.
            ///
            /// # Panics
            /// If the three lengths differ; the message gives them.
            #[inline]
            pub fn $on<T: Element>(isa: Isa, gate: &[T], up: &[T], y: &mut [T]) -> Result<(), Error> {
                GatedUnit::$variant.forward_on(isa, gate, up, y)
            }
        )*
    };
}

gated_units! {
    [swiglu swiglu_on SwiGlu Silu (kernels::sigmoid::Silu) "silu" "LLaMA, Mistral, Qwen" 1.59]
    [geglu geglu_on GeGlu Gelu (kernels::gelu::Gelu) "gelu" "Gemma, T5 v1.1, with erf GELU" 1.64]
    [geglu_tanh geglu_tanh_on GeGluTanh GeluTanh (kernels::gelu_tanh::GeluTanh) "gelu_tanh" "Gemma's `gelu_pytorch_tanh`" 1.75]
    [geglu_quick geglu_quick_on GeGluQuick GeluQuick (kernels::gelu_quick::GeluQuick) "gelu_quick" "QuickGELU, `x sigmoid(1.702 x)`" 1.62]
    [reglu reglu_on ReGlu Relu (kernels::relu::Relu) "relu" "ReGLU" 0.50]
}

/// The error bound of every gated unit, in ULP against the float64
/// `act(gate) * up`.
const MAX_ULP: f64 = 2.0;

impl GatedUnit {
    /// The error bound, in ULP against the float64 `act(gate) * up`, over
    /// strided sweeps of both inputs, wherever `act(gate)` is a normal
    /// `f32` or zero: 2. Measured by `verify`'s sweep: see
    /// [`GatedUnit::measured_max_ulp`].
    pub fn max_ulp(self) -> f64 {
        MAX_ULP
    }

    /// `y[i] = act(gate[i]) * up[i]` on the dispatch path.
    ///
    /// # Errors
    /// [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and no limit is
    /// set (see [`Isa::set_limit`]); nothing is written then.
    ///
    /// # Panics
    /// If the three lengths differ (the message gives them), before any
    /// other check.
    pub fn forward<T: Element>(self, gate: &[T], up: &[T], y: &mut [T]) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), y.len());
        self.forward_on(Isa::try_best()?, gate, up, y)
    }

    /// [`GatedUnit::forward`] on exactly the path `isa`.
    ///
    /// # Errors
    /// [`Error::UnavailableIsa`] if this CPU lacks `isa`.
    ///
    /// # Panics
    /// If the three lengths differ; the message gives them.
    pub fn forward_on<T: Element>(
        self,
        isa: Isa,
        gate: &[T],
        up: &[T],
        y: &mut [T],
    ) -> Result<(), Error> {
        self.forward_piece_on(isa, (gate, up), y, y.len())
    }

    /// [`GatedUnit::forward_on`] on a piece of a call of `whole` output
    /// elements (a call on all cores): the same bits, and the piece's
    /// output is stored past the caches where the whole call's would be
    /// ([`Blocks::whole`]). `y` may be uninitialized: it is only written.
    pub(crate) fn forward_piece_on<T: Element, Y: Output<T> + ?Sized>(
        self,
        isa: Isa,
        (gate, up): (&[T], &[T]),
        y: &mut Y,
        whole: usize,
    ) -> Result<(), Error> {
        let n = y.count();
        self.check_lengths(gate.len(), up.len(), n);
        let isa = isa.check()?;
        let io = Blocks::periodic(gate.as_ptr(), up.as_ptr(), y.out_ptr(), [1, n]);
        // SAFETY: `gate` and `up` are shared borrows and `y` an exclusive
        // one, all of `n` elements, so `y` overlaps neither; the driver
        // never reads the output.
        unsafe { self.run(isa, io.piece_of(whole)) };
        Ok(())
    }

    /// [`GatedUnit::forward`] into `gate`'s own memory: `gate[i] =
    /// act(gate[i]) * up[i]`, with the same bits.
    ///
    /// # Errors
    /// As [`GatedUnit::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `gate.len() != up.len()` (the message gives both lengths).
    pub fn forward_inplace<T: Element>(self, gate: &mut [T], up: &[T]) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), gate.len());
        self.forward_inplace_on(Isa::try_best()?, gate, up)
    }

    /// [`GatedUnit::forward_inplace`] on exactly the path `isa`.
    ///
    /// # Errors
    /// [`Error::UnavailableIsa`] if this CPU lacks `isa`.
    ///
    /// # Panics
    /// If `gate.len() != up.len()`; the message gives both lengths.
    pub fn forward_inplace_on<T: Element>(
        self,
        isa: Isa,
        gate: &mut [T],
        up: &[T],
    ) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), gate.len());
        let isa = isa.check()?;
        let p = gate.as_mut_ptr();
        let io = Blocks::periodic(p.cast_const(), up.as_ptr(), p, [1, up.len()]);
        // SAFETY: `gate` is exclusively borrowed, so `up` does not overlap
        // it; the driver supports the output being the first input.
        unsafe { self.run(isa, io) };
        Ok(())
    }

    /// [`GatedUnit::forward`] into `y`, which may be uninitialized: every
    /// element is written, none is read; returns `y` as initialized.
    ///
    /// Aliasing: `gate`, `up` and `y` are distinct borrows here; to write
    /// over `gate`, use [`GatedUnit::forward_inplace`]. (In C, `y == gate`
    /// is allowed, and any other overlap of `y` with an input is refused.)
    ///
    /// # Errors
    /// As [`GatedUnit::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If the three lengths differ (the message gives them).
    pub fn forward_uninit<'a, T: Element>(
        self,
        gate: &[T],
        up: &[T],
        y: &'a mut [MaybeUninit<T>],
    ) -> Result<&'a mut [T], Error> {
        self.check_lengths(gate.len(), up.len(), y.len());
        self.forward_uninit_on(Isa::try_best()?, gate, up, y)
    }

    /// [`GatedUnit::forward_uninit`] on the path `isa` (bit-identical on
    /// every path).
    ///
    /// # Errors
    /// [`Error::UnavailableIsa`] if this CPU lacks `isa`; nothing is
    /// written then.
    ///
    /// # Panics
    /// If the three lengths differ (the message gives them).
    pub fn forward_uninit_on<'a, T: Element>(
        self,
        isa: Isa,
        gate: &[T],
        up: &[T],
        y: &'a mut [MaybeUninit<T>],
    ) -> Result<&'a mut [T], Error> {
        self.forward_piece_on(isa, (gate, up), y, gate.len())?;
        // SAFETY: the driver wrote every element of `y`.
        Ok(unsafe { element::assume_init(y) })
    }

    /// The unit over the concatenated layout of a fused gate-and-up
    /// projection: each row of `x` holds `2 * half_len` elements, `[gate |
    /// up]` (or `[up | gate]` when `swapped`), and the matching row of `y`
    /// gets its `half_len` results. The bits are [`GatedUnit::forward`]'s on
    /// each row's halves.
    ///
    /// # Errors
    /// In this order: [`Error::Env`] as for [`GatedUnit::forward`];
    /// [`Error::InvalidShape`] if `half_len` is 0 or does not divide
    /// `y.len()`. Nothing is written on error.
    ///
    /// # Panics
    /// If `x.len() != 2 * y.len()` (the message gives both lengths), before
    /// any other check.
    pub fn forward_rows<T: Element>(
        self,
        x: &[T],
        y: &mut [T],
        half_len: usize,
        swapped: bool,
    ) -> Result<(), Error> {
        self.check_rows_lengths(x.len(), y.len());
        self.forward_rows_on(Isa::try_best()?, x, y, half_len, swapped)
    }

    /// [`GatedUnit::forward_rows`] on exactly the path `isa`.
    ///
    /// # Errors
    /// As [`GatedUnit::forward_rows`], and [`Error::UnavailableIsa`] if this
    /// CPU lacks `isa`.
    ///
    /// # Panics
    /// As [`GatedUnit::forward_rows`].
    pub fn forward_rows_on<T: Element>(
        self,
        isa: Isa,
        x: &[T],
        y: &mut [T],
        half_len: usize,
        swapped: bool,
    ) -> Result<(), Error> {
        let whole = y.len();
        self.forward_rows_piece_on(isa, (x, y), (half_len, swapped), whole)
    }

    /// [`GatedUnit::forward_rows`] into an uninitialized `y` (fresh memory,
    /// or a `Vec`'s spare capacity): the same bits; `y` is only written,
    /// never read, and is returned initialized.
    ///
    /// # Errors
    /// As [`GatedUnit::forward_rows`]; nothing is written then.
    ///
    /// # Panics
    /// As [`GatedUnit::forward_rows`].
    pub fn forward_rows_uninit<'a, T: Element>(
        self,
        x: &[T],
        y: &'a mut [MaybeUninit<T>],
        half_len: usize,
        swapped: bool,
    ) -> Result<&'a mut [T], Error> {
        self.check_rows_lengths(x.len(), y.len());
        self.forward_rows_uninit_on(Isa::try_best()?, x, y, half_len, swapped)
    }

    /// [`GatedUnit::forward_rows_uninit`] on exactly the path `isa`.
    ///
    /// # Errors
    /// As [`GatedUnit::forward_rows_on`]; nothing is written then.
    ///
    /// # Panics
    /// As [`GatedUnit::forward_rows`].
    pub fn forward_rows_uninit_on<'a, T: Element>(
        self,
        isa: Isa,
        x: &[T],
        y: &'a mut [MaybeUninit<T>],
        half_len: usize,
        swapped: bool,
    ) -> Result<&'a mut [T], Error> {
        let whole = y.len();
        self.forward_rows_piece_on(isa, (x, &mut *y), (half_len, swapped), whole)?;
        // SAFETY: the call wrote every element of `y`.
        Ok(unsafe { element::assume_init(y) })
    }

    /// [`GatedUnit::forward_rows_on`] on a piece of a call of `whole`
    /// output elements (a call on all cores), as
    /// [`GatedUnit::forward_piece_on`].
    /// `y` may be uninitialized: it is only written.
    pub(crate) fn forward_rows_piece_on<T: Element, Y: Output<T> + ?Sized>(
        self,
        isa: Isa,
        (x, y): (&[T], &mut Y),
        (half_len, swapped): (usize, bool),
        whole: usize,
    ) -> Result<(), Error> {
        let n = y.count();
        self.check_rows_lengths(x.len(), n);
        let isa = isa.check()?;
        if half_len == 0 || !n.is_multiple_of(half_len) {
            return Err(Error::InvalidShape {
                function: self.name(),
                message: format!(
                    "the half row length {half_len} must be nonzero and divide the output length {n}"
                ),
            });
        }
        if n == 0 {
            return Ok(());
        }
        let (gate, up) = if swapped {
            (half_len, 0)
        } else {
            (0, half_len)
        };
        let x = x.as_ptr();
        // SAFETY: `x` holds `rows * 2 * half_len >= 2 * half_len` elements
        // (`y` is not empty and `half_len` divides it); `gate` and `up` are
        // `0` and `half_len` in some order, so each row's halves are within
        // it.
        let (gate, up) = unsafe { (x.add(gate), x.add(up)) };
        let io = Blocks {
            x: gate,
            t: up,
            y: y.out_ptr(),
            blocks: n / half_len,
            len: half_len,
            strides: [2 * half_len, 2 * half_len, half_len],
            whole,
        };
        // SAFETY: row `r` reads `half_len` elements of `x` from `2 r
        // half_len` and `2 r half_len + half_len`, and writes `y` from `r
        // half_len`, all in bounds; `x` is shared and `y` exclusive, so they
        // do not overlap; the driver never reads the output.
        unsafe { self.run(isa, io) };
        Ok(())
    }

    /// Runs the unit's kernel over `io` on `isa`, through [`GatedUnit::run_erased`].
    ///
    /// # Safety
    /// As [`dispatch::two_inputs`], with `isa` checked.
    #[inline(always)]
    unsafe fn run<T: Element>(self, isa: Isa, io: Blocks<T, T>) {
        let Blocks {
            x,
            t,
            y,
            blocks,
            len,
            strides,
            whole,
        } = io;
        let erased = Blocks {
            x: x.cast::<()>(),
            t: t.cast::<()>(),
            y: y.cast::<()>(),
            blocks,
            len,
            strides,
            whole,
        };
        // SAFETY: the caller's guarantees, with `T`'s format.
        unsafe { self.run_erased(isa, erased, element::format::<T>()) }
    }

    /// Runs the unit's kernel over `io`, whose elements are of `format`:
    /// the one place where the gated kernels are instantiated for each
    /// element type, compiled once in this crate.
    ///
    /// # Safety
    /// As [`dispatch::two_inputs`] for `io` read as `format`'s type, with
    /// `isa` checked.
    #[inline(never)]
    unsafe fn run_erased(self, isa: Isa, io: Blocks<(), ()>, format: Format) {
        /// Runs the gated form of the kernel it is handed.
        struct Run<T> {
            isa: Isa,
            io: Blocks<T, T>,
        }
        impl<T: Element> KernelUse for Run<T> {
            type Output = ();
            fn with<K: Kernel>(self, kernel: K) {
                // SAFETY: `GatedUnit::run_erased`'s caller's guarantees.
                unsafe { dispatch::two_inputs(self.isa, Gated(kernel), self.io) }
            }
        }
        fn typed<T>(io: Blocks<(), ()>) -> Blocks<T, T> {
            Blocks {
                x: io.x.cast(),
                t: io.t.cast(),
                y: io.y.cast(),
                blocks: io.blocks,
                len: io.len,
                strides: io.strides,
                whole: io.whole,
            }
        }
        match format {
            Format::F32 => self.kernel_use(Run::<f32> { isa, io: typed(io) }),
            Format::Bf16 => self.kernel_use(Run::<bf16> { isa, io: typed(io) }),
            Format::F16 => self.kernel_use(Run::<f16> { isa, io: typed(io) }),
        }
    }

    /// Panics unless `gate`, `up` and `y` have the same length.
    pub(crate) fn check_lengths(self, gate: usize, up: usize, y: usize) {
        assert!(
            gate == up && up == y,
            "{}: gate has length {gate}, up has length {up} and y has length {y}; they must be equal",
            self.name()
        );
    }

    /// Panics unless the rows' input is twice as long as their output.
    pub(crate) fn check_rows_lengths(self, x: usize, y: usize) {
        assert!(
            Some(x) == y.checked_mul(2),
            "{}: x has length {x} but y has length {y}; x must hold twice as many elements",
            self.name()
        );
    }
}

impl fmt::Display for GatedUnit {
    /// The unit's name (`swiglu`); [`str::parse`] reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for GatedUnit {
    type Err = Error;

    /// Reads a unit from its name (`"swiglu"`, `"geglu"`, ...; ASCII case
    /// ignored, so `"SwiGLU"` reads too).
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] for any other text.
    fn from_str(s: &str) -> Result<GatedUnit, Error> {
        GatedUnit::ALL
            .iter()
            .copied()
            .find(|u| u.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::UnknownFunction {
                name: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's sentence of `verify`'s gated figures gives each unit's
    /// [`GatedUnit::measured_max_ulp`], and each is within the bound.
    #[test]
    fn readme_gated_figures_are_the_measured_ones() {
        let readme: String = include_str!("../README.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let start = readme
            .find("--function reglu`): ")
            .expect("the README's sentence of verify's gated figures");
        let sentence = readme[start..]
            .split(", all within")
            .next()
            .unwrap_or_default();
        let mut rest = sentence;
        for unit in GatedUnit::ALL {
            let figure = format!("{:.2}", unit.measured_max_ulp());
            let at = rest
                .find(&format!("{} {figure}", unit.name()))
                .unwrap_or_else(|| panic!("{}: {figure} not in {sentence:?}", unit.name()));
            rest = &rest[at..];
            assert!(unit.measured_max_ulp() <= unit.max_ulp(), "{}", unit.name());
        }
    }
}
