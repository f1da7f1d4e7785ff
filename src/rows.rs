//! Row-wise functions: `softmax` and `log_softmax` over contiguous rows.

use crate::dispatch::{self, check_lengths};
use crate::element::{self, Element, Output};
use crate::kernels::softmax::{Attention, Flavor, LogSoftmax, Softmax};
use crate::{Error, Isa};
use core::mem::MaybeUninit;
use core::ops::Range;

/// Checks `row_len` against a slice of `len` elements; returns the row count.
fn rows(function: &'static str, len: usize, row_len: usize) -> Result<usize, Error> {
    if row_len == 0 || !len.is_multiple_of(row_len) {
        return Err(Error::InvalidShape {
            function,
            message: format!(
                "row length {row_len} must be at least 1 and divide the slice length {len}"
            ),
        });
    }
    Ok(len / row_len)
}

/// The checked shape of a row function's call: the row count, and for the
/// masked forms the attention input with the mask's stride from row to row.
type Checked<T> = (usize, Option<(Attention<T>, usize)>);

/// What the forms of a row function take besides the rows: nothing (`()`)
/// for the plain functions, [`MaskOptions`] for the masked ones.
pub(crate) trait RowOptions<T: Element>: Copy {
    /// The checks of the shape and of these options over `len` elements in
    /// rows of `row_len`, in their order.
    fn check(self, name: &'static str, len: usize, row_len: usize) -> Result<Checked<T>, Error>;

    /// These options for the elements `range` of the call alone (whole
    /// rows, a piece on all cores): a mask per row narrowed to its part.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    fn piece(self, range: Range<usize>) -> Self;
}

impl<T: Element> RowOptions<T> for () {
    fn check(self, name: &'static str, len: usize, row_len: usize) -> Result<Checked<T>, Error> {
        Ok((rows(name, len, row_len)?, None))
    }

    fn piece(self, _range: Range<usize>) -> Self {}
}

impl<T: Element> RowOptions<T> for MaskOptions<'_, T> {
    fn check(self, name: &'static str, len: usize, row_len: usize) -> Result<Checked<T>, Error> {
        let (n, attention, stride) = masked_check(name, len, row_len, self)?;
        Ok((n, Some((attention, stride))))
    }

    fn piece(self, range: Range<usize>) -> Self {
        let (scale, mask, masked_rows) = self;
        let mask = match mask {
            Mask::PerRow(m) => Mask::PerRow(&m[range]),
            shared => shared,
        };
        (scale, mask, masked_rows)
    }
}

/// Runs `flavor` over the rows of the `len` elements at `src` into `dst`,
/// on the available path `isa`: the checks of the shape and of `options`,
/// then the rows, whose passes form a masked form's scaled and masked
/// input as they read the input and the mask (see [`Attention`]), with its
/// rule for rows hidden entirely.
///
/// # Safety
/// `isa` is available; `src` is valid for `len` reads and `dst` for `len`
/// writes, the same pointer (from an exclusive borrow) or not overlapping;
/// a mask is a borrow that does not overlap `dst`. The row driver writes
/// every element of `dst` before it reads it.
unsafe fn run_rows<L: Flavor, T: Element>(
    name: &'static str,
    _flavor: L,
    isa: Isa,
    (src, dst, len): (*const T, *mut T, usize),
    row_len: usize,
    options: impl RowOptions<T>,
) -> Result<(), Error> {
    let (n, attention) = options.check(name, len, row_len)?;
    // SAFETY: `isa` is available; the ranges are the caller's, of `T`; a
    // mask holds `row_len` elements (one row) or `len` (one per element,
    // advancing by `row_len` per row), as `check` made sure.
    unsafe {
        dispatch::rows(
            isa,
            L::LOG,
            element::format::<T>(),
            (src.cast(), dst.cast()),
            [n, row_len],
            attention.map(|(a, stride)| (a.cast(), stride)),
        )
    };
    Ok(())
}

