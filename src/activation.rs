//! [`Activation`]: a function chosen at run time, with its parameters.
//!
//! The enum and its per-function methods are declared from the table of
//! activations (`src/table.rs`).

use crate::dispatch::{self, check_lengths};
use crate::element::{self, Element, Erased, Output};
use crate::kernels::{self, Kernel, KernelChoice, KernelUse};
use crate::table::{activation_table, variant};
use crate::{Error, Isa};
use core::fmt;
use core::mem::MaybeUninit;
use core::str::FromStr;

/// Declares [`Activation`] and its per-function methods from the rows of
/// the table.
macro_rules! declare_activation {
    ($([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal ($($pdoc:literal)*))+ })?) ($summary:literal $($doc:literal)*) $bound:literal $measured:literal ($kernel:expr) [$ninf:expr, $pinf:expr, $nzero:expr, $pzero:expr] [$lo:expr, $hi:expr] ($($in_place:expr)?) $reference:tt $naive:tt $cases:tt [$($alias:literal),*]])*) => {
        /// An activation function, for engines that pick the function at run
        /// time (from a model file, say).
        ///
        /// Each variant computes exactly what the free function of the same
        /// name computes, with the same bits.
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Activation {
            $(
                #[doc = concat!("[`", stringify!($name), "`](crate::", stringify!($name), "): ", $summary)]
                ///
                #[doc = concat!("Max error ", stringify!($bound), " ULP (", stringify!($measured), " measured over every `f32`, at the default parameters where it has any); special values and range as [`", stringify!($name), "`](crate::", stringify!($name), ") states them.")]
                $variant $({ $( $(#[doc = $pdoc])* $param: f32 ),+ })?,
            )*
        }

        impl Activation {
            /// Every elementwise function, at PyTorch's default parameters, in
            /// the order of the crate's tables.
            pub const ALL: &'static [Activation] = &[$( variant!($variant $($($param $default)+)?) ),*];

            /// The function's name, as used by the free function (`"gelu_tanh"`).
            pub fn name(&self) -> &'static str {
                match self {
                    $( Activation::$variant { .. } => stringify!($name), )*
                }
            }

            /// The error bound the function promises, in ULP against its exact
            /// value, over every finite `f32` input and on every path: 1 for
            /// `exp`, `erf` and `tanh`, at most 2 for the others, 0 where the
            /// function is exact.
            pub fn max_ulp(&self) -> f64 {
                match self {
                    $( Activation::$variant { .. } => $bound, )*
                }
            }

            /// The largest error measured over all 2^32 inputs at PyTorch's
            /// default parameters, in ULP (at most [`Activation::max_ulp`]).
            pub fn measured_max_ulp(&self) -> f64 {
                match self {
                    $( Activation::$variant { .. } => $measured, )*
                }
            }

            /// The results at `-inf`, `+inf`, `-0.0` and `+0.0`, as
            /// `(input, output)` pairs, on every path (a NaN input gives the
            /// same NaN, quieted).
            #[allow(unused_variables)]
            pub fn special_values(&self) -> [(f32, f32); 4] {
                let [ninf, pinf, nzero, pzero] = match *self {
                    $( Activation::$variant { $($($param),+)? } => [$ninf, $pinf, $nzero, $pzero], )*
                };
                [(f32::NEG_INFINITY, ninf), (f32::INFINITY, pinf), (-0.0, nzero), (0.0, pzero)]
            }

            /// The range of the `f32` results for every input that is not NaN,
            /// as `(lowest, highest)`; a minimum inside the domain (`silu`'s
            /// -0.27846 at -1.2785, `gelu`'s, `gelu_tanh`'s, `gelu_quick`'s,
            /// `mish`'s) is given rounded down to four digits. A `bf16` or
            /// `f16` result lies within the two bounds rounded to its type
            /// (rounding keeps the order), which may lie outside them: `silu`
            /// reaches -0.27930 in `bf16`.
            #[allow(unused_variables)]
            pub fn range(&self) -> (f32, f32) {
                match *self {
                    $( Activation::$variant { $($($param),+)? } => ($lo, $hi), )*
                }
            }

            /// Checks the parameters for in-place use: those of
            /// [`Activation::validate`], and a non-negative `alpha` for
            /// [`Activation::Elu`] and [`Activation::Celu`].
            #[allow(unused_variables)]
            pub fn validate_inplace(&self) -> Result<(), Error> {
                self.validate()?;
                match *self {
                    $( Activation::$variant { $($($param),+)? } => { $($in_place?;)? } )*
                }
                Ok(())
            }

            /// The function at its default parameters, by its name or one of
            /// its other names (`None` for an unknown name).
            fn by_name(name: &str) -> Option<Activation> {
                $(
                    let aliases: &[&str] = &[$($alias),*];
                    if name == stringify!($name) || aliases.contains(&name) {
                        return Some(variant!($variant $($($param $default)+)?));
                    }
                )*
                None
            }

            /// Sets the parameter `key` to `value`; an error naming it if the
            /// function has no such parameter.
            fn set(&mut self, key: &str, value: f32) -> Result<(), String> {
                match self {
                    $( $( Activation::$variant { $($param),+ } => match key {
                        $( stringify!($param) => {
                            *$param = value;
                            return Ok(());
                        } )+
                        _ => {}
                    }, )? )*
                    _ => {}
                }
                Err(format!("{} has no parameter {key:?}", self.name()))
            }
        }

        impl fmt::Display for Activation {
            /// The function's name, with its parameters where it has any:
            /// `gelu`, `leaky_relu(negative_slope=0.2)`. [`str::parse`] reads
            /// it back to the same value.
            #[allow(unused_variables)]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match *self {
                    $( Activation::$variant { $($($param),+)? } => {
                        f.write_str(stringify!($name))?;
                        $(
                            let params = [$( (stringify!($param), $param) ),+];
                            for (i, (key, value)) in params.iter().enumerate() {
                                let separator = if i == 0 { "(" } else { ", " };
                                write!(f, "{separator}{key}={value:?}")?;
                            }
                            f.write_str(")")?;
                        )?
                    } )*
                }
                Ok(())
            }
        }

        impl Activation {
            /// Validates the parameters, builds the kernel and hands it to `u`.
            #[inline(always)]
            pub(crate) fn kernel_use<U: KernelUse>(&self, u: U) -> Result<U::Output, Error> {
                Ok(match *self {
                    $( Activation::$variant { $($($param),+)? } => $kernel.hand_to(u), )*
                })
            }
        }
    };
}

