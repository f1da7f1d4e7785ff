//! Functions with a second input: `prelu` (a weight per channel) and `frelu`
//! (a second slice).

use crate::dispatch::{self, Blocks, check_lengths};
use crate::element::{self, Output};
use crate::kernels::relu::{FRelu, PRelu};
use crate::kernels::step::Identity;
use crate::{Element, Error, Isa};
use core::mem::MaybeUninit;

/// Below this run length per channel, `prelu` expands the weights to one per
/// element of a block and runs the two-input driver over whole blocks (on
/// `f32`; on 16-bit types over pieces widened on the stack, see
/// [`prelu_half_short_runs`]), instead of one short driver run per channel
/// (the bits are the same).
const SHORT_RUN: usize = 16;

/// Elements per piece of a 16-bit `prelu` over short runs: each piece is
/// widened into a buffer of this many `f32` on the stack, computed there
/// with the expanded weights and narrowed back.
const HALF_PIECE: usize = 2048;

/// `y[i] = x[i]` for `x[i] > 0`, else `weight[c] * x[i]`, where `c` is the
/// channel of element `i` in an `[outer, channels, inner]` layout
/// (`i = (o * channels + c) * inner + j`): PyTorch's `PReLU`. A single weight
/// applies to every element (`num_parameters = 1`).
///
/// Correctly rounded (the product rounded once: max error 0.5 ULP on every
/// input). `prelu(NaN) = NaN` (quieted), `prelu(+inf) = +inf`,
/// `prelu(-inf) = -inf * w`, or for a zero weight the limit, a zero of the
/// other sign (`-0.0` for `+0.0`, `+0.0` for `-0.0`; PyTorch: NaN);
/// `prelu(-0.0) = -0.0 * w`.
///
/// On `bf16` and `f16` (`x` and `y` of one type; the weights stay `f32`),
/// the input is widened exactly and the `f32` result rounded once to the
/// type: `from_f32` of the `f32` path's result, on every path. With one
/// weight per channel, runs of 16 or more go through the loop with their
/// channel's weight bound, and shorter runs in pieces of up to 2048
/// elements through a buffer on the stack, widened, computed in `f32` and
/// narrowed back.
///
/// # Errors
/// In this order: [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and
/// no limit is set (see [`Isa::set_limit`]); [`Error::InvalidShape`] if
/// `channels` or `inner` is zero or `channels * inner` does not divide
/// `x.len()`, or if `weight.len()` is neither 1 nor `channels`;
/// [`Error::InvalidParameter`] if a weight is not finite. Nothing is
/// written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before any
/// other check.
pub fn prelu<T: Element>(
    x: &[T],
    y: &mut [T],
    weight: &[f32],
    channels: usize,
    inner: usize,
) -> Result<(), Error> {
    check_lengths("prelu", x.len(), y.len());
    prelu_on(Isa::try_best()?, x, y, weight, channels, inner)
}

/// [`prelu`] in place.
///
/// # Errors
/// As [`prelu`].
pub fn prelu_inplace<T: Element>(
    x: &mut [T],
    weight: &[f32],
    channels: usize,
    inner: usize,
) -> Result<(), Error> {
    prelu_inplace_on(Isa::try_best()?, x, weight, channels, inner)
}

/// [`prelu`] on exactly the path `isa`.
///
/// # Errors
/// [`Error::UnavailableIsa`] if this CPU lacks `isa`; otherwise as
/// [`prelu`].
///
/// # Panics
/// If `x.len() != y.len()`; the message gives both lengths.
pub fn prelu_on<T: Element>(
    isa: Isa,
    x: &[T],
    y: &mut [T],
    weight: &[f32],
    channels: usize,
    inner: usize,
) -> Result<(), Error> {
    prelu_at(isa, x, y, weight, [channels, inner])
}

/// [`prelu_on`] into an output that may be uninitialized (it is only
/// written).
pub(crate) fn prelu_at<T: Element, Y: Output<T> + ?Sized>(
    isa: Isa,
    x: &[T],
    y: &mut Y,
    weight: &[f32],
    [channels, inner]: [usize; 2],
) -> Result<(), Error> {
    check_lengths("prelu", x.len(), y.count());
    let isa = isa.check()?;
    let outer = prelu_outer(x.len(), weight, channels, inner)?;
    // SAFETY: `isa` is available; `x` and `y` are distinct borrows of
    // `outer * channels * inner` elements; `weight` holds 1 or `channels`;
    // the driver never reads the output.
    unsafe {
        run_prelu(
            isa,
            x.as_ptr(),
            y.out_ptr(),
            weight,
            [outer, channels, inner],
        )
    };
    Ok(())
}