/// Runs `flavor` from `x` into `y` (in place where `x` is `None`): the
/// length check, then the path `path` gives (the best, or the one asked
/// for, checked), then the rest.
pub(crate) fn apply<L: Flavor, T: Element, O: RowOptions<T>>(
    name: &'static str,
    flavor: L,
    path: impl FnOnce() -> Result<Isa, Error>,
    (x, y, row_len): (Option<&[T]>, &mut [T], usize),
    options: O,
) -> Result<(), Error> {
    if let Some(x) = x {
        return apply_to(name, flavor, path, (x, y, row_len), options);
    }
    let isa = path()?;
    let p = y.as_mut_ptr();
    // SAFETY: `isa` is available (`path` checks it); in and out are the one
    // exclusive borrow `y` (the row driver supports input == output), and
    // a mask, a shared borrow, cannot overlap it.
    unsafe { run_rows(name, flavor, isa, (p, p, y.len()), row_len, options) }
}

/// [`apply`] from `x` into a distinct `y`, which may be uninitialized (the
/// row driver writes every element of it before it reads it).
pub(crate) fn apply_to<L: Flavor, T: Element, Y: Output<T> + ?Sized, O: RowOptions<T>>(
    name: &'static str,
    flavor: L,
    path: impl FnOnce() -> Result<Isa, Error>,
    (x, y, row_len): (&[T], &mut Y, usize),
    options: O,
) -> Result<(), Error> {
    check_lengths(name, x.len(), y.count());
    let isa = path()?;
    // SAFETY: `isa` is available (`path` checks it); `x` and `y` are
    // distinct borrows of `x.len()` elements (checked above) and a mask a
    // shared one; the driver writes every element of `y` before it reads
    // it.
    unsafe {
        run_rows(
            name,
            flavor,
            isa,
            (x.as_ptr(), y.out_ptr(), x.len()),
            row_len,
            options,
        )
    }
}

/// Runs `flavor` from `x` into the uninitialized `y`, as [`apply`];
/// returns `y`, initialized.
fn uninit<'a, L: Flavor, T: Element, O: RowOptions<T>>(
    name: &'static str,
    flavor: L,
    path: impl FnOnce() -> Result<Isa, Error>,
    (x, y, row_len): (&[T], &'a mut [MaybeUninit<T>], usize),
    options: O,
) -> Result<&'a mut [T], Error> {
    apply_to(name, flavor, path, (x, &mut *y, row_len), options)?;
    // SAFETY: all elements of `y` were written (the driver writes every
    // output element of every row).
    Ok(unsafe { element::assume_init(y) })
}

