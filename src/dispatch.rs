//! Runs a job (a driver with its kernel) on a chosen path: one
//! `#[target_feature]` function per (job, path), obtained from pulp's
//! `vectorize`, with the driver and the kernel inlined into it (two for the
//! elementwise jobs of a kernel that streams: with and without streamed
//! stores, see [`on_isa_apart`]).
//!
//! One entry point per driver, named as the driver: [`one_input`],
//! [`two_inputs`], [`per_channel`], [`rows`] and [`biased_rows`].

use crate::Isa;
use crate::driver;
use crate::element::{self, Element, Format};
use crate::kernels::softmax::{Attention, Flavor, LogSoftmax, Softmax};
use crate::kernels::{Kernel, TwoInputKernel};
use crate::simd::Simd;
use crate::simd::scalar::Scalar;
use half::{bf16, f16};

/// Work written once against the [`Simd`] primitives: a driver over slices
/// with its kernel. [`on_isa`] compiles it per path.
pub(crate) trait SimdJob {
    /// What the job returns.
    type Output;
    /// Whether the job stores bfloat16 elements. Such a job gets a second
    /// AVX-512 form, with AVX512_BF16's conversion, for the CPUs that have
    /// it (see [`on_isa`]); the others are compiled once per path (and
    /// streaming form, see [`on_isa_apart`]).
    #[cfg_attr(
        not(any(target_arch = "x86", target_arch = "x86_64")),
        expect(dead_code, reason = "only the AVX-512 path has a second form")
    )]
    const WRITES_BF16: bool = false;
    /// Runs the job with the backend `s`.
    fn run<S: Simd>(self, s: S) -> Self::Output;
}

/// A job bound to a backend, as a closure pulp can compile with the backend's
/// target features enabled.
struct JobOn<S, J> {
    simd: S,
    job: J,
}

impl<S: Simd, J: SimdJob> pulp::NullaryFnOnce for JobOn<S, J> {
    type Output = J::Output;

    #[inline(always)]
    fn call(self) -> J::Output {
        self.job.run(self.simd)
    }
}

/// Runs `job` on path `isa`.
///
/// On [`Isa::Avx512`], a job that stores bfloat16 ([`SimdJob::WRITES_BF16`])
/// runs the backend's AVX512_BF16 form, through [`on_avx512_bf16`], when the
/// CPU has it (detected once, cached); any other job, or a CPU without it,
/// runs the portable form. Both give the same bits.
///
/// # Safety
/// `isa` must be available on this CPU (`isa.is_available()`), and the job's
/// own safety conditions (its pointers) must hold.
#[inline(always)]
pub(crate) unsafe fn on_isa<J: SimdJob>(isa: Isa, job: J) -> J::Output {
    match isa {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx512 => {
            use crate::simd::avx512::Avx512;
            // SAFETY: the caller guarantees AVX-512 (x86-64-v4) is available.
            let token = unsafe { pulp::x86::V4::new_unchecked() };
            if J::WRITES_BF16 && crate::isa::has_avx512_bf16() {
                // SAFETY: the CPU has AVX512_BF16 (just checked), and the
                // job runs inside `on_avx512_bf16`, which enables it.
                let simd = unsafe { Avx512::with_bf16(token) };
                // SAFETY: x86-64-v4 and AVX512_BF16, as above.
                return unsafe { on_avx512_bf16(JobOn { simd, job }) };
            }
            let simd = Avx512::new(token);
            token.vectorize(JobOn { simd, job })
        }
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx2 => {
            // SAFETY: the caller guarantees AVX2 + FMA (x86-64-v3) and F16C
            // are available (`Isa::Avx2` requires both).
            let token = unsafe { pulp::x86::V3::new_unchecked() };
            let simd = crate::simd::avx2::Avx2(token);
            // SAFETY: as above.
            unsafe { on_avx2(JobOn { simd, job }) }
        }
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            // SAFETY: the caller guarantees NEON is available.
            let token = unsafe { pulp::aarch64::Neon::new_unchecked() };
            let simd = crate::simd::neon::Neon(token);
            token.vectorize(JobOn { simd, job })
        }
        _ => on_scalar(job),
    }
}