activation_table!(declare_activation);

impl Activation {
    /// Checks the parameters: `Ok(())` for functions without any.
    ///
    /// Every parameter must be finite (but `softplus`'s `threshold`, which
    /// may be infinite, not NaN); also `min_val <= max_val`
    /// ([`Activation::Hardtanh`]) and `alpha != 0` ([`Activation::Celu`]).
    /// In place, `alpha` must also be `>= 0` for [`Activation::Elu`] and
    /// `> 0` for [`Activation::Celu`] (PyTorch rejects a negative alpha
    /// there); see [`Activation::validate_inplace`].
    pub fn validate(&self) -> Result<(), Error> {
        self.kernel_use(Validated)
    }

    /// Applies the function from `x` into `y` on the dispatch path
    /// ([`Isa::best`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a parameter is outside its domain (see
    /// [`Activation::validate`]); nothing is written then.
    /// [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and no limit is set
    /// (see [`Isa::set_limit`]); nothing is written then.
    ///
    /// The elements are `f32`, [`bf16`](crate::bf16) or [`f16`](crate::f16)
    /// ([`Element`]): each input is widened exactly to `f32`, the `f32`
    /// kernel runs, and a 16-bit result is `from_f32` of its result.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before
    /// any other check.
    pub fn forward<T: Element>(&self, x: &[T], y: &mut [T]) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_on(Isa::try_best()?, x, y)
    }

    /// Applies the function to `x` in place on the dispatch path.
    ///
    /// # Errors
    /// As [`Activation::forward`], with the in-place parameter rules of
    /// [`Activation::validate_inplace`].
    /// [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and no limit is set
    /// (see [`Isa::set_limit`]); nothing is written then.
    pub fn forward_inplace<T: Element>(&self, x: &mut [T]) -> Result<(), Error> {
        self.forward_inplace_on(Isa::try_best()?, x)
    }

    /// Applies the function from `x` into `y` on exactly the path `isa`.
    ///
    /// # Errors
    /// [`Error::UnavailableIsa`] if this CPU lacks `isa`;
    /// [`Error::InvalidParameter`] as for [`Activation::forward`].
    ///
    /// # Panics
    /// If `x.len() != y.len()`; the message gives both lengths.
    pub fn forward_on<T: Element>(&self, isa: Isa, x: &[T], y: &mut [T]) -> Result<(), Error> {
        self.forward_piece_on(isa, x, y, x.len())
    }

    /// [`Activation::forward_on`] on a piece of a call of `whole` output
    /// elements (a call on all cores): the same bits, and the piece's
    /// output is stored past the caches where the whole call's would be
    /// ([`Erased::whole`]). `y` may be uninitialized: it is only written.
    pub(crate) fn forward_piece_on<T: Element, Y: Output<T> + ?Sized>(
        &self,
        isa: Isa,
        x: &[T],
        y: &mut Y,
        whole: usize,
    ) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.count());
        let isa = isa.check()?;
        let io = Erased::new(x.as_ptr(), y.out_ptr(), x.len()).piece_of(whole);
        // SAFETY: `isa` is available; `x` and `y` are distinct borrows of
        // `x.len()` elements, and the driver never reads the output.
        unsafe { self.run_erased(isa, io) }
    }

    /// Applies the function to `x` in place on exactly the path `isa`.
    ///
    /// # Errors
    /// As [`Activation::forward_on`], with the in-place parameter rules of
    /// [`Activation::validate_inplace`].
    pub fn forward_inplace_on<T: Element>(&self, isa: Isa, x: &mut [T]) -> Result<(), Error> {
        let isa = isa.check()?;
        self.validate_inplace()?;
        let (n, p) = (x.len(), x.as_mut_ptr());
        // SAFETY: `isa` is available; one exclusive borrow in and out, which
        // the driver supports.
        unsafe { self.run_erased(isa, Erased::new(p.cast_const(), p, n)) }
    }

    /// Runs the function on `isa` over the erased slices of `io`: the one
    /// place where the kernels are instantiated for each element type (in
    /// and out the same; [`Activation::run_mixed`] serves the other pairs
    /// with these and the conversions), compiled once in this crate rather
    /// than in every caller's.
    ///
    /// # Safety
    /// `isa` must be available; `io`'s pointers must be valid for its count
    /// of elements of its formats, the output the same pointer as the input
    /// (with the same format) or not overlapping it.
    #[inline(never)]
    pub(crate) unsafe fn run_erased(&self, isa: Isa, io: Erased) -> Result<(), Error> {
        use crate::element::Format::{Bf16, F16, F32};
        use half::{bf16, f16};
        let Erased {
            x,
            a,
            y,
            b,
            n,
            whole,
        } = io;
        macro_rules! run {
            ($a:ty, $b:ty) => {
                self.kernel_use(ForwardRaw {
                    isa,
                    x: x.cast::<$a>(),
                    y: y.cast::<$b>(),
                    n,
                    whole,
                })
            };
        }
        match (a, b) {
            (F32, F32) => run!(f32, f32),
            (Bf16, Bf16) => run!(bf16, bf16),
            (F16, F16) => run!(f16, f16),
            // SAFETY: the caller's guarantees, with formats that differ.
            _ => unsafe { self.run_mixed(isa, io) },
        }
    }

    /// [`Activation::run_erased`] for input and output formats that differ,
    /// through a buffer of `f32` on the stack: each chunk is widened to
    /// `f32` (into the output itself when that is `f32`), the `f32` kernel
    /// runs, and the results are narrowed to the output's format (from the
    /// buffer, when the input was `f32`); `identity` is the conversions
    /// alone (one pass where `f32` is on one side: the input narrowed
    /// straight from it, or widened straight into the output). The kernels
    /// are compiled
    /// for the three same-format pairs only, not for all nine: the library's
    /// code and build time are halved (the conversions are the `identity`
    /// kernel's, for the four pairs with `f32` on one side). The bits are
    /// the same: widening is exact, the kernel's NaN rule quiets a NaN that
    /// the widening pass quieted already, and the narrowing pass rounds each
    /// `f32` result once, as a direct store would. The extra passes cost the
    /// cheapest functions most (see the README).
    ///
    /// # Safety
    /// As [`Activation::run_erased`]; the formats differ, so the slices do
    /// not overlap (`run_erased` allows the same pointer only with the same
    /// format).
    #[inline(never)]
    unsafe fn run_mixed(&self, isa: Isa, io: Erased) -> Result<(), Error> {
        use crate::element::Format::F32;
        /// The buffer, aligned to a cache line.
        #[repr(C, align(64))]
        struct Chunk([MaybeUninit<f32>; MIXED_CHUNK]);

        let Erased { x, a, y, b, n, .. } = io;
        debug_assert!(a != b, "run_mixed serves differing formats only");
        // Parameters first: nothing is written on error. (The kernel calls
        // below build the same kernel from the same parameters, so they
        // cannot fail after this.)
        self.validate()?;
        // `identity` is its conversions alone: its f32 values are the
        // kernel's input.
        let identity = *self == Activation::Identity;
        // Each element is read only after it is written (the driver reads
        // its output nowhere).
        let mut buffer = Chunk([MaybeUninit::uninit(); MIXED_CHUNK]);
        let buf = buffer.0.as_mut_ptr().cast::<f32>();
        let mut done = 0;
        while done < n {
            let len = MIXED_CHUNK.min(n - done);
            // SAFETY: `done + len <= n`, so every chunk lies inside the
            // caller's slices (offset by each one's element size); `buf`
            // holds `MIXED_CHUNK >= len` elements and overlaps neither; each
            // pass writes its `len` outputs before the next reads them.
            unsafe {
                let xs = x.byte_add(done * a.size());
                let ys = y.byte_add(done * b.size());
                // The kernel's input as f32 (widened into the output itself
                // when that is f32, else into the buffer), and its output.
                let wide = if b == F32 { ys.cast::<f32>() } else { buf };
                let src = if a == F32 {
                    xs.cast::<f32>()
                } else {
                    convert(
                        isa,
                        Erased {
                            x: xs,
                            a,
                            y: wide.cast(),
                            b: F32,
                            n: len,
                            whole: len,
                        },
                    );
                    wide.cast_const()
                };
                let results = if identity {
                    src
                } else {
                    self.run_erased(isa, Erased::new(src, wide, len))?;
                    wide.cast_const()
                };
                if b != F32 {
                    convert(
                        isa,
                        Erased {
                            x: results.cast(),
                            a: F32,
                            y: ys,
                            b,
                            n: len,
                            whole: len,
                        },
                    );
                }
            }
            done += len;
        }
        Ok(())
    }
}

