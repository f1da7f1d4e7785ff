//! All cores (the `rayon` feature): the `_par` entry points split a slice at
//! fixed boundaries and run the pieces on the calling thread and rayon's
//! pool.
//!
//! Each output element depends only on its own input (and its row, for
//! softmax), whatever the slice's alignment or the split, so any chunking
//! gives the one-thread call's bits: ours, or one an engine makes itself.
//! The boundaries here depend only on the length (every [`CHUNK`] elements,
//! or whole rows), never on the number of threads or the machine. Each piece
//! is handed the whole call's length, so that a memory-bound function's
//! pieces store their output past the caches where the call as a whole
//! would on one thread (see the README's Throughput section: `relu` at
//! 128 Mi on both cores of a Xeon, 5.06 Gelem/s against 3.85 with each
//! piece deciding for itself).
//!
//! Up to [`CALLER_WORKS_MAX`] elements the calling thread works too: it and
//! `P - 1` of the pool's `P` workers take the pieces (see
//! [`for_each_piece`]), and the call returns as soon as the last piece is
//! written. Handing the whole slice to the pool instead, as rayon's parallel
//! iterators do from a thread outside it, puts the caller to sleep and wakes
//! it at the end; on a 2-core Xeon VM that wake-up alone cost 40 to 60 µs a
//! call (`gelu` on 1 Mi elements: 1.6x one thread, against 2.0x with the
//! caller working). Larger slices go to jobs on the pool's workers, each
//! taking pieces as the caller's helpers do, while the caller sleeps until
//! the last piece is written; calls from inside the pool go to rayon's work
//! stealing as usual.

use crate::dispatch::check_lengths;
use crate::element::Output;
use crate::kernels::softmax::{Flavor, LogSoftmax, Softmax};
use crate::rows::{RowOptions, apply, apply_to};
use crate::{Activation, Element, Error, GatedUnit, Isa, MaskOptions};
use core::mem::MaybeUninit;
use core::ops::Range;
use rayon::prelude::*;
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Elements per piece: 32 Ki (128 KiB of `f32`, a share of L2 per core).
pub const CHUNK: usize = 32 * 1024;

/// Up to this many output elements (64 pieces of [`CHUNK`]), the calling
/// thread takes pieces too, beside `P - 1` jobs on the pool's `P` workers;
/// above, it hands them all to rayon's pool and sleeps until they are
/// written. Working saves the cost of its wake-up, 40 to 60 µs a call on a
/// 2-core Xeon VM, but while the pool's idle worker looks for work there is
/// a thread more than there are cores, and from 4 Mi elements on the mean
/// time of a call was longer that way (the median stayed shorter). Measured
/// by timing 300 calls of each form (`gelu` on both cores against one
/// thread, median / mean, with the pieces handed to rayon's parallel
/// iterator when sleeping, the form that the pieces' scheduler has since
/// replaced with one measured faster at 4 Mi and 16 Mi, see
/// `for_each_piece`; the threshold itself was not measured again):
/// 1 Mi 2.01x / 2.01x working against 1.62x / 1.65x sleeping, 2 Mi
/// 1.98x / 1.82x against 1.78x / 1.80x, 4 Mi 1.99x / 1.80x against
/// 1.90x / 1.86x, 16 Mi 2.06x / 1.95x against 2.09x / 2.08x.
pub const CALLER_WORKS_MAX: usize = 2 << 20;

/// Below this many elements (two pieces) the `_par` entry points stay on
/// the calling thread. With the caller taking pieces itself, splitting pays
/// from two pieces on: where no worker is free in time, the caller writes
/// the pieces itself instead of waiting for one. Measured with
/// `cargo bench --features rayon --bench parallel` on a 2-core Xeon with
/// AVX-512, all cores against one thread: `gelu` 1.77x at 64 Ki and 128 Ki
/// elements, 1.91x at 256 Ki, 1.94x at 1 Mi and 1.95x at 16 Mi. The exact
/// functions (`relu`, `relu6`, `hardtanh`, `identity`, `step`), bound by
/// memory rather than arithmetic, take the same threshold: `relu` ran at
/// 1.20x one thread at 64 Ki elements, 1.35x at 128 Ki, 2.06x at 256 Ki
/// (2 MiB in and out: the two cores' caches hold what one core's does not),
/// 2.17x at 1 Mi and 1.93x at 16 Mi.
pub const PARALLEL_MIN: usize = 2 * CHUNK;