/// The AVX2 path's entry function: pulp's `V3` features plus F16C, which
/// x86-64-v3 includes but `V3` does not enable, so that the binary16
/// conversions (`vcvtph2ps`, `vcvtps2ph`) inline into the loop.
///
/// # Safety
/// The CPU must support x86-64-v3 and F16C.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[target_feature(enable = "avx,avx2,fma,bmi1,bmi2,lzcnt,popcnt,f16c")]
unsafe fn on_avx2<F: pulp::NullaryFnOnce>(f: F) -> F::Output {
    f.call()
}

/// The AVX-512 path's entry function for the jobs that store bfloat16 on
/// CPUs with AVX512_BF16: pulp's `V4` features plus AVX512_BF16, so that
/// `vcvtneps2bf16` inlines into the loop (see [`Simd::store_bf16`]). One
/// AVX-512 path for the user ([`Isa::Avx512`]), compiled twice for these
/// jobs only: the CPUs with x86-64-v4 but not AVX512_BF16 (Skylake-X, Ice
/// Lake) run the first form, with the portable conversion.
///
/// # Safety
/// The CPU must support x86-64-v4 and AVX512_BF16.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[target_feature(
    enable = "avx,avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512bw,avx512cd,avx512dq,avx512vl,avx512bf16"
)]
unsafe fn on_avx512_bf16<F: pulp::NullaryFnOnce>(f: F) -> F::Output {
    f.call()
}

/// The scalar path. Where the CPU has hardware FMA it runs with that feature
/// enabled, so `f32::mul_add` is one instruction instead of a library call;
/// both give the same bits, since a fused multiply-add has one correct result.
#[inline(always)]
fn on_scalar<J: SimdJob>(job: J) -> J::Output {
    let job = JobOn { simd: Scalar, job };
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    if let Some(token) = pulp::x86::V3::try_new() {
        return token.vectorize(job);
    }
    pulp::NullaryFnOnce::call(job)
}

/// Whether path `isa`'s backend stores past the caches where asked
/// ([`Simd::STREAM`]).
#[inline(always)]
fn path_streams(isa: Isa) -> bool {
    match isa {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx512 => <crate::simd::avx512::Avx512 as Simd>::STREAM,
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx2 => <crate::simd::avx2::Avx2 as Simd>::STREAM,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => <crate::simd::neon::Neon as Simd>::STREAM,
        _ => <Scalar as Simd>::STREAM,
    }
}

/// [`on_isa`] for a job that streams ([`driver::stream_wanted`]), out of
/// the caller's body: a streaming call is long, and the short ones keep the
/// caller as it is without streaming. Each elementwise job has two forms,
/// with and without streaming (its `STREAM` argument); the callers branch
/// on the kernel's [`Kernel::STREAM`] as a constant first, so that only the
/// kernels that stream get the second form.
///
/// # Safety
/// As [`on_isa`].
#[inline(never)]
unsafe fn on_isa_apart<J: SimdJob>(isa: Isa, job: J) -> J::Output {
    #[cfg(test)]
    STREAMED_JOBS.with(|jobs| jobs.set(jobs.get() + 1));
    // SAFETY: the caller's guarantees, passed on.
    unsafe { on_isa(isa, job) }
}

#[cfg(test)]
thread_local! {
    /// The jobs this thread has run streamed (through [`on_isa_apart`]),
    /// for the tests of the streaming decision.
    pub(crate) static STREAMED_JOBS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// The one-input driver over one slice.
struct OneInputJob<K, A, B, const STREAM: bool> {
    kernel: K,
    x: *const A,
    y: *mut B,
    n: usize,
}

impl<K: Kernel, A: Element, B: Element, const STREAM: bool> SimdJob
    for OneInputJob<K, A, B, STREAM>
{
    type Output = ();
    const WRITES_BF16: bool = matches!(element::format::<B>(), Format::Bf16);

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        // SAFETY: `one_input`'s caller guarantees the pointer ranges.
        unsafe { driver::one_input::<S, K, A, B, STREAM>(s, self.kernel, self.x, self.y, self.n) }
    }
}