/// [`prelu_inplace`] on exactly the path `isa`.
///
/// # Errors
/// As [`prelu_on`].
pub fn prelu_inplace_on<T: Element>(
    isa: Isa,
    x: &mut [T],
    weight: &[f32],
    channels: usize,
    inner: usize,
) -> Result<(), Error> {
    let isa = isa.check()?;
    let outer = prelu_outer(x.len(), weight, channels, inner)?;
    let p = x.as_mut_ptr();
    // SAFETY: as in `prelu_on`; the drivers support input == output.
    unsafe { run_prelu(isa, p, p, weight, [outer, channels, inner]) };
    Ok(())
}

/// Validates `prelu`'s shape and weights; returns `outer`.
fn prelu_outer(len: usize, weight: &[f32], channels: usize, inner: usize) -> Result<usize, Error> {
    let shape = |message: String| Error::InvalidShape {
        function: "prelu",
        message,
    };
    let block = channels
        .checked_mul(inner)
        .filter(|b| *b > 0)
        .ok_or_else(|| {
            shape(format!(
                "channels = {channels} and inner = {inner} must both be at least 1 (and their product fit a usize)"
            ))
        })?;
    if !len.is_multiple_of(block) {
        return Err(shape(format!(
            "channels * inner = {channels} * {inner} = {block} does not divide the slice length {len}"
        )));
    }
    if weight.len() != 1 && weight.len() != channels {
        return Err(shape(format!(
            "weight has length {}; it must be 1 or channels = {channels}",
            weight.len()
        )));
    }
    if let Some(&w) = weight.iter().find(|w| !w.is_finite()) {
        return Err(Error::InvalidParameter {
            function: "prelu",
            parameter: "weight",
            value: w,
            requirement: "finite",
        });
    }
    Ok(len / block)
}

/// Runs `prelu` with the driver that suits the layout.
///
/// # Safety
/// `isa` available; `x` valid for `outer * channels * inner` reads and `y`
/// for as many writes, the same pointer or non-overlapping; `weight` holds 1
/// or `channels` weights.
unsafe fn run_prelu<T: Element>(
    isa: Isa,
    x: *const T,
    y: *mut T,
    weight: &[f32],
    shape: [usize; 3],
) {
    let [outer, channels, inner] = shape;
    let n = outer * channels * inner;
    let w = weight.as_ptr();
    // The forms that pair each element with a weight of its own read the
    // weights as the input's type, `f32`: a 16-bit input runs each channel's
    // run with its weight bound, or where the runs are short, pieces widened
    // to `f32` on the stack.
    let (xf, yf) = (x.cast::<f32>(), y.cast::<f32>());
    // SAFETY (every branch): the caller's ranges; `w` holds what each
    // driver reads (1, `channels`, or the expansion's `channels * inner`:
    // past the first branch `weight.len() == channels`, as `prelu_outer`
    // checked); `xf` and `yf` are `x` and `y` where `T` is `f32`.
    unsafe {
        if weight.len() == 1 {
            dispatch::per_channel(isa, PRelu, x, w, y, [1, 1, n]);
        } else if !element::is_f32::<T>() && inner >= SHORT_RUN {
            dispatch::per_channel(isa, PRelu, x, w, y, shape);
        } else if !element::is_f32::<T>() {
            prelu_half_short_runs(isa, x, y, weight, shape);
        } else if inner == 1 {
            dispatch::two_inputs(isa, PRelu, Blocks::periodic(xf, w, yf, [outer, channels]));
        } else if inner < SHORT_RUN {
            let expanded = expand(weight, inner);
            let io = Blocks::periodic(xf, expanded.as_ptr(), yf, [outer, channels * inner]);
            dispatch::two_inputs(isa, PRelu, io);
        } else {
            dispatch::per_channel(isa, PRelu, x, w, y, shape);
        }
    }
}

/// The weights of a block, one per element: each channel's weight `inner`
/// times.
fn expand(weight: &[f32], inner: usize) -> Vec<f32> {
    weight
        .iter()
        .flat_map(|&wc| core::iter::repeat_n(wc, inner))
        .collect()
}