/// Bits per half of a packed share (`start` and `end` in one `usize`, so
/// that the shares need no 64-bit atomics on 32-bit targets).
const HALF: u32 = usize::BITS / 2;

/// The state the calling thread shares with the pool's workers during
/// [`for_each_piece`]. It is reference-counted because a job may start
/// after the call has returned (it then finds no piece left and touches
/// nothing else).
struct Claims {
    /// Per thread taking part, the pieces of its share not yet taken, as
    /// `start << HALF | end`. Each takes its own share from the start, then
    /// the others' from their end: every thread walks through memory in one
    /// direction in long runs (measured about 1% faster at 1 Mi elements,
    /// and 2 to 3% at 16 Mi, than taking turns piece by piece from one
    /// counter).
    shares: Box<[AtomicUsize]>,
    /// Pieces run so far.
    done: AtomicUsize,
    /// The first error a piece returned.
    error: OnceLock<Error>,
    /// The first panic of a piece, resumed on the calling thread once every
    /// piece has run.
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

impl Claims {
    /// `pieces` pieces (below `2^HALF`) in `threads` shares of consecutive
    /// pieces.
    fn new(pieces: usize, threads: usize) -> Self {
        debug_assert!(pieces < 1 << HALF);
        let bound = |t: usize| t * pieces / threads;
        Claims {
            shares: (0..threads)
                .map(|t| AtomicUsize::new(bound(t) << HALF | bound(t + 1)))
                .collect(),
            done: AtomicUsize::new(0),
            error: OnceLock::new(),
            panic: Mutex::new(None),
        }
    }

    /// The next piece for thread `who`: the start of its share, else the end
    /// of another's; `None` when every piece is taken. Each piece is
    /// returned once: a share's `start` and `end` move in one atomic step,
    /// only while `start < end`.
    fn take(&self, who: usize) -> Option<usize> {
        let threads = self.shares.len();
        let low = (1 << HALF) - 1;
        for t in (0..threads).map(|i| (who + i) % threads) {
            let share = &self.shares[t];
            let mut now = share.load(Ordering::Relaxed);
            loop {
                let (start, end) = (now >> HALF, now & low);
                if start >= end {
                    break;
                }
                let (next, k) = if t == who {
                    (now + (1 << HALF), start)
                } else {
                    (now - 1, end - 1)
                };
                match share.compare_exchange_weak(now, next, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => return Some(k),
                    Err(seen) => now = seen,
                }
            }
        }
        None
    }