/// Declares the forms of the row function `$plain` (declared by hand,
/// with the docs the forms refer to) besides itself: in place, on a named
/// path, in place on a named path, into an uninitialized output, and that
/// on a named path. The masked functions name their trailing parameter of
/// options, `$options: $ty`.
macro_rules! row_forms {
    (
        $name:literal, $flavor:ident, $plain:ident $(($options:ident: $ty:ty))? =>
        $inplace:ident, $on:ident, $inplace_on:ident, $uninit:ident, $uninit_on:ident
    ) => {
        #[doc = concat!("[`", stringify!($plain), "`] in place, on the one buffer `x`: the same bits.")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($plain), "`]; nothing is written then.")]
        pub fn $inplace<T: Element>(x: &mut [T], row_len: usize $(, $options: $ty)?) -> Result<(), Error> {
            apply($name, $flavor, Isa::try_best, (None, x, row_len), ($($options)?))
        }

        #[doc = concat!("[`", stringify!($plain), "`] on exactly the path `isa`.")]
        ///
        /// # Errors
        /// [`Error::UnavailableIsa`] if this CPU lacks `isa`; otherwise as
        #[doc = concat!("[`", stringify!($plain), "`]. Nothing is written on error.")]
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), before
        /// any other check.
        pub fn $on<T: Element>(
            isa: Isa,
            x: &[T],
            y: &mut [T],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<(), Error> {
            apply($name, $flavor, || isa.check(), (Some(x), y, row_len), ($($options)?))
        }

        #[doc = concat!("[`", stringify!($inplace), "`] on exactly the path `isa`.")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($on), "`].")]
        pub fn $inplace_on<T: Element>(
            isa: Isa,
            x: &mut [T],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<(), Error> {
            apply($name, $flavor, || isa.check(), (None, x, row_len), ($($options)?))
        }

        #[doc = concat!("[`", stringify!($plain), "`] into an uninitialized `y` (fresh memory, or a `Vec`'s spare capacity): the same bits, bound and special rows. `y` is only written, never read before it is written, and is returned initialized. `x` and `y` are distinct borrows; for one buffer in and out use [`", stringify!($inplace), "`].")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($plain), "`]; nothing is written then.")]
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), before
        /// any other check.
        pub fn $uninit<'a, T: Element>(
            x: &[T],
            y: &'a mut [MaybeUninit<T>],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<&'a mut [T], Error> {
            uninit($name, $flavor, Isa::try_best, (x, y, row_len), ($($options)?))
        }

        #[doc = concat!("[`", stringify!($uninit), "`] on exactly the path `isa`.")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($on), "`]; nothing is written then.")]
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), before
        /// any other check.
        pub fn $uninit_on<'a, T: Element>(
            isa: Isa,
            x: &[T],
            y: &'a mut [MaybeUninit<T>],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<&'a mut [T], Error> {
            uninit($name, $flavor, || isa.check(), (x, y, row_len), ($($options)?))
        }
    };
}

/// `y = softmax(x)` over each row of `row_len` consecutive elements:
/// `y_i = e^(x_i - m) / sum_j e^(x_j - m)`, `m` the row's max (PyTorch's
/// `softmax(dim=-1)` on a contiguous `[rows, row_len]` tensor).
///
/// Numerically stable: no overflow for any finite input, and an entry is `0`
/// only where its exact value is below half the smallest subnormal (subnormal
/// results are computed). Max error 2 ULP per element against the float64
/// softmax of the whole row (measured 1.46 ULP on the tests' rows, 1.74 on
/// rows in `[-120, 0]` whose results lie near `f32::MIN_POSITIVE`); the
/// same bits on every path, independent of the vector width.
///
/// Special rows (PyTorch: NaN): a row containing NaN gives that NaN (its
/// first, quieted) in every entry; if a row has `k` entries `+inf`, those get
/// `1/k` and the others `0` (the limit when they grow together); a row of only
/// `-inf` gives `1/row_len` everywhere (the limit of a row shifted down).
/// `-inf` entries in other rows give `0`.
///
/// Elements are `f32`, `bf16` or `f16` ([`Element`]), the same type in and
/// out. On a 16-bit type each result is that type's `from_f32` of the `f32`
/// function's result on the widened row, bit for bit (one rounding, to
/// nearest even): within half an ULP of the 16-bit type plus the `f32`
/// result's 2 `f32` ULPs (a 32768th of a `bf16` ULP, a 4096th of an `f16`
/// one). The `f32` `e^(x_i - m)` of the second pass, which `f32` rows keep
/// in their output, has room in a 16-bit one for half the row only: that
/// half is kept over the output's bytes (unless the output is the input),
/// the next 4112 in a buffer on the stack (16 KiB and 64 bytes), and the
/// last pass computes any others again (a second exponential per such
/// element): rows of up to 8192 out of place, 4112 in place, compute each
/// one once.
///
/// # Errors
/// In this order: [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and
/// no limit is set (see [`Isa::set_limit`]); [`Error::InvalidShape`] if
/// `row_len` is 0 or does not divide `x.len()`. Nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before
/// any other check.
pub fn softmax<T: Element>(x: &[T], y: &mut [T], row_len: usize) -> Result<(), Error> {
    apply("softmax", Softmax, Isa::try_best, (Some(x), y, row_len), ())
}