/// Applies `kernel` to `n` elements from `x` into `y` on path `isa`, part
/// of a call of `whole` output elements (`n` itself, or more for a piece
/// of a call on all cores), which decides whether the output is streamed
/// ([`driver::stream_wanted`]).
///
/// # Safety
/// `isa` must be available on this CPU (`isa.is_available()`); `x` must be
/// valid for `n` reads and `y` for `n` writes, either the same pointer (with
/// `A` = `B`) or non-overlapping.
#[inline(always)]
pub(crate) unsafe fn one_input<K: Kernel, A: Element, B: Element>(
    isa: Isa,
    kernel: K,
    (x, y): (*const A, *mut B),
    (n, whole): (usize, usize),
) {
    let stream = driver::stream_wanted(|| path_streams(isa), K::STREAM, whole, (x, x, y));
    let plain = OneInputJob::<K, A, B, false> { kernel, x, y, n };
    let streamed = OneInputJob::<K, A, B, true> { kernel, x, y, n };
    // SAFETY: the caller's guarantees, passed on.
    unsafe {
        if const { K::STREAM && element::is_f32::<B>() } && stream {
            on_isa_apart(isa, streamed)
        } else {
            on_isa(isa, plain)
        }
    }
}

/// The pointers and layout of a two-input job: `blocks` blocks of `len`
/// elements, block `b` at `x + b * strides[0]`, `t + b * strides[1]` and
/// `y + b * strides[2]`; `whole` is the output elements of the call they
/// are part of, which decides whether the output is streamed
/// ([`driver::stream_wanted`]): `blocks * len`, or more for a piece of a
/// call on all cores.
#[derive(Clone, Copy)]
pub(crate) struct Blocks<A, B> {
    pub(crate) x: *const A,
    pub(crate) t: *const A,
    pub(crate) y: *mut B,
    pub(crate) blocks: usize,
    pub(crate) len: usize,
    pub(crate) strides: [usize; 3],
    pub(crate) whole: usize,
}

impl<A, B> Blocks<A, B> {
    /// `blocks` consecutive blocks of `period` elements of `x` and `y`, each
    /// paired with the same `period` elements of `t`.
    pub(crate) fn periodic(
        x: *const A,
        t: *const A,
        y: *mut B,
        [blocks, period]: [usize; 2],
    ) -> Self {
        Blocks {
            x,
            t,
            y,
            blocks,
            len: period,
            strides: [period, 0, period],
            whole: blocks.saturating_mul(period),
        }
    }

    /// These blocks as a piece of a call of `whole` output elements.
    pub(crate) fn piece_of(self, whole: usize) -> Self {
        Blocks { whole, ..self }
    }
}

/// The two-input driver over [`Blocks`].
struct TwoInputsJob<K, A, B, const STREAM: bool> {
    kernel: K,
    io: Blocks<A, B>,
}

impl<K: TwoInputKernel, A: Element, B: Element, const STREAM: bool> SimdJob
    for TwoInputsJob<K, A, B, STREAM>
{
    type Output = ();
    const WRITES_BF16: bool = matches!(element::format::<B>(), Format::Bf16);

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        let Blocks {
            x,
            t,
            y,
            blocks,
            len,
            strides: [sx, st, sy],
            ..
        } = self.io;
        for b in 0..blocks {
            // SAFETY: `two_inputs`'s caller guarantees every block's ranges.
            unsafe {
                let io = (x.add(b * sx), t.add(b * st), y.add(b * sy));
                driver::two_inputs::<S, K, A, B, STREAM>(s, self.kernel, io, len);
            }
        }
        // Fenced once for every block.
        driver::finish_stream::<S, STREAM>(s);
    }
}

/// Applies the two-input `kernel` to the blocks of `io`, on path `isa`:
/// `y[i] = kernel(x[i], t[i])` within each block.
///
/// # Safety
/// `isa` must be available; each block must be valid for `len` reads of `x`
/// and `t` and `len` writes of `y`; an output block may be the same pointer
/// as its input block (with `A` = `B`) but must not otherwise overlap any
/// input or output block.
#[inline(always)]
pub(crate) unsafe fn two_inputs<K: TwoInputKernel, A: Element, B: Element>(
    isa: Isa,
    kernel: K,
    io: Blocks<A, B>,
) {
    // Decided once for the whole output.
    let first = (io.x, io.t, io.y);
    let stream = driver::stream_wanted(|| path_streams(isa), K::STREAM, io.whole, first);
    let plain = TwoInputsJob::<K, A, B, false> { kernel, io };
    let streamed = TwoInputsJob::<K, A, B, true> { kernel, io };
    // SAFETY: the caller's guarantees, passed on.
    unsafe {
        if const { K::STREAM && element::is_f32::<B>() } && stream {
            on_isa_apart(isa, streamed)
        } else {
            on_isa(isa, plain)
        }
    }
}

