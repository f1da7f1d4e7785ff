//! All cores (the `rayon` feature): the `_par` entry points split a slice at
//! fixed boundaries and run the pieces on rayon's pool.
//!
//! Each output element depends only on its own input (and its row, for
//! softmax), whatever the slice's alignment or the split, so any chunking
//! gives the one-thread call's bits: ours, or one an engine makes itself.
//! The boundaries here depend only on the length (every [`CHUNK`] elements,
//! or whole rows), never on the number of threads or the machine.

use crate::dispatch::check_lengths;
use crate::{Activation, Element, Error, GatedUnit, Isa};
use rayon::prelude::*;

/// Elements per piece: 32 Ki (128 KiB of `f32`, a share of L2 per core).
pub const CHUNK: usize = 32 * 1024;

/// Below this many elements (eight pieces) the `_par` entry points stay on
/// the calling thread, where handing work to the pool costs about what it
/// saves. Measured with `cargo bench --features rayon --bench parallel`,
/// `gelu` on both cores against one thread: on a 2-core Zen 3 (AVX2) 1.16x
/// at 64 Ki elements, 1.65x at 256 Ki, 1.71x at 1 Mi and 1.97x at 16 Mi; on
/// a 2-core Xeon with AVX-512, where one thread is three times as fast,
/// 0.82x at 64 Ki, 1.18x at 256 Ki, 1.57x at 1 Mi and 1.65x at 16 Mi.
pub const PARALLEL_MIN: usize = 256 * 1024;

/// The threshold of the exact functions (`relu`, `relu6`, `hardtanh`,
/// `identity`, `step`: an error bound of 0, a few operations per element),
/// which are bound by memory rather than arithmetic: on the Zen 3
/// `relu` on all cores ran at 0.29x one thread at 64 Ki elements and 0.56x
/// at 256 Ki, and gained from 1 Mi (1.41x, above a one-thread copy of the
/// same bytes; 1.65x at 16 Mi).
pub const PARALLEL_MIN_EXACT: usize = 1 << 20;

/// The size below which `f` stays on the calling thread.
fn parallel_min(f: &Activation) -> usize {
    if f.max_ulp() == 0.0 {
        PARALLEL_MIN_EXACT
    } else {
        PARALLEL_MIN
    }
}

impl Activation {
    /// [`Activation::forward`] on all cores: `x` and `y` are split every
    /// [`CHUNK`] elements and the pieces run on rayon's pool, with the bits
    /// of the one-thread call. Below [`PARALLEL_MIN`] elements
    /// ([`PARALLEL_MIN_EXACT`] for the exact functions) it runs on the
    /// calling thread.
    ///
    /// # Errors
    /// As [`Activation::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_par<T: Element>(&self, x: &[T], y: &mut [T]) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.len());
        let isa = Isa::try_best()?;
        self.validate()?;
        if x.len() < parallel_min(self) {
            return self.forward_on(isa, x, y);
        }
        x.par_chunks(CHUNK)
            .zip(y.par_chunks_mut(CHUNK))
            .try_for_each(|(x, y)| self.forward_on(isa, x, y))
    }

    /// [`Activation::forward_inplace`] on all cores, as
    /// [`Activation::forward_par`].
    ///
    /// # Errors
    /// As [`Activation::forward_inplace`]; nothing is written then.
    pub fn forward_inplace_par<T: Element>(&self, x: &mut [T]) -> Result<(), Error> {
        let isa = Isa::try_best()?;
        self.validate_inplace()?;
        if x.len() < parallel_min(self) {
            return self.forward_inplace_on(isa, x);
        }
        x.par_chunks_mut(CHUNK)
            .try_for_each(|x| self.forward_inplace_on(isa, x))
    }
}

impl GatedUnit {
    /// [`GatedUnit::forward`] on all cores: the slices are split every
    /// [`CHUNK`] elements, with the bits of the one-thread call. Below
    /// [`PARALLEL_MIN`] elements ([`PARALLEL_MIN_EXACT`] for `reglu`) it
    /// runs on the calling thread.
    ///
    /// # Errors
    /// As [`GatedUnit::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If the three lengths differ (the message gives them).
    pub fn forward_par<T: Element>(self, gate: &[T], up: &[T], y: &mut [T]) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), y.len());
        let isa = Isa::try_best()?;
        if y.len() < parallel_min(&self.activation()) {
            return self.forward_on(isa, gate, up, y);
        }
        gate.par_chunks(CHUNK)
            .zip(up.par_chunks(CHUNK))
            .zip(y.par_chunks_mut(CHUNK))
            .try_for_each(|((gate, up), y)| self.forward_on(isa, gate, up, y))
    }

    /// [`GatedUnit::forward_inplace`] on all cores (`y == gate`), as
    /// [`GatedUnit::forward_par`].
    ///
    /// # Errors
    /// As [`GatedUnit::forward_inplace`]; nothing is written then.
    ///
    /// # Panics
    /// If the two lengths differ (the message gives them).
    pub fn forward_inplace_par<T: Element>(self, gate: &mut [T], up: &[T]) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), gate.len());
        let isa = Isa::try_best()?;
        if gate.len() < parallel_min(&self.activation()) {
            return self.forward_inplace_on(isa, gate, up);
        }
        gate.par_chunks_mut(CHUNK)
            .zip(up.par_chunks(CHUNK))
            .try_for_each(|(gate, up)| self.forward_inplace_on(isa, gate, up))
    }

    /// [`GatedUnit::forward_rows`] on all cores: whole rows per piece
    /// (about [`CHUNK`] outputs), with the one-thread call's bits.
    ///
    /// # Errors
    /// As [`GatedUnit::forward_rows`]; nothing is written then.
    ///
    /// # Panics
    /// As [`GatedUnit::forward_rows`].
    pub fn forward_rows_par<T: Element>(
        self,
        x: &[T],
        y: &mut [T],
        half_len: usize,
        swapped: bool,
    ) -> Result<(), Error> {
        self.check_rows_lengths(x.len(), y.len());
        let isa = Isa::try_best()?;
        let Some(piece) = row_piece(y.len(), half_len, parallel_min(&self.activation())) else {
            return self.forward_rows_on(isa, x, y, half_len, swapped);
        };
        x.par_chunks(2 * piece)
            .zip(y.par_chunks_mut(piece))
            .try_for_each(|(x, y)| self.forward_rows_on(isa, x, y, half_len, swapped))
    }
}