/// `n` elements from `x` (of format `a`) into `y` (of format `b`), one of
/// them `f32`: `identity`, a widening or a narrowing, without the
/// parameter checks of [`Activation::run_erased`].
///
/// # Safety
/// `isa` available, `x` valid for `n` reads and `y` for `n` writes, not
/// overlapping.
unsafe fn convert(isa: Isa, io: Erased) {
    use crate::element::Format::{Bf16, F16, F32};
    use half::{bf16, f16};
    let Erased { x, a, y, b, n, .. } = io;
    macro_rules! run {
        ($a:ty, $b:ty) => {
            // SAFETY: the caller's guarantees.
            unsafe {
                dispatch::one_input(
                    isa,
                    kernels::step::Identity,
                    (x.cast::<$a>(), y.cast::<$b>()),
                    (n, n),
                )
            }
        };
    }
    match (a, b) {
        (Bf16, F32) => run!(bf16, f32),
        (F16, F32) => run!(f16, f32),
        (F32, Bf16) => run!(f32, bf16),
        (F32, F16) => run!(f32, f16),
        _ => unreachable!("a conversion has f32 on one side"),
    }
}

/// Elements per chunk of [`Activation::run_mixed`]'s `f32` buffer: 16 KiB
/// of the caller's stack, which stays in L1 between the passes (half that
/// measured slower for the cheapest functions, whose calls' fixed cost then
/// shows).
const MIXED_CHUNK: usize = 4096;