    /// Once every piece has run: a piece's panic resumed, else the first
    /// error a piece returned, if any.
    fn outcome(&self) -> Result<(), Error> {
        let panic = self
            .panic
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(payload) = panic {
            resume_unwind(payload);
        }
        match self.error.get() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Takes pieces as thread `who` and runs them until none is left.
    ///
    /// # Safety
    /// `work` must point to a live `W` for as long as this call may run a
    /// piece (see [`for_each_piece`]).
    unsafe fn run<W>(&self, who: usize, work: *const W)
    where
        W: Fn(usize) -> Result<(), Error> + Sync,
    {
        while let Some(k) = self.take(who) {
            // SAFETY: piece `k` is taken and not yet counted in `done`, so
            // the caller of `for_each_piece` is still waiting and `work`
            // lives.
            let work = unsafe { &*work };
            // A panic must not unwind past the count below: the caller's
            // wait is what keeps `work` alive. It is kept and resumed on the
            // calling thread after the wait.
            match catch_unwind(AssertUnwindSafe(|| work(k))) {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    let _ = self.error.set(e);
                }
                Err(payload) => {
                    let mut first = self.panic.lock().unwrap_or_else(PoisonError::into_inner);
                    first.get_or_insert(payload);
                }
            }
            self.done.fetch_add(1, Ordering::Release);
        }
    }
}

/// Runs `work(k)` for every piece `k` in `0..pieces` on all cores and
/// returns when all are written, with an error a piece returned if any (and
/// a piece's panic resumed on the calling thread).
///
/// From a thread outside rayon's pool of `P` workers, the pieces are
/// claimed from the shares of [`Claims`] by jobs spawned on the pool, each
/// taking pieces until none is left: its own share in order, then the
/// others' from their ends, so each walks through memory in one direction
/// in long runs, and a job that starts late (its worker busy) finds its
/// share taken by the others. The call waits only for the pieces, never for
/// a busy worker:
/// - with `caller_works`, `P - 1` jobs (fewer for few pieces) and the
///   calling thread as the `P`-th, which then waits, spinning, for the
///   pieces still being written (at most one per job);
/// - without, `P` jobs (fewer for few pieces) while the calling thread
///   sleeps (`std::thread::park`) until the job that writes the last piece
///   wakes it. Above `CALLER_WORKS_MAX` that replaced rayon's parallel
///   iterator, which splits the range by work stealing: `gelu` on both
///   cores of the Emerald Rapids VM ran at 1.95x and 1.99x one thread at
///   4 Mi and 16 Mi elements, against 1.71x and 1.73x (medians of five
///   alternating runs).
///
/// From inside the pool, rayon's work stealing spreads the pieces.
fn for_each_piece<W>(pieces: usize, caller_works: bool, work: &W) -> Result<(), Error>
where
    W: Fn(usize) -> Result<(), Error> + Sync,
{
    if pieces >= 1 << HALF || rayon::current_thread_index().is_some() {
        return (0..pieces).into_par_iter().try_for_each(work);
    }
    let threads = rayon::current_num_threads();
    let (jobs, first) = if caller_works {
        (threads.saturating_sub(1).min(pieces.saturating_sub(1)), 1)
    } else {
        (threads.min(pieces), 0)
    };
    let claims = Arc::new(Claims::new(pieces, jobs + first));
    // `work`'s address, for the spawned jobs, which must be `'static`: they
    // read it only while a piece they took is outstanding, during which
    // this call waits below.
    let address = Address(core::ptr::from_ref(work).cast());
    // `Claims::run` for this `W`, behind a pointer whose type does not name
    // it (the jobs' closures must not). Safety: as `Claims::run`, with
    // `address` pointing to a `W`.
    let run: unsafe fn(&Claims, usize, Address) = |claims, who, address| {
        // SAFETY: the caller's guarantee, passed on.
        unsafe { claims.run(who, address.0.cast::<W>()) }
    };
    // The thread to wake, where it sleeps.
    let caller = (!caller_works).then(std::thread::current);
    for who in first..first + jobs {
        let claims = Arc::clone(&claims);
        let caller = caller.clone();
        rayon::spawn(move || {
            // SAFETY: `work` is a `W` that lives until every taken piece is
            // counted in `done`, which the waits below ensure.
            unsafe { run(&claims, who, address) };
            // The job whose count completed the pieces sees it here (each
            // count precedes its own load), and wakes the sleeping caller;
            // a job that sees it too wakes it once more, which `park`
            // allows.
            if let Some(caller) = caller
                && claims.done.load(Ordering::Acquire) == pieces
            {
                caller.unpark();
            }
        });
    }
    if !caller_works {
        while claims.done.load(Ordering::Acquire) < pieces {
            std::thread::park();
        }
        return claims.outcome();
    }
    // SAFETY: `work` is borrowed for this whole call.
    unsafe { claims.run(0, work) };
    // Every piece is taken; wait for those still being written.
    let mut spins = 0u32;
    while claims.done.load(Ordering::Acquire) < pieces {
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(1024) {
            std::thread::yield_now();
        } else {
            core::hint::spin_loop();
        }
    }
    claims.outcome()
}

/// An address handed to the pool's jobs (`'static` and `Send`, unlike a
/// reference to the caller's closure).
#[derive(Clone, Copy)]
struct Address(*const ());
// SAFETY: the address is read only under `for_each_piece`'s wait, and what
// it points to is `Sync`.
unsafe impl Send for Address {}

/// The `k`-th piece of `len` elements from `ptr`, `piece` per piece (the
/// last one shorter).
///
/// # Safety
/// `k < len.div_ceil(piece)`, `ptr` must be valid for `len` writes, and no
/// other reference to that piece may be live while the result is.
unsafe fn piece_mut<'a, T>(ptr: *mut T, len: usize, piece: usize, k: usize) -> &'a mut [T] {
    let start = k * piece;
    let end = (start + piece).min(len);
    // SAFETY: `start <= end <= len` within the caller's allocation, and the
    // caller guarantees exclusive access to the piece.
    unsafe { core::slice::from_raw_parts_mut(ptr.add(start), end - start) }
}

/// A mutable slice's address, to be shared by the threads that write its
/// disjoint pieces ([`piece_mut`]).
struct Shared<T>(*mut T);
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Shared<T> {}
impl<T> Shared<T> {
    /// The address (a method, so that closures capture the whole `Shared`,
    /// which is `Sync`, not the pointer field, which is not).
    fn ptr(self) -> *mut T {
        self.0
    }
}
// SAFETY: the threads write disjoint pieces only, each claimed once.
unsafe impl<T: Send> Sync for Shared<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for Shared<T> {}

/// Runs `f(k, y_k)` for every piece `y_k` of `y` split every `piece`
/// elements (the last one shorter), `k` its index, on all cores
/// ([`for_each_piece`]); `f` reads its inputs' matching pieces.
fn for_each_piece_of<B: Send>(
    y: &mut [B],
    piece: usize,
    f: impl Fn(usize, &mut [B]) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let out = Shared(y.as_mut_ptr());
    let len = y.len();
    let pieces = len.div_ceil(piece);
    for_each_piece(pieces, len <= CALLER_WORKS_MAX, &|k: usize| {
        // SAFETY: `k < pieces`, each `k` is run once, so its piece of `y`
        // is borrowed by this call alone, and `y` stays borrowed until
        // `for_each_piece` has returned, after every piece.
        f(k, unsafe { piece_mut(out.ptr(), len, piece, k) })
    })
}

impl Activation {
    /// [`Activation::forward`] on all cores: `x` and `y` are split every
    /// [`CHUNK`] elements and the pieces run on all cores, with the bits
    /// of the one-thread call. Below [`PARALLEL_MIN`] elements it runs on
    /// the calling thread.
    ///
    /// # Errors
    /// As [`Activation::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_par<T: Element>(&self, x: &[T], y: &mut [T]) -> Result<(), Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_par_on(Isa::try_best()?, x, y)
    }