row_forms!("softmax", Softmax, softmax =>
    softmax_inplace, softmax_on, softmax_inplace_on, softmax_uninit, softmax_uninit_on);

/// `y = log_softmax(x)` over each row of `row_len` consecutive elements:
/// `y_i = (x_i - m) - ln(sum_j e^(x_j - m))` (PyTorch's
/// `log_softmax(dim=-1)`).
///
/// Max error 1 ULP per element against the float64 log-softmax of the row,
/// including the max entries of rows whose other entries are tiny (where the
/// result is a tiny `-ln(1 + rest)`): measured 0.60 ULP on `verify`'s rows
/// (0.54 on the tests'; 0.75
/// on the row `[0, -86.20519]`, whose max entry's result lies just above
/// `f32::MIN_POSITIVE`); the same bits on every path.
///
/// Special rows as [`softmax`]: NaN rows give their first NaN, quieted;
/// `+inf` entries give `-ln k` and the others `-inf`; a row of only `-inf`
/// gives `-ln(row_len)`. `-inf` entries give `-inf`.
///
/// On `bf16` and `f16` ([`Element`]) each result is `from_f32` of the `f32`
/// result on the widened row, as for [`softmax`] (no exponential more: the
/// last pass reads the input anyway).
///
/// # Errors
/// In this order: [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and
/// no limit is set (see [`Isa::set_limit`]); [`Error::InvalidShape`] if
/// `row_len` is 0 or does not divide `x.len()`. Nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before
/// any other check.
pub fn log_softmax<T: Element>(x: &[T], y: &mut [T], row_len: usize) -> Result<(), Error> {
    apply(
        "log_softmax",
        LogSoftmax,
        Isa::try_best,
        (Some(x), y, row_len),
        (),
    )
}

row_forms!("log_softmax", LogSoftmax, log_softmax =>
    log_softmax_inplace, log_softmax_on, log_softmax_inplace_on, log_softmax_uninit,
    log_softmax_uninit_on);

/// An additive mask for [`softmax_masked`]: none, one row broadcast over
/// every row, or one value per element, of the rows' element type (`f32`
/// unless named: a `bf16` row takes a `bf16` mask). Later versions may add
/// forms (the enum is `#[non_exhaustive]`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Mask<'a, T: Element = f32> {
    /// No mask.
    None,
    /// `row_len` values added to every row (a padding or causal pattern
    /// shared by all heads).
    Row(&'a [T]),
    /// One value per element of `x` (a mask per row).
    PerRow(&'a [T]),
}

/// What a row that the mask hides entirely (every entry `-inf` after the
/// mask, and none NaN) gives. Later versions may add choices (the enum is
/// `#[non_exhaustive]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MaskedRows {
    /// The limit of [`softmax`] for such a row: `1/row_len` everywhere
    /// (`-ln(row_len)` for [`log_softmax_masked`]).
    #[default]
    Uniform,
    /// Zeros (`-inf` for [`log_softmax_masked`]): attention over nothing
    /// contributes nothing, and no NaN reaches the next layer.
    Zero,
}