impl Activation {
    /// Applies the function from `x` into `y` of another element type, for
    /// engines that widen or narrow around an activation (`bf16` in, `f32`
    /// out, or `f32` in, `bf16` out): each input is widened exactly to `f32`,
    /// the `f32` kernel runs, and each result is rounded once to `B`. The
    /// bits are those of [`Activation::forward`] on the widened input,
    /// converted with `B::from_f32`. `Activation::Identity` converts.
    ///
    /// Where the types differ, this runs in chunks of 4096 elements through
    /// an `f32` buffer of 16 KiB on the calling thread's stack: the input
    /// widened to `f32` (into the output itself when that is `f32`), the
    /// `f32` kernel, the results narrowed out of the buffer (when the output
    /// is 16-bit); `identity` between `f32` and a 16-bit type is the
    /// conversion alone, one pass. Measured at 1 Mi elements (README),
    /// `sigmoid`, `silu` and `gelu` ran at 0.74 to 0.94 of the `f32` form's
    /// speed that way, and `relu`, whose kernel costs less than a pass, at
    /// 0.47 to 0.80.
    ///
    /// # Errors
    /// As [`Activation::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_mixed<A: Element, B: Element>(&self, x: &[A], y: &mut [B]) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_mixed_on(Isa::try_best()?, x, y)
    }

    /// [`Activation::forward_mixed`] on exactly the path `isa`.
    ///
    /// # Errors
    /// As [`Activation::forward_on`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()`; the message gives both lengths.
    pub fn forward_mixed_on<A: Element, B: Element>(
        &self,
        isa: Isa,
        x: &[A],
        y: &mut [B],
    ) -> Result<(), Error> {
        self.forward_mixed_at(isa, x, y)
    }

    /// [`Activation::forward_mixed`] into an uninitialized `y` (fresh
    /// memory, or a `Vec`'s spare capacity): the same bits; `y` is only
    /// written, never read, and is returned initialized.
    ///
    /// # Errors
    /// As [`Activation::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_mixed_uninit<'a, A: Element, B: Element>(
        &self,
        x: &[A],
        y: &'a mut [MaybeUninit<B>],
    ) -> Result<&'a mut [B], Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_mixed_at(Isa::try_best()?, x, &mut *y)?;
        // SAFETY: the call wrote every element of `y`.
        Ok(unsafe { element::assume_init(y) })
    }

    /// [`Activation::forward_mixed_on`] into an output that may be
    /// uninitialized (it is only written).
    pub(crate) fn forward_mixed_at<A: Element, B: Element, Y: Output<B> + ?Sized>(
        &self,
        isa: Isa,
        x: &[A],
        y: &mut Y,
    ) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.count());
        let isa = isa.check()?;
        // SAFETY: as in `forward_piece_on`.
        unsafe { self.run_erased(isa, Erased::new(x.as_ptr(), y.out_ptr(), x.len())) }
    }
}