    /// [`Activation::forward_uninit`] on all cores, as
    /// [`Activation::forward_par`]: the same bits, `y` only written and
    /// returned initialized.
    ///
    /// # Errors
    /// As [`Activation::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If `x.len() != y.len()` (the message gives both lengths), before any
    /// other check.
    pub fn forward_uninit_par<'a, T: Element>(
        &self,
        x: &[T],
        y: &'a mut [MaybeUninit<T>],
    ) -> Result<&'a mut [T], Error> {
        check_lengths(self.name(), x.len(), y.len());
        self.forward_par_on(Isa::try_best()?, x, y)?;
        // SAFETY: the pieces wrote every element of `y`.
        Ok(unsafe { crate::element::assume_init(y) })
    }

    /// [`Activation::forward_par`] on the available path `isa`, into an
    /// output that may be uninitialized (it is only written).
    pub(crate) fn forward_par_on<T: Element, B: Send>(
        &self,
        isa: Isa,
        x: &[T],
        y: &mut [B],
    ) -> Result<(), Error>
    where
        [B]: Output<T>,
    {
        check_lengths(self.name(), x.len(), y.len());
        let isa = isa.check()?;
        self.validate()?;
        let whole = y.len();
        if whole < PARALLEL_MIN {
            return self.forward_piece_on(isa, x, y, whole);
        }
        for_each_piece_of(y, CHUNK, |k, y| {
            self.forward_piece_on(isa, &x[k * CHUNK..][..y.len()], y, whole)
        })
    }

    /// [`Activation::forward_inplace`] on all cores, as
    /// [`Activation::forward_par`].
    ///
    /// # Errors
    /// As [`Activation::forward_inplace`]; nothing is written then.
    pub fn forward_inplace_par<T: Element>(&self, x: &mut [T]) -> Result<(), Error> {
        self.forward_inplace_par_on(Isa::try_best()?, x)
    }

    /// [`Activation::forward_inplace_par`] on the path `isa` (checked).
    pub(crate) fn forward_inplace_par_on<T: Element>(
        &self,
        isa: Isa,
        x: &mut [T],
    ) -> Result<(), Error> {
        let isa = isa.check()?;
        self.validate_inplace()?;
        if x.len() < PARALLEL_MIN {
            return self.forward_inplace_on(isa, x);
        }
        for_each_piece_of(x, CHUNK, |_, x| self.forward_inplace_on(isa, x))
    }
}