/// The attention softmax: `y = softmax(scale * x + mask)` over each row of
/// `row_len` consecutive elements, in one call. The scaled and masked input
/// is `(scale * x[i]) + mask[i]`, each operation rounded to `f32` (the bits
/// of scaling, adding the mask, then calling [`softmax`]); a row hidden
/// entirely by the mask gives what `masked_rows` asks for. Same accuracy and
/// bits on every path as [`softmax`] of the masked input, but for the NaN
/// such a row gives (its first, quieted, as [`softmax`]), which is the same
/// on every CPU: a NaN `x[i]`, else a NaN `mask[i]`, else, where scaling or
/// adding makes a NaN (`0 * inf`, `inf + -inf`), the positive quiet NaN
/// (x86's arithmetic gives it the sign bit, Arm's not). On `bf16` and
/// `f16` the input and the mask are widened exactly, the `f32` operations
/// run as on `f32` rows, and each result is rounded once to the type.
///
/// # Errors
/// In this order: [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and
/// no limit is set; [`Error::InvalidShape`] if `row_len` is 0 or does not
/// divide `x.len()`, or the mask's length is not `row_len` ([`Mask::Row`])
/// or `x.len()` ([`Mask::PerRow`]); [`Error::InvalidParameter`] if `scale`
/// is not finite. Nothing is written on error.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before any
/// other check.
pub fn softmax_masked<T: Element>(
    x: &[T],
    y: &mut [T],
    row_len: usize,
    options: MaskOptions<'_, T>,
) -> Result<(), Error> {
    apply(
        "softmax",
        Softmax,
        Isa::try_best,
        (Some(x), y, row_len),
        options,
    )
}

row_forms!("softmax", Softmax, softmax_masked (options: MaskOptions<'_, T>) =>
    softmax_masked_inplace, softmax_masked_on, softmax_masked_inplace_on,
    softmax_masked_uninit, softmax_masked_uninit_on);

/// [`log_softmax`] of `scale * x + mask`, as [`softmax_masked`]; a row hidden
/// entirely gives `-ln(row_len)` ([`MaskedRows::Uniform`]) or `-inf`
/// ([`MaskedRows::Zero`]).
///
/// # Errors
/// As [`softmax_masked`].
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before any
/// other check.
pub fn log_softmax_masked<T: Element>(
    x: &[T],
    y: &mut [T],
    row_len: usize,
    options: MaskOptions<'_, T>,
) -> Result<(), Error> {
    apply(
        "log_softmax",
        LogSoftmax,
        Isa::try_best,
        (Some(x), y, row_len),
        options,
    )
}

row_forms!("log_softmax", LogSoftmax, log_softmax_masked (options: MaskOptions<'_, T>) =>
    log_softmax_masked_inplace, log_softmax_masked_on, log_softmax_masked_inplace_on,
    log_softmax_masked_uninit, log_softmax_masked_uninit_on);

/// The options of the masked forms: the scale, the mask and the rule for
/// rows hidden entirely.
pub type MaskOptions<'a, T = f32> = (f32, Mask<'a, T>, MaskedRows);

/// The checks of the masked forms over `len` elements in rows of
/// `row_len`, in their order: the shape, the mask's length, the scale.
/// Returns the row count, the attention input and the mask's stride from
/// row to row.
pub(crate) fn masked_check<T: Element>(
    name: &'static str,
    len: usize,
    row_len: usize,
    (scale, mask, masked_rows): MaskOptions<'_, T>,
) -> Result<(usize, Attention<T>, usize), Error> {
    let n = rows(name, len, row_len)?;
    // The mask, its length and its stride from row to row.
    let (mask, period, stride) = match mask {
        Mask::None => (&[][..], 0, 0),
        Mask::Row(m) => (m, row_len, 0),
        Mask::PerRow(m) => (m, len, row_len),
    };
    if mask.len() != period {
        return Err(Error::InvalidShape {
            function: name,
            message: format!(
                "the mask has {} elements; it must have {period} (the row length {row_len}, or the slice length {} for a mask per row)",
                mask.len(),
                len
            ),
        });
    }
    if !scale.is_finite() {
        return Err(Error::InvalidParameter {
            function: name,
            parameter: "scale",
            value: scale,
            requirement: "finite",
        });
    }
    let attention = Attention {
        scale,
        mask: (period > 0).then_some(mask.as_ptr()),
        zero_hidden: masked_rows == MaskedRows::Zero,
    };
    Ok((n, attention, stride))
}