impl Activation {
    /// Applies the function from `x` into `y`, which may be uninitialized
    /// (freshly allocated, or a `Vec`'s spare capacity), and returns `y` as
    /// initialized: every element is written, none is read. The bits are
    /// [`Activation::forward`]'s.
    ///
    /// Aliasing: `x` and `y` are distinct borrows here; for the same buffer
    /// in and out, use [`Activation::forward_inplace`]. (In C, `y == x` is
    /// allowed and a partial overlap is refused.)
    ///
    /// # Errors
    /// As [`Activation::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_uninit<'a, T: Element>(
        &self,
        x: &[T],
        y: &'a mut [MaybeUninit<T>],
    ) -> Result<&'a mut [T], Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_uninit_on(Isa::try_best()?, x, y)
    }

    /// [`Activation::forward_uninit`] on exactly the path `isa`.
    ///
    /// # Errors
    /// As [`Activation::forward_on`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()`; the message gives both lengths.
    pub fn forward_uninit_on<'a, T: Element>(
        &self,
        isa: Isa,
        x: &[T],
        y: &'a mut [MaybeUninit<T>],
    ) -> Result<&'a mut [T], Error> {
        self.forward_piece_on(isa, x, y, x.len())?;
        // SAFETY: the kernel wrote all `y.len()` elements of `y` (the driver
        // writes every element and reads none of the output), so they are
        // initialized; `y` is exclusively borrowed for `'a`.
        Ok(unsafe { element::assume_init(y) })
    }

    /// The epilogue of a matrix product: for each of `rows` rows starting
    /// `ld` apart in `y`, `y[r*ld + c] = f(y[r*ld + c] + bias[c])` for `c <
    /// cols`, in place. The addition is rounded to `f32` first, so the bits
    /// are those of adding the bias and then applying the function (ONNX
    /// Runtime's `MlasActivation` with a bias, its `BiasGelu`), in one pass
    /// over memory. Nothing between the rows (`c >= cols`) is read or
    /// written. A NaN sum follows one rule on every CPU: a NaN `y` element
    /// comes out as itself quieted, else a NaN bias as itself quieted, else
    /// (`inf + -inf`) as the positive quiet NaN (x86's addition gives it the
    /// sign bit, Arm's not).
    ///
    /// # Errors
    /// In this order: [`Error::Env`] as [`Isa::try_best`] gives it;
    /// [`Error::InvalidShape`] if `ld < cols`, `bias.len() != cols`, or `y`
    /// is shorter than `(rows - 1) * ld + cols` (no element where `rows` or
    /// `cols` is 0); then the parameters, as
    /// [`Activation::forward_inplace`]. Nothing is written on error.
    pub fn forward_bias_inplace(
        &self,
        y: &mut [f32],
        bias: &[f32],
        rows: usize,
        cols: usize,
        ld: usize,
    ) -> Result<(), Error> {
        self.forward_bias_inplace_at(Isa::try_best()?, y, bias, [rows, cols, ld])
    }

    /// [`Activation::forward_bias_inplace`] on the path `isa` (checked).
    pub(crate) fn forward_bias_inplace_at(
        &self,
        isa: Isa,
        y: &mut [f32],
        bias: &[f32],
        [rows, cols, ld]: [usize; 3],
    ) -> Result<(), Error> {
        let isa = isa.check()?;
        tile_shape(self.name(), y.len(), bias.len(), [rows, cols, ld])?;
        // SAFETY: `isa` is available; the tile fits in `y` (checked above),
        // which is exclusively borrowed, and `bias`, of `cols` elements, is a
        // distinct borrow.
        unsafe { self.bias_tile(isa, y.as_mut_ptr(), bias, [rows, cols, ld]) }
    }

    /// The tile of [`Activation::forward_bias_inplace`] at `p`, its shape
    /// checked, on the available path `isa`: the parameters' checks, then
    /// the rows. Through a pointer, so that nothing borrows the elements
    /// between the rows, which another thread may write meanwhile (an
    /// engine that splits a matrix's columns between threads, in C).
    ///
    /// # Safety
    /// `isa` is available; `p` is valid for reads and writes of every row
    /// of the tile (`(rows - 1) * ld + cols` floats where `rows` and `cols`
    /// are nonzero, `ld >= cols`), which nothing else accesses during the
    /// call; `bias` holds `cols` floats and does not overlap the tile.
    pub(crate) unsafe fn bias_tile(
        &self,
        isa: Isa,
        p: *mut f32,
        bias: &[f32],
        [rows, cols, ld]: [usize; 3],
    ) -> Result<(), Error> {
        self.validate_inplace()?;
        // Rows of no columns are no rows: no pointer moves past the tile.
        let rows = if cols == 0 { 0 } else { rows };
        self.kernel_use(Biased {
            isa,
            io: (p, bias.as_ptr(), p),
            shape: [rows, cols, ld],
        })
    }

    /// `y = f(x + bias)` with `bias` repeated along contiguous rows of
    /// `bias.len()` elements: the out-of-place form of
    /// [`Activation::forward_bias_inplace`], with the same bits.
    ///
    /// # Errors
    /// In this order: [`Error::Env`] as [`Isa::try_best`] gives it;
    /// [`Error::InvalidShape`] if `bias` is empty (`x` too: an empty call
    /// follows the rules of any other), or `bias.len()` does not divide
    /// `x.len()`; then the parameters, as
    /// [`Activation::forward`]. Nothing is written on error.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_bias(&self, x: &[f32], bias: &[f32], y: &mut [f32]) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_bias_at(Isa::try_best()?, x, bias, y)
    }

    /// [`Activation::forward_bias`] into an uninitialized `y` (fresh memory,
    /// or a `Vec`'s spare capacity): the same bits; `y` is only written,
    /// never read, and is returned initialized.
    ///
    /// # Errors
    /// As [`Activation::forward_bias`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_bias_uninit<'a>(
        &self,
        x: &[f32],
        bias: &[f32],
        y: &'a mut [MaybeUninit<f32>],
    ) -> Result<&'a mut [f32], Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_bias_at(Isa::try_best()?, x, bias, &mut *y)?;
        // SAFETY: the call wrote every element of `y`.
        Ok(unsafe { element::assume_init(y) })
    }

    /// [`Activation::forward_bias`] on the available path `isa`, into an
    /// output that may be uninitialized (it is only written).
    pub(crate) fn forward_bias_at<Y: Output<f32> + ?Sized>(
        &self,
        isa: Isa,
        x: &[f32],
        bias: &[f32],
        y: &mut Y,
    ) -> Result<(), Error> {
        let name = self.name();
        check_lengths(name, x.len(), y.count());
        let isa = isa.check()?;
        let cols = bias.len();
        let rows = contiguous_rows(name, x.len(), cols)?;
        self.kernel_use(Biased {
            isa,
            io: (x.as_ptr(), bias.as_ptr(), y.out_ptr()),
            shape: [rows, cols, cols],
        })
    }
}