impl GatedUnit {
    /// [`GatedUnit::forward`] on all cores: the slices are split every
    /// [`CHUNK`] elements, with the bits of the one-thread call. Below
    /// [`PARALLEL_MIN`] elements it runs on the calling thread.
    ///
    /// # Errors
    /// As [`GatedUnit::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If the three lengths differ (the message gives them).
    pub fn forward_par<T: Element>(self, gate: &[T], up: &[T], y: &mut [T]) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), y.len());
        self.forward_par_on(Isa::try_best()?, (gate, up), y)
    }

    /// [`GatedUnit::forward_uninit`] on all cores, as
    /// [`GatedUnit::forward_par`]: the same bits, `y` only written and
    /// returned initialized.
    ///
    /// # Errors
    /// As [`GatedUnit::forward`]; nothing is written then.
    ///
    /// # Panics
    /// If the three lengths differ (the message gives them).
    pub fn forward_uninit_par<'a, T: Element>(
        self,
        gate: &[T],
        up: &[T],
        y: &'a mut [MaybeUninit<T>],
    ) -> Result<&'a mut [T], Error> {
        self.check_lengths(gate.len(), up.len(), y.len());
        self.forward_par_on(Isa::try_best()?, (gate, up), y)?;
        // SAFETY: the pieces wrote every element of `y`.
        Ok(unsafe { crate::element::assume_init(y) })
    }

    /// [`GatedUnit::forward_par`] on the available path `isa`, into an
    /// output that may be uninitialized (it is only written).
    pub(crate) fn forward_par_on<T: Element, B: Send>(
        self,
        isa: Isa,
        (gate, up): (&[T], &[T]),
        y: &mut [B],
    ) -> Result<(), Error>
    where
        [B]: Output<T>,
    {
        self.check_lengths(gate.len(), up.len(), y.len());
        let isa = isa.check()?;
        let whole = y.len();
        if whole < PARALLEL_MIN {
            return self.forward_piece_on(isa, (gate, up), y, whole);
        }
        for_each_piece_of(y, CHUNK, |k, y| {
            let start = k * CHUNK;
            let (gate, up) = (&gate[start..][..y.len()], &up[start..][..y.len()]);
            self.forward_piece_on(isa, (gate, up), y, whole)
        })
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
        self.forward_inplace_par_on(Isa::try_best()?, gate, up)
    }

    /// [`GatedUnit::forward_inplace_par`] on the path `isa` (checked).
    pub(crate) fn forward_inplace_par_on<T: Element>(
        self,
        isa: Isa,
        gate: &mut [T],
        up: &[T],
    ) -> Result<(), Error> {
        self.check_lengths(gate.len(), up.len(), gate.len());
        let isa = isa.check()?;
        if gate.len() < PARALLEL_MIN {
            return self.forward_inplace_on(isa, gate, up);
        }
        for_each_piece_of(gate, CHUNK, |k, gate| {
            self.forward_inplace_on(isa, gate, &up[k * CHUNK..][..gate.len()])
        })
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
        self.forward_rows_par_on(Isa::try_best()?, (x, y), (half_len, swapped))
    }

    /// [`GatedUnit::forward_rows_uninit`] on all cores, as
    /// [`GatedUnit::forward_rows_par`]: the same bits, `y` only written and
    /// returned initialized.
    ///
    /// # Errors
    /// As [`GatedUnit::forward_rows`]; nothing is written then.
    ///
    /// # Panics
    /// As [`GatedUnit::forward_rows`].
    pub fn forward_rows_uninit_par<'a, T: Element>(
        self,
        x: &[T],
        y: &'a mut [MaybeUninit<T>],
        half_len: usize,
        swapped: bool,
    ) -> Result<&'a mut [T], Error> {
        self.check_rows_lengths(x.len(), y.len());
        self.forward_rows_par_on(Isa::try_best()?, (x, &mut *y), (half_len, swapped))?;
        // SAFETY: the pieces wrote every element of `y`.
        Ok(unsafe { crate::element::assume_init(y) })
    }

    /// [`GatedUnit::forward_rows_par`] on the available path `isa`, into an
    /// output that may be uninitialized (it is only written).
    pub(crate) fn forward_rows_par_on<T: Element, B: Send>(
        self,
        isa: Isa,
        (x, y): (&[T], &mut [B]),
        (half_len, swapped): (usize, bool),
    ) -> Result<(), Error>
    where
        [B]: Output<T>,
    {
        self.check_rows_lengths(x.len(), y.len());
        let isa = isa.check()?;
        let whole = y.len();
        let Some(piece) = row_piece(whole, half_len, PARALLEL_MIN) else {
            return self.forward_rows_piece_on(isa, (x, y), (half_len, swapped), whole);
        };
        for_each_piece_of(y, piece, |k, y| {
            let x = &x[2 * k * piece..][..2 * y.len()];
            self.forward_rows_piece_on(isa, (x, y), (half_len, swapped), whole)
        })
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

/// A row function (`softmax` where `flavor` is [`Softmax`], ...) in place
/// over `y` on all cores, on the available path `isa`, with `options` (`()`
/// or a masked form's): whole rows per piece, each piece with its part of a
/// mask per row, and every error found before any piece runs. On the
/// calling thread below [`PARALLEL_MIN`] and for shapes the row function
/// refuses.
pub(crate) fn rows_par<L: Flavor + Sync, T: Element, O: RowOptions<T> + Sync>(
    name: &'static str,
    flavor: L,
    isa: Isa,
    (y, row_len): (&mut [T], usize),
    options: O,
) -> Result<(), Error> {
    let run = |_, y: &mut [T], options: O| {
        apply(name, flavor, || isa.check(), (None, y, row_len), options)
    };
    row_pieces(name, (y, row_len), options, run)
}

/// [`rows_par`] from `x` into a distinct output of `x`'s length, which may
/// be uninitialized (every element is written before it is read).
pub(crate) fn rows_par_to<L: Flavor + Sync, T: Element, B: Send, O: RowOptions<T> + Sync>(
    name: &'static str,
    flavor: L,
    isa: Isa,
    (x, y, row_len): (&[T], &mut [B], usize),
    options: O,
) -> Result<(), Error>
where
    [B]: Output<T>,
{
    let run = |range: Option<Range<usize>>, y: &mut [B], options: O| {
        let x = range.map_or(x, |r| &x[r]);
        apply_to(name, flavor, || isa.check(), (x, y, row_len), options)
    };
    row_pieces(name, (y, row_len), options, run)
}

/// Runs `run` over pieces of whole rows of `y` on all cores, each with its
/// range of elements and its part of the options, once `options` have been
/// checked over the whole call; or once over all of `y` (range `None`) on
/// the calling thread, below [`PARALLEL_MIN`] and for shapes the row
/// function refuses (which `run` then reports).
fn row_pieces<T: Element, B: Send, O: RowOptions<T> + Sync>(
    name: &'static str,
    (y, row_len): (&mut [B], usize),
    options: O,
    run: impl Fn(Option<Range<usize>>, &mut [B], O) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let Some(piece) = row_piece(y.len(), row_len, PARALLEL_MIN) else {
        return run(None, y, options);
    };
    options.check(name, y.len(), row_len)?;
    for_each_piece_of(y, piece, |k, y| {
        let range = k * piece..k * piece + y.len();
        run(Some(range.clone()), y, options.piece(range))
    })
}

/// Declares the all-cores forms of the row function `$plain` (and its
/// `$inplace` and `$uninit` forms): out of place, in place and into an
/// uninitialized output, each split into pieces of whole rows by
/// [`row_pieces`]. The masked functions name their trailing parameter of
/// options, `$options: $ty`.
macro_rules! row_par_forms {
    (
        $name:literal, $flavor:ident, $plain:ident, $inplace:ident, $uninit:ident
        $(($options:ident: $ty:ty))? => $par:ident, $inplace_par:ident, $uninit_par:ident
    ) => {
        #[doc = concat!("[`", stringify!($plain), "`](crate::", stringify!($plain), ") on all cores: whole rows per piece (about [`CHUNK`] elements), with the one-thread call's bits. Below [`PARALLEL_MIN`] elements it runs on the calling thread.")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($plain), "`](crate::", stringify!($plain), "); nothing is written then.")]
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), before
        /// any other check.
        pub fn $par<T: Element>(
            x: &[T],
            y: &mut [T],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<(), Error> {
            check_lengths($name, x.len(), y.len());
            rows_par_to($name, $flavor, Isa::try_best()?, (x, y, row_len), ($($options)?))
        }

        #[doc = concat!("[`", stringify!($inplace), "`](crate::", stringify!($inplace), ") on all cores, as [`", stringify!($par), "`].")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($plain), "`](crate::", stringify!($plain), "); nothing is written then.")]
        pub fn $inplace_par<T: Element>(
            x: &mut [T],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<(), Error> {
            rows_par($name, $flavor, Isa::try_best()?, (x, row_len), ($($options)?))
        }

        #[doc = concat!("[`", stringify!($uninit), "`](crate::", stringify!($uninit), ") on all cores, as [`", stringify!($par), "`]: the same bits, every element of `y` written before it is read, and `y` returned initialized.")]
        ///
        /// # Errors
        #[doc = concat!("As [`", stringify!($plain), "`](crate::", stringify!($plain), "); nothing is written then.")]
        ///
        /// # Panics
        /// If `x.len() != y.len()` (the message gives both lengths), before
        /// any other check.
        pub fn $uninit_par<'a, T: Element>(
            x: &[T],
            y: &'a mut [MaybeUninit<T>],
            row_len: usize,
            $($options: $ty,)?
        ) -> Result<&'a mut [T], Error> {
            check_lengths($name, x.len(), y.len());
            rows_par_to($name, $flavor, Isa::try_best()?, (x, &mut *y, row_len), ($($options)?))?;
            // SAFETY: the pieces wrote every element of `y` (the row driver
            // writes every output element of every row).
            Ok(unsafe { crate::element::assume_init(y) })
        }
    };
}