/// `prelu` on a 16-bit type over runs shorter than [`SHORT_RUN`]: pieces
/// of whole blocks (or, for a block longer than [`HALF_PIECE`], parts of
/// one) are widened exactly into a stack buffer, computed in place there
/// with the weights expanded to one per element, and rounded back: the bits
/// of the `f32` path's result narrowed once, as every path gives them.
///
/// # Safety
/// As [`run_prelu`], with `weight` holding `channels` weights.
unsafe fn prelu_half_short_runs<T: Element>(
    isa: Isa,
    x: *const T,
    y: *mut T,
    weight: &[f32],
    [outer, channels, inner]: [usize; 3],
) {
    let block = channels * inner;
    let n = outer * block;
    let expanded = expand(weight, inner);
    let mut buffer = [0.0f32; HALF_PIECE];
    let mut i = 0;
    while i < n {
        let start = i % block;
        // Whole blocks where one fits the buffer, else the rest of this
        // block up to the buffer's size.
        let len = if block <= HALF_PIECE {
            (HALF_PIECE / block * block).min(n - i)
        } else {
            (block - start).min(HALF_PIECE)
        };
        let (blocks, period) = if block <= HALF_PIECE {
            (len / block, block)
        } else {
            (1, len)
        };
        let b = buffer.as_mut_ptr();
        // SAFETY: `i + len <= n`, within the caller's ranges of `x` and `y`,
        // which are the same pointer or disjoint, and the piece of `x` is
        // read whole into the buffer before the piece of `y` is written;
        // the buffer holds `len <= HALF_PIECE` floats and is the two-input
        // driver's input and output at once, which it supports; the
        // expanded weights from `start` hold the `period` that each of the
        // piece's `blocks` reads (a whole block from 0, or up to the rest
        // of one block).
        unsafe {
            dispatch::one_input(isa, Identity, (x.add(i), b), (len, len));
            let io = Blocks::periodic(
                b.cast_const(),
                expanded.as_ptr().add(start),
                b,
                [blocks, period],
            );
            dispatch::two_inputs(isa, PRelu, io);
            dispatch::one_input(isa, Identity, (b.cast_const(), y.add(i)), (len, len));
        }
        i += len;
    }
}

/// `y[i] = max(x[i], t[i])`: the funnel activation FReLU, with `t` the
/// spatial condition the engine computed (its depthwise convolution and
/// batch norm of `x`).
///
/// Exact. NaN: a NaN `x[i]` gives `x[i]` quieted; otherwise a NaN `t[i]`
/// gives `t[i]` quieted (a compare and select, never a `max` instruction).
/// `frelu(x, x) = x`; for `x[i] == t[i]` (`-0.0` against `+0.0` included) the
/// result is `x[i]`. On `bf16` and `f16` (the same type for `x`, `t` and
/// `y`), the inputs are widened exactly and the `f32` result, one of them,
/// narrows back to its bits (a NaN quieted as `half`'s `from_f32` does).
///
/// # Panics
/// If the three lengths differ (the message gives them), or, after that
/// check, while `SIMD_ACTIVATIONS_ISA` is invalid and no limit is set (see
/// [`Isa::best`]).
pub fn frelu<T: Element>(x: &[T], t: &[T], y: &mut [T]) {
    // An `Error::Env` only, with the message `Isa::best` gives.
    frelu_at(Isa::try_best, x, t, y).unwrap_or_else(|e| panic!("{e}"))
}

/// [`frelu`] in place: `x[i] = max(x[i], t[i])`.
///
/// # Panics
/// If `x.len() != t.len()` (the message gives both), or, after that check,
/// while `SIMD_ACTIVATIONS_ISA` is invalid and no limit is set (see
/// [`Isa::best`]).
pub fn frelu_inplace<T: Element>(x: &mut [T], t: &[T]) {
    frelu_inplace_at(Isa::try_best, x, t).unwrap_or_else(|e| panic!("{e}"))
}

/// [`frelu`] on exactly the path `isa`.
///
/// # Errors
/// [`Error::UnavailableIsa`] if this CPU lacks `isa`.
///
/// # Panics
/// If the three lengths differ (the message gives them), before any other
/// check.
pub fn frelu_on<T: Element>(isa: Isa, x: &[T], t: &[T], y: &mut [T]) -> Result<(), Error> {
    frelu_at(|| isa.check(), x, t, y)
}

/// [`frelu`] on the path `path` gives, after the length check, into an
/// output that may be uninitialized (it is only written).
pub(crate) fn frelu_at<T: Element, Y: Output<T> + ?Sized>(
    path: impl FnOnce() -> Result<Isa, Error>,
    x: &[T],
    t: &[T],
    y: &mut Y,
) -> Result<(), Error> {
    assert!(
        x.len() == t.len() && x.len() == y.count(),
        "frelu: x has length {}, t has length {} and y has length {}; they must be equal",
        x.len(),
        t.len(),
        y.count()
    );
    let isa = path()?;
    // SAFETY: `isa` is available; `x`, `t` (shared) and `y` (exclusive) are
    // borrows of `x.len()` elements, so `y` overlaps neither; the driver
    // never reads the output.
    unsafe {
        let io = Blocks::periodic(x.as_ptr(), t.as_ptr(), y.out_ptr(), [1, x.len()]);
        dispatch::two_inputs(isa, FRelu, io)
    };
    Ok(())
}