/// The number of rows of `cols` in `n` contiguous elements, or the shape
/// error where `cols` is 0 or does not divide `n` (an empty slice included,
/// as for the row length of `softmax`).
pub(crate) fn contiguous_rows(
    function: &'static str,
    n: usize,
    cols: usize,
) -> Result<usize, Error> {
    if cols == 0 || !n.is_multiple_of(cols) {
        return Err(Error::InvalidShape {
            function,
            message: format!(
                "the bias length {cols} must be at least 1 and divide the slice length {n}"
            ),
        });
    }
    Ok(n / cols)
}

/// Checks a tile of `[rows, cols, ld]` in a slice of `len` elements with a
/// bias of `bias_len`.
fn tile_shape(
    function: &'static str,
    len: usize,
    bias_len: usize,
    [rows, cols, ld]: [usize; 3],
) -> Result<(), Error> {
    let shape_error = |message: String| Err(Error::InvalidShape { function, message });
    if ld < cols {
        return shape_error(format!(
            "the leading dimension {ld} is less than cols {cols}"
        ));
    }
    if bias_len != cols {
        return shape_error(format!(
            "the bias has {bias_len} elements, not cols = {cols}"
        ));
    }
    // An empty tile (no rows or no columns) touches nothing.
    let needed = if rows == 0 || cols == 0 {
        Some(0)
    } else {
        (rows - 1).checked_mul(ld).and_then(|v| v.checked_add(cols))
    };
    match needed {
        Some(needed) if needed <= len => Ok(()),
        _ => shape_error(format!(
            "{rows} rows of {cols} elements, {ld} apart, do not fit in a slice of {len}"
        )),
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

impl FromStr for Activation {
    type Err = Error;

    /// Reads a function from its name and optional parameters, as a model
    /// file or a configuration names it: the crate's names (`"gelu_tanh"`,
    /// `"leaky_relu(negative_slope=0.2)"`, what [`Display`](fmt::Display)
    /// writes), PyTorch's module names and reprs (`"GELU"`, `"SiLU"`,
    /// `"GELU(approximate='tanh')"`, `"Hardtanh(min_val=-2.0, max_val=2.0)"`,
    /// `"ReLU(inplace=True)"`: `inplace` is accepted and ignored) and
    /// Hugging Face's `hidden_act` names (`"gelu_new"`, `"quick_gelu"`,
    /// `"swish"`). Parameters not given take PyTorch's defaults; white space
    /// is ignored.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] for a name that is none of these (its
    /// message lists the known names); [`Error::Parse`] for parameters that
    /// are not `name=number` pairs of the function;
    /// [`Error::InvalidParameter`] for a value outside its domain.
    fn from_str(input: &str) -> Result<Activation, Error> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '"' { '\'' } else { c })
            .collect();
        if let Some(f) = Activation::by_name(&compact) {
            return Ok(f);
        }
        let parse_error = |message: String| Error::Parse {
            input: input.to_string(),
            message,
        };
        let (name, args) = match compact.split_once('(') {
            None => (compact.as_str(), ""),
            Some((name, rest)) => match rest.strip_suffix(')') {
                Some(args) => (name, args),
                None => return Err(parse_error("expected `name(parameter=value, ...)`".into())),
            },
        };
        let mut f = Activation::by_name(name).ok_or_else(|| Error::UnknownFunction {
            name: name.to_string(),
        })?;
        for arg in args.split(',').filter(|a| !a.is_empty()) {
            let (key, value) = arg
                .split_once('=')
                .ok_or_else(|| parse_error(format!("expected `parameter=value`, found {arg:?}")))?;
            if key == "inplace" && (value == "True" || value == "False") {
                continue;
            }
            let value = value
                .parse::<f32>()
                .map_err(|_| parse_error(format!("{key}: {value:?} is not a number")))?;
            f.set(key, value).map_err(parse_error)?;
        }
        f.validate()?;
        Ok(f)
    }
}