/// The per-channel driver over an `[outer, channels, inner]` layout.
struct PerChannelJob<K, T, const STREAM: bool> {
    kernel: K,
    x: *const T,
    t: *const f32,
    y: *mut T,
    shape: [usize; 3],
}

impl<K: TwoInputKernel, T: Element, const STREAM: bool> SimdJob for PerChannelJob<K, T, STREAM> {
    type Output = ();
    const WRITES_BF16: bool = matches!(element::format::<T>(), Format::Bf16);

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        let (x, t, y) = (self.x, self.t, self.y);
        // SAFETY: `per_channel`'s caller guarantees the ranges.
        unsafe { driver::per_channel::<S, K, T, STREAM>(s, self.kernel, x, t, y, self.shape) }
    }
}

/// Applies the two-input `kernel` over an `[outer, channels, inner]` layout
/// with `t[c]` as the second input of every element of channel `c`, on path
/// `isa`.
///
/// # Safety
/// `isa` must be available; `x` valid for `outer * channels * inner` reads,
/// `y` for as many writes (the same pointer or non-overlapping), `t` for
/// `channels` reads.
#[inline(always)]
pub(crate) unsafe fn per_channel<K: TwoInputKernel, T: Element>(
    isa: Isa,
    kernel: K,
    x: *const T,
    t: *const f32,
    y: *mut T,
    shape: [usize; 3],
) {
    let total = shape
        .iter()
        .fold(1, |total: usize, d| total.saturating_mul(*d));
    let stream = driver::stream_wanted(|| path_streams(isa), K::STREAM, total, (x, x, y));
    let plain = PerChannelJob::<K, T, false> {
        kernel,
        x,
        t,
        y,
        shape,
    };
    let streamed = PerChannelJob::<K, T, true> {
        kernel,
        x,
        t,
        y,
        shape,
    };
    // SAFETY: the caller's guarantees, passed on.
    unsafe {
        if const { K::STREAM && element::is_f32::<T>() } && stream {
            on_isa_apart(isa, streamed)
        } else {
            on_isa(isa, plain)
        }
    }
}

/// `softmax` or `log_softmax` over consecutive rows, of the input itself or
/// of the attention input (see [`driver::attention_rows`]).
struct RowsJob<L, T> {
    flavor: L,
    x: *const T,
    y: *mut T,
    rows: usize,
    row_len: usize,
    /// The attention input and the mask's stride between rows.
    attention: Option<(Attention<T>, usize)>,
}

impl<L: Flavor, T: Element> SimdJob for RowsJob<L, T> {
    type Output = ();
    const WRITES_BF16: bool = matches!(element::format::<T>(), Format::Bf16);

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        let shape = [self.rows, self.row_len];
        // SAFETY: `rows`'s caller guarantees the ranges.
        unsafe {
            match self.attention {
                None => driver::rows(s, self.flavor, self.x, self.y, shape),
                Some((a, stride)) => {
                    driver::attention_rows(s, self.flavor, self.x, self.y, shape, (a, stride))
                }
            }
        }
    }
}