/// [`frelu_inplace`] on exactly the path `isa`.
///
/// # Errors
/// [`Error::UnavailableIsa`] if this CPU lacks `isa`.
///
/// # Panics
/// If `x.len() != t.len()`; the message gives both lengths.
pub fn frelu_inplace_on<T: Element>(isa: Isa, x: &mut [T], t: &[T]) -> Result<(), Error> {
    frelu_inplace_at(|| isa.check(), x, t)
}

/// [`frelu_inplace`] on the path `path` gives, after the length check.
fn frelu_inplace_at<T: Element>(
    path: impl FnOnce() -> Result<Isa, Error>,
    x: &mut [T],
    t: &[T],
) -> Result<(), Error> {
    assert!(
        x.len() == t.len(),
        "frelu: x has length {} but t has length {}; they must be equal",
        x.len(),
        t.len()
    );
    let isa = path()?;
    let p = x.as_mut_ptr();
    // SAFETY: `isa` is available; `x` is exclusively borrowed, so `t` does not
    // overlap it; the driver supports `x == y`.
    unsafe { dispatch::two_inputs(isa, FRelu, Blocks::periodic(p, t.as_ptr(), p, [1, t.len()])) };
    Ok(())
}

/// [`prelu`] into an uninitialized `y` (fresh memory, or a `Vec`'s spare
/// capacity): the same bits. `y` is only written, never read, and is
/// returned initialized; `x` and `y` are distinct borrows (for one buffer,
/// [`prelu_inplace`]).
///
/// # Errors
/// As [`prelu`]; nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before any
/// other check.
pub fn prelu_uninit<'a, T: Element>(
    x: &[T],
    y: &'a mut [MaybeUninit<T>],
    weight: &[f32],
    channels: usize,
    inner: usize,
) -> Result<&'a mut [T], Error> {
    check_lengths("prelu", x.len(), y.len());
    prelu_uninit_on(Isa::try_best()?, x, y, weight, channels, inner)
}

/// [`prelu_uninit`] on exactly the path `isa`.
///
/// # Errors
/// As [`prelu_on`]; nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()`; the message gives both lengths.
pub fn prelu_uninit_on<'a, T: Element>(
    isa: Isa,
    x: &[T],
    y: &'a mut [MaybeUninit<T>],
    weight: &[f32],
    channels: usize,
    inner: usize,
) -> Result<&'a mut [T], Error> {
    prelu_at(isa, x, y, weight, [channels, inner])?;
    // SAFETY: the call wrote every element of `y`.
    Ok(unsafe { element::assume_init(y) })
}

/// [`frelu`] into an uninitialized `y`, as [`prelu_uninit`]: the same bits,
/// `y` only written and returned initialized.
///
/// # Errors
/// [`Error::Env`] if `SIMD_ACTIVATIONS_ISA` is invalid and no limit is set
/// (see [`Isa::set_limit`]); nothing is written then.
///
/// # Panics
/// If the three lengths differ (the message gives them), before any other
/// check.
pub fn frelu_uninit<'a, T: Element>(
    x: &[T],
    t: &[T],
    y: &'a mut [MaybeUninit<T>],
) -> Result<&'a mut [T], Error> {
    frelu_at(Isa::try_best, x, t, &mut *y)?;
    // SAFETY: the call wrote every element of `y`.
    Ok(unsafe { element::assume_init(y) })
}

/// [`frelu_uninit`] on exactly the path `isa`.
///
/// # Errors
/// [`Error::UnavailableIsa`] if this CPU lacks `isa`; nothing is written
/// then.
///
/// # Panics
/// If the three lengths differ (the message gives them), before any other
/// check.
pub fn frelu_uninit_on<'a, T: Element>(
    isa: Isa,
    x: &[T],
    t: &[T],
    y: &'a mut [MaybeUninit<T>],
) -> Result<&'a mut [T], Error> {
    frelu_at(|| isa.check(), x, t, &mut *y)?;
    // SAFETY: the call wrote every element of `y`.
    Ok(unsafe { element::assume_init(y) })
}