/// Runs the kernel from `x` into `y` (`n` elements each, `x == y` in place;
/// `y` may be uninitialized and is only written), part of a call of `whole`
/// output elements ([`Erased::whole`]).
struct ForwardRaw<A, B> {
    isa: Isa,
    x: *const A,
    y: *mut B,
    n: usize,
    whole: usize,
}

impl<A: Element, B: Element> KernelUse for ForwardRaw<A, B> {
    type Output = ();
    fn with<K: Kernel>(self, kernel: K) {
        // SAFETY: `run_erased`'s caller's guarantees: `isa` is available,
        // `x` and `y` valid for `n` elements, the same or not overlapping;
        // the driver never reads `y` before writing it.
        unsafe { dispatch::one_input(self.isa, kernel, (self.x, self.y), (self.n, self.whole)) }
    }
}

/// Runs the kernel on the sum of a tile's rows and a bias row.
struct Biased {
    isa: Isa,
    io: (*const f32, *const f32, *mut f32),
    shape: [usize; 3],
}

impl KernelUse for Biased {
    type Output = ();
    fn with<K: Kernel>(self, kernel: K) {
        // SAFETY: `isa` is available and the shape fits the input and the
        // output (`tile_shape`, whole rows of the bias in `forward_bias`, or
        // the C caller's checks under `bias_tile`'s contract); input and
        // output are one pointer or disjoint, and the bias, a shared borrow,
        // does not overlap the output (a borrow cannot; `bias_tile`'s
        // contract).
        unsafe { dispatch::biased_rows(self.isa, kernel, self.io, self.shape) }
    }
}