row_par_forms!("softmax", Softmax, softmax, softmax_inplace, softmax_uninit =>
    softmax_par, softmax_inplace_par, softmax_uninit_par);
row_par_forms!("log_softmax", LogSoftmax, log_softmax, log_softmax_inplace, log_softmax_uninit =>
    log_softmax_par, log_softmax_inplace_par, log_softmax_uninit_par);
row_par_forms!("softmax", Softmax, softmax_masked, softmax_masked_inplace, softmax_masked_uninit
    (options: MaskOptions<'_, T>) =>
    softmax_masked_par, softmax_masked_inplace_par, softmax_masked_uninit_par);
row_par_forms!("log_softmax", LogSoftmax, log_softmax_masked, log_softmax_masked_inplace,
    log_softmax_masked_uninit (options: MaskOptions<'_, T>) =>
    log_softmax_masked_par, log_softmax_masked_inplace_par, log_softmax_masked_uninit_par);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every piece comes out of the shares exactly once, whichever threads
    /// take them and in whatever order.
    #[test]
    fn shares_give_every_piece_once() {
        for (pieces, threads) in [(1, 1), (2, 2), (7, 3), (64, 2), (65, 4), (5, 8)] {
            let claims = Claims::new(pieces, threads);
            let mut seen = vec![0u32; pieces];
            let mut who = 0;
            // Threads in turn, one taking two in a row now and then.
            while let Some(k) = claims.take(who % threads) {
                seen[k] += 1;
                who += 1 + usize::from(k % 3 == 0);
            }
            assert!(
                seen.iter().all(|&c| c == 1),
                "{pieces} in {threads}: {seen:?}"
            );
            // The owner's first piece is the start of its share.
            let claims = Claims::new(pieces, threads);
            for t in 0..threads {
                let (start, end) = (t * pieces / threads, (t + 1) * pieces / threads);
                if start < end {
                    assert_eq!(claims.take(t), Some(start), "{pieces} in {threads}");
                }
            }
        }
    }

    /// A piece of a call streams its output where the whole call would (the
    /// `_par` forms hand each piece the whole call's length, which a test
    /// could reach only with outputs the size of the largest cache), and
    /// gives the bits of the plain call: `relu`, `reglu` and its rows, with
    /// inputs and output at three offsets each.
    #[test]
    fn pieces_stream_as_the_whole_call_would() {
        use crate::dispatch::STREAMED_JOBS;
        let isa = Isa::best();
        // The size a call streams from, where this CPU names its caches and
        // the path streams.
        let min = crate::isa::stream_min_bytes();
        if min == usize::MAX || isa == Isa::Scalar {
            return;
        }
        let whole = min.max(crate::driver::STREAM_FLOOR_BYTES) / 4 + 1;
        let n = 3 * CHUNK / 2;
        let x: Vec<f32> = (0..2 * n + 64)
            .map(|i| (i as f32 * 0.37).sin() * 9.0)
            .collect();
        let streamed = || STREAMED_JOBS.with(|jobs| jobs.get());
        let same_bits =
            |w: &[f32], g: &[f32]| w.iter().zip(g).all(|(w, g)| w.to_bits() == g.to_bits());
        // Inputs and outputs each at an offset in elements from the start
        // of their allocations.
        for (offset, at) in [(0, 0), (3, 1), (16, 8)] {
            let (a, b) = (&x[offset..][..n], &x[n + offset..][..n]);
            let mut want = vec![0.0f32; n + 16];
            let mut got = want.clone();
            let (want, got) = (&mut want[at..][..n], &mut got[at..][..n]);

            Activation::Relu.forward_on(isa, a, want).unwrap();
            let before = streamed();
            Activation::Relu.forward_piece_on(isa, a, got, n).unwrap();
            assert_eq!(streamed(), before, "a piece of a short call");
            got.fill(f32::NAN);
            Activation::Relu
                .forward_piece_on(isa, a, got, whole)
                .unwrap();
            assert_eq!(streamed(), before + 1, "relu at offset {offset}");
            assert!(same_bits(want, got), "relu bits at offset {offset}");

            let unit = GatedUnit::ReGlu;
            unit.forward_on(isa, a, b, want).unwrap();
            got.fill(f32::NAN);
            unit.forward_piece_on(isa, (a, b), got, whole).unwrap();
            assert_eq!(streamed(), before + 2, "reglu at offset {offset}");
            assert!(same_bits(want, got), "reglu bits at offset {offset}");

            let rows = &x[offset..][..2 * n];
            unit.forward_rows_on(isa, rows, want, n / 3, true).unwrap();
            got.fill(f32::NAN);
            unit.forward_rows_piece_on(isa, (rows, got), (n / 3, true), whole)
                .unwrap();
            assert_eq!(streamed(), before + 3, "reglu rows at offset {offset}");
            assert!(same_bits(want, got), "reglu rows bits at offset {offset}");
        }
    }

    /// A piece's panic reaches the caller after every other piece has run,
    /// and a piece's error is the call's, whether the caller works or not.
    #[test]
    fn a_piece_panicking_unwinds_on_the_caller() {
        // How many times each of 9 pieces ran.
        let runs = || -> [AtomicUsize; 9] { core::array::from_fn(|_| AtomicUsize::new(0)) };
        let once = |runs: &[AtomicUsize; 9]| runs.iter().all(|r| r.load(Ordering::Relaxed) == 1);
        for caller_works in [true, false] {
            let ran = runs();
            let work = |k: usize| {
                ran[k].fetch_add(1, Ordering::Relaxed);
                assert!(k != 5, "piece five");
                Ok(())
            };
            let result = catch_unwind(AssertUnwindSafe(|| for_each_piece(9, caller_works, &work)));
            assert!(result.is_err(), "caller works: {caller_works}");
            assert!(once(&ran), "caller works: {caller_works}");

            let ran = runs();
            let work = |k: usize| {
                ran[k].fetch_add(1, Ordering::Relaxed);
                if k == 3 {
                    return Err(Error::InvalidShape {
                        function: "piece three",
                        message: String::new(),
                    });
                }
                Ok(())
            };
            let result = for_each_piece(9, caller_works, &work);
            let three = matches!(
                result,
                Err(Error::InvalidShape {
                    function: "piece three",
                    ..
                })
            );
            assert!(three, "caller works: {caller_works}");
            assert!(once(&ran), "caller works: {caller_works}");
        }
    }
}