/// The elements per piece of a row function over `len` elements in rows of
/// `row_len` (whole rows, about [`CHUNK`] elements, at least one row), or
/// `None` to stay on the calling thread: slices below `min`, and shapes the
/// row function refuses (before writing anything).
fn row_piece(len: usize, row_len: usize, min: usize) -> Option<usize> {
    (len >= min && row_len > 0 && len.is_multiple_of(row_len))
        .then(|| (CHUNK / row_len).max(1) * row_len)
}

/// A row function on one path (`softmax_on`, `log_softmax_on`).
pub(crate) type RowsFn = fn(Isa, &[f32], &mut [f32], usize) -> Result<(), Error>;

/// Runs `rows_fn` over pieces of whole rows, after the length check.
fn rows_par(
    name: &'static str,
    (x, y, row_len): (&[f32], &mut [f32], usize),
    rows_fn: RowsFn,
) -> Result<(), Error> {
    check_lengths(name, x.len(), y.len());
    rows_on_cores(Isa::try_best()?, (x, y, row_len), rows_fn)
}

/// `rows_fn` on `isa` over `x` and `y` (of equal lengths) on all cores,
/// whole rows per piece; on the calling thread below [`PARALLEL_MIN`] and
/// for shapes `rows_fn` refuses.
pub(crate) fn rows_on_cores(
    isa: Isa,
    (x, y, row_len): (&[f32], &mut [f32], usize),
    rows_fn: RowsFn,
) -> Result<(), Error> {
    let Some(piece) = row_piece(x.len(), row_len, PARALLEL_MIN) else {
        return rows_fn(isa, x, y, row_len);
    };
    x.par_chunks(piece)
        .zip(y.par_chunks_mut(piece))
        .try_for_each(|(x, y)| rows_fn(isa, x, y, row_len))
}

/// A row function in place on one path (`softmax_inplace_on`, ...).
pub(crate) type RowsInplaceFn = fn(Isa, &mut [f32], usize) -> Result<(), Error>;

/// `rows_fn` in place over `x` on all cores, whole rows per piece.
fn rows_inplace_par(x: &mut [f32], row_len: usize, rows_fn: RowsInplaceFn) -> Result<(), Error> {
    rows_inplace_on_cores(Isa::try_best()?, x, row_len, rows_fn)
}

/// [`rows_on_cores`] in place.
pub(crate) fn rows_inplace_on_cores(
    isa: Isa,
    x: &mut [f32],
    row_len: usize,
    rows_fn: RowsInplaceFn,
) -> Result<(), Error> {
    let Some(piece) = row_piece(x.len(), row_len, PARALLEL_MIN) else {
        return rows_fn(isa, x, row_len);
    };
    x.par_chunks_mut(piece)
        .try_for_each(|x| rows_fn(isa, x, row_len))
}

/// [`softmax`](crate::softmax) on all cores: whole rows per piece (about
/// [`CHUNK`] elements), with the one-thread call's bits. Below
/// [`PARALLEL_MIN`] elements it runs on the calling thread.
///
/// # Errors
/// As [`softmax`](crate::softmax); nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before any
/// other check.
pub fn softmax_par(x: &[f32], y: &mut [f32], row_len: usize) -> Result<(), Error> {
    rows_par("softmax", (x, y, row_len), crate::softmax_on)
}

/// [`log_softmax`](crate::log_softmax) on all cores, as [`softmax_par`].
///
/// # Errors
/// As [`log_softmax`](crate::log_softmax); nothing is written then.
///
/// # Panics
/// If `x.len() != y.len()` (the message gives both lengths), before any
/// other check.
pub fn log_softmax_par(x: &[f32], y: &mut [f32], row_len: usize) -> Result<(), Error> {
    rows_par("log_softmax", (x, y, row_len), crate::log_softmax_on)
}

/// [`softmax_inplace`](crate::softmax_inplace) on all cores, as
/// [`softmax_par`].
///
/// # Errors
/// As [`softmax_inplace`](crate::softmax_inplace); nothing is written then.
pub fn softmax_inplace_par(x: &mut [f32], row_len: usize) -> Result<(), Error> {
    rows_inplace_par(x, row_len, crate::softmax_inplace_on)
}

/// [`log_softmax_inplace`](crate::log_softmax_inplace) on all cores, as
/// [`softmax_par`].
///
/// # Errors
/// As [`log_softmax_inplace`](crate::log_softmax_inplace); nothing is
/// written then.
pub fn log_softmax_inplace_par(x: &mut [f32], row_len: usize) -> Result<(), Error> {
    rows_inplace_par(x, row_len, crate::log_softmax_inplace_on)
}