/// Applies `softmax` (or `log_softmax` where `log`) to `rows` consecutive
/// rows of `row_len >= 1` elements of the type `format` names from `x` into
/// `y` on path `isa`, or to the attention input `attention` formed from them
/// (its mask, of the same type, advancing by the given stride from row to
/// row). The element type erased, so that the rows are compiled here, once
/// for each type, whatever calls them.
///
/// # Safety
/// `isa` must be available; `x` valid for `rows * row_len` reads and `y` for
/// as many writes of elements of type `format`, the same pointer or
/// non-overlapping; a mask valid for `row_len` reads at each row's stride.
pub(crate) unsafe fn rows(
    isa: Isa,
    log: bool,
    format: Format,
    (x, y): (*const (), *mut ()),
    shape: [usize; 2],
    attention: Option<(Attention<()>, usize)>,
) {
    /// The job for `flavor` and `T`.
    ///
    /// # Safety
    /// As [`rows`], with `T` the type `format` names.
    #[inline(always)]
    unsafe fn typed<L: Flavor, T: Element>(
        isa: Isa,
        flavor: L,
        (x, y): (*const (), *mut ()),
        [rows, row_len]: [usize; 2],
        attention: Option<(Attention<()>, usize)>,
    ) {
        let job = RowsJob {
            flavor,
            x: x.cast::<T>(),
            y: y.cast::<T>(),
            rows,
            row_len,
            attention: attention.map(|(a, stride)| (a.cast::<T>(), stride)),
        };
        // SAFETY: the caller's guarantees, passed on.
        unsafe { on_isa(isa, job) }
    }
    let ptrs = (x, y);
    // SAFETY: the caller's guarantees, with `T` the type `format` names.
    unsafe {
        match (log, format) {
            (false, Format::F32) => typed::<_, f32>(isa, Softmax, ptrs, shape, attention),
            (false, Format::Bf16) => typed::<_, bf16>(isa, Softmax, ptrs, shape, attention),
            (false, Format::F16) => typed::<_, f16>(isa, Softmax, ptrs, shape, attention),
            (true, Format::F32) => typed::<_, f32>(isa, LogSoftmax, ptrs, shape, attention),
            (true, Format::Bf16) => typed::<_, bf16>(isa, LogSoftmax, ptrs, shape, attention),
            (true, Format::F16) => typed::<_, f16>(isa, LogSoftmax, ptrs, shape, attention),
        }
    }
}

/// `kernel` on the sum of a tile's rows and a bias row (see
/// [`driver::biased_rows`]).
struct BiasedRowsJob<K, const STREAM: bool> {
    kernel: K,
    x: *const f32,
    bias: *const f32,
    y: *mut f32,
    shape: [usize; 3],
}

impl<K: Kernel, const STREAM: bool> SimdJob for BiasedRowsJob<K, STREAM> {
    type Output = ();

    #[inline(always)]
    fn run<S: Simd>(self, s: S) {
        let (x, bias, y) = (self.x, self.bias, self.y);
        // SAFETY: `biased_rows`'s caller guarantees the ranges.
        unsafe { driver::biased_rows::<S, K, STREAM>(s, self.kernel, x, bias, y, self.shape) }
    }
}

/// `y[r ld + c] = kernel(x[r ld + c] + bias[c])` over `[rows, cols, ld]`, on
/// path `isa`.
///
/// # Safety
/// `isa` must be available; `x` valid for reads and `y` for writes of every
/// row (`(rows - 1) ld + cols` elements when `rows > 0`), the same pointer
/// or non-overlapping; `bias` valid for `cols` reads, not overlapping `y`.
#[inline(always)]
pub(crate) unsafe fn biased_rows<K: Kernel>(
    isa: Isa,
    kernel: K,
    (x, bias, y): (*const f32, *const f32, *mut f32),
    shape: [usize; 3],
) {
    let total = shape[0].saturating_mul(shape[1]);
    let stream = driver::stream_wanted(|| path_streams(isa), K::STREAM, total, (x, x, y));
    let plain = BiasedRowsJob::<K, false> {
        kernel,
        x,
        bias,
        y,
        shape,
    };
    let streamed = BiasedRowsJob::<K, true> {
        kernel,
        x,
        bias,
        y,
        shape,
    };
    // SAFETY: the caller's guarantees, passed on.
    unsafe {
        if const { K::STREAM } && stream {
            on_isa_apart(isa, streamed)
        } else {
            on_isa(isa, plain)
        }
    }
}

/// Checks that input and output have the same length.
#[inline(always)]
pub(crate) fn check_lengths(function: &str, x: usize, y: usize) {
    assert!(
        x == y,
        "{function}: input x has length {x} but output y has length {y}; they must be equal"
    );
}
