//! The slice drivers: run a kernel over slices, full vectors first, then the
//! tail through the same kernel with a partial load and store. Four drivers:
//! [`one_input`] (`y[i] = f(x[i])`), [`two_inputs`] (`y[i] = f(x[i], t[i])`),
//! [`per_channel`] (a second input per channel of a layout), [`rows`]
//! (softmax and log-softmax, row by row) and [`biased_rows`]
//! (`y = f(x + bias)` on the rows of a matrix tile).
//!
//! There is no scalar tail loop: the last `n % LANES` elements go through the
//! vector kernel like every other element, so they get the same bits.

use crate::element::{self, Element};
use crate::isa;
use crate::kernels::softmax::{Attention, Flavor, attention_row, row};
use crate::kernels::{Kernel, TwoInputKernel};
use crate::simd::Simd;

/// One vector through `k`, then the NaN rule every function shares: a NaN input
/// comes out as the same NaN, quieted (payload and sign kept). Doing this here,
/// rather than trusting each instruction set's NaN propagation, is what makes
/// NaN outputs bit-identical across paths.
#[inline(always)]
pub(crate) fn eval<S: Simd, K: Kernel>(s: S, k: K, x: S::F) -> S::F {
    OneInputFn(k).call(s, x, x)
}

/// How far ahead of the elements being read and written [`vector_loop`]
/// asks for the cache lines of its inputs (for reading) and of its output
/// (for writing), in bytes. Measured with `cargo run --release` at 16 Mi
/// elements on an AVX-512 Xeon, where the data come from memory: without it
/// the AVX2 path of `silu` on `bf16` and `f16` ran at 0.63 and 0.56 Gelem/s
/// (it reads one cache line per iteration, too slowly for the hardware
/// prefetcher to run ahead), with it at 0.9 to 1.0; on `f32`, AVX-512 `silu`
/// went from 1.3 to 1.6-1.7 Gelem/s, `softplus` from 1.2 to 1.5 and `gelu`
/// from 0.9-1.2 to 1.6, and AVX2 `silu` from 0.87 to 1.0-1.1. The hint for
/// the output is a third of the `softplus` gain. Below a few
/// Mi, where the data are in cache, it changes nothing measurable on that
/// CPU. On an AMD EPYC (Zen 4) the hints cost instead, in cache and from
/// memory (each is an instruction per 64 bytes, on the load ports; the
/// README's Throughput section has the figures), so they are given on every
/// CPU but AMD's ([`Prefetch`]).
const PREFETCH_BYTES: usize = 2048;

/// Whether a loop hints the cache lines ahead of it: on a path that emits
/// the hints ([`Simd::PREFETCH`]) and a CPU that gains from them
/// ([`isa::software_prefetch`], read once per
/// loop, before it).
#[derive(Clone, Copy)]
pub(crate) struct Prefetch {
    on: bool,
}

impl Prefetch {
    /// The choice for path `S` on this CPU.
    #[inline(always)]
    pub(crate) fn new<S: Simd>() -> Self {
        Self {
            on: S::PREFETCH && crate::isa::software_prefetch(),
        }
    }

    /// Hints the cache lines of the `count` elements from `p + i` that the
    /// loop will reach `PREFETCH_BYTES` later, for reading or for writing,
    /// where the choice is to hint.
    #[inline(always)]
    pub(crate) fn ahead<S: Simd, A>(self, s: S, p: *const A, i: usize, count: usize, write: bool) {
        if self.on {
            prefetch_ahead(s, p, i, count, write);
        }
    }
}

/// Hints the cache lines of the `count` elements from `p + i` that the loop
/// will reach `PREFETCH_BYTES` later, for reading or for writing.
#[inline(always)]
fn prefetch_ahead<S: Simd, A>(s: S, p: *const A, i: usize, count: usize, write: bool) {
    let ahead = p.wrapping_add(i).cast::<u8>().wrapping_add(PREFETCH_BYTES);
    let mut offset = 0;
    while offset < count * size_of::<A>() {
        let line = ahead.wrapping_add(offset);
        if write {
            s.prefetch_write(line);
        } else {
            s.prefetch_read(line);
        }
        offset += 64;
    }
}

/// Whether a call's main loops store their whole vectors past the caches
/// ([`Simd::store_stream`]): for a kernel bound by memory
/// ([`Kernel::STREAM`]), on a path where that differs from a plain store
/// ([`Simd::STREAM`], `path`), for `f32` output of at least
/// [`isa::stream_min_bytes`] in the call (the size of the CPU's largest
/// cache), not in place; the loops then stream only in whole cache lines
/// from a line boundary, and the call ends with [`finish_stream`]. The call
/// writes `total` elements of `B` (in one block, or in several whose first
/// is at `y`) from inputs at `x` and `t` (`x` again for one input): in place
/// where `y` is one of them.
///
/// The dispatch decides it before it enters the path's function (a short
/// call pays one compare), and runs a separate instantiation of the loops
/// for a call that streams (a `const STREAM` argument), so that the loops
/// of a call that does not stream are those of a build without streaming.
#[inline(always)]
pub(crate) fn stream_wanted<A: Element, B: Element>(
    path: impl FnOnce() -> bool,
    kernel: bool,
    total: usize,
    io: (*const A, *const A, *mut B),
) -> bool {
    // A short call pays one compare; the rest is out of line.
    let bytes = total.saturating_mul(size_of::<B>());
    kernel
        && element::is_f32::<B>()
        && bytes >= STREAM_FLOOR_BYTES
        && path()
        && large_output_streams(bytes, (io.0.cast(), io.1.cast(), io.2.cast_const().cast()))
}

/// The rest of [`stream_wanted`] for an output of `bytes >=
/// STREAM_FLOOR_BYTES`: not in place, and at least the largest cache.
#[inline(never)]
fn large_output_streams(bytes: usize, (x, t, y): (*const u8, *const u8, *const u8)) -> bool {
    let in_place = core::ptr::eq(x, y) || core::ptr::eq(t, y);
    !in_place && bytes >= isa::stream_min_bytes()
}

/// Below this many bytes of output a call does not ask the cache's size
/// (and does not stream, should CPUID give a smaller one, as some virtual
/// machines' may).
pub(crate) const STREAM_FLOOR_BYTES: usize = 1 << 20;

/// Orders a call's streamed stores before its return
/// ([`Simd::stream_fence`]), where it streams.
#[inline(always)]
pub(crate) fn finish_stream<S: Simd, const STREAM: bool>(s: S) {
    if STREAM {
        s.stream_fence();
    }
}

/// The size of a cache line, the unit of a streamed store's write to
/// memory: 64 bytes on every CPU with AVX2 or AVX-512.
const LINE_BYTES: usize = 64;

/// Below this many vectors' worth of elements (one iteration of the main
/// loop on AVX-512 and NEON), [`head_len`] is `0`: the head is one more kernel
/// evaluation (a partial vector), which costs a short slice more than its
/// unaligned stores do. Measured on Zen 4, `simd-activations bench --size
/// 48` (three runs of each build, each path over the naive loop): AVX-512
/// `silu` 1.41 times as fast, `exp` 1.44, `relu` 1.21. A loop over 16
/// output and 4 input offsets gave the same sign on both paths below this
/// size, and for 4 to 16 vectors a mixed one (`silu` faster, `relu` on
/// AVX-512 slower).
const HEAD_MIN_VECTORS: usize = 4;

/// How many elements to process before `y` is aligned to a whole vector
/// of its type: `0` when it already is (or for one lane) and for fewer than
/// [`HEAD_MIN_VECTORS`] vectors' worth of elements, at most
/// `min(n, LANES - 1)`.
#[inline(always)]
fn head_len<S: Simd, B>(y: *mut B, n: usize) -> usize {
    if n < HEAD_MIN_VECTORS * S::LANES {
        return 0;
    }
    let vector_bytes = S::LANES * size_of::<B>();
    let misaligned = (y as usize) % vector_bytes;
    if misaligned == 0 || !misaligned.is_multiple_of(size_of::<B>()) {
        return 0;
    }
    ((vector_bytes - misaligned) / size_of::<B>()).min(n)
}

/// Applies `k` to `n` elements from `x` into `y`, widening each input to
/// `f32` and rounding each result once to `B`.
///
/// # Safety
/// `x` must be valid for `n` reads and `y` for `n` writes. `x` and `y` may be
/// the same pointer (in place, with `A` = `B`); otherwise the ranges must
/// not overlap.
#[inline(always)]
pub(crate) unsafe fn one_input<S: Simd, K: Kernel, A: Element, B: Element, const STREAM: bool>(
    s: S,
    k: K,
    x: *const A,
    y: *mut B,
    n: usize,
) {
    // SAFETY: the caller's guarantees; the second input is `x` again (its
    // loads are the same as the first input's).
    unsafe { vector_loop::<S, _, A, B, STREAM>(s, OneInputFn(k), x, x, y, n) };
    finish_stream::<S, STREAM>(s);
}

/// What [`vector_loop`] applies per vector: a kernel, and its NaN rule
/// apart, so that the loop applies the rule only to the iterations whose
/// inputs hold a NaN.
///
/// The loop tests each iteration's inputs at once: a fold of them with
/// [`Simd::add`] (NaN wherever an input is; `UNROLL - 1` adds, and one more
/// per vector for two-input loops, whose key is `x + t`), one NaN test, its
/// result moved to a general register (`vmovmskps`, NEON's `umaxv` and `fmov`)
/// or tested in place (AVX-512's `kortestw`), and a branch. The bits are those
/// of the rule on every vector: it changes only NaN lanes. The rule costs per
/// vector one `vfixupimmps` on AVX-512, an `or`, a compare and a `vblendvps`
/// on AVX2 (five µops on Intel), four operations on NEON; on AVX2,
/// `scripts/mca.sh` put the `sigmoid` loop at 1.78 cycles per element on the
/// alderlake model with the rule on every vector, against 1.62 with the test.
/// On Zen 4, `vfixupimmps` issues on the two FMA pipes (a loop of FMAs and
/// `vfixupimmps` runs at one of either per cycle, where FMAs and adds run at
/// one of each), which most kernels keep busiest; of the test, only its one
/// compare into a mask per iteration issues there. A kernel with a short form
/// ([`Kernel::apply_short`]) is tested first against its bound, in one test of
/// about the same cost ([`short_holds`]; not on the scalar path,
/// [`Simd::SHORT_FORMS`], nor on AVX-512 for a [`Kernel::SHORT_SCALING_ONLY`]
/// form); an iteration that passes it holds no NaN, so it skips the NaN test.
///
/// (A trait with `#[inline(always)]` methods rather than a closure: a
/// closure is compiled as a function of its own, without the target features
/// of the function it is called from.)
trait VectorFn: Copy {
    /// The kernel's [`Kernel::WIDE`].
    const WIDE: bool = false;
    /// The kernel alone.
    fn apply<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F;
    /// A vector that is NaN in every lane where [`VectorFn::nan_rule`] may
    /// change the kernel's result (and perhaps in others).
    fn nan_key<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F;
    /// The NaN rule applied to the kernel's result `y`.
    fn nan_rule<S: Simd>(self, s: S, x: S::F, t: S::F, y: S::F) -> S::F;
    /// The kernel's [`Kernel::SHORT_MAX`], for [`VectorFn::nan_key`]: the
    /// bound within which the short form holds.
    const SHORT_MAX: Option<f32> = None;
    /// The kernel's [`Kernel::SHORT_SCALING_ONLY`].
    const SHORT_SCALING_ONLY: bool = false;
    /// The kernel's short form ([`Kernel::apply_short`]), which is
    /// [`VectorFn::call`]'s value where `|nan_key| <= SHORT_MAX`.
    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        self.apply(s, x, t)
    }
    /// The kernel, then the NaN rule.
    #[inline(always)]
    fn call<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        self.nan_rule(s, x, t, self.apply(s, x, t))
    }
    /// A value and the lanes where it is [`VectorFn::call`]'s (no input
    /// and no value NaN there), or `None` (the default): see
    /// [`Kernel::apply_times_fast`].
    #[inline(always)]
    fn apply_fast<S: Simd>(self, _s: S, _x: S::F, _t: S::F) -> Option<(S::F, S::M)> {
        None
    }
}

/// A one-input kernel, ignoring the second input.
#[derive(Clone, Copy)]
struct OneInputFn<K>(K);

impl<K: Kernel> VectorFn for OneInputFn<K> {
    const WIDE: bool = K::WIDE;
    const SHORT_MAX: Option<f32> = K::SHORT_MAX;
    const SHORT_SCALING_ONLY: bool = K::SHORT_SCALING_ONLY;
    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F, _t: S::F) -> S::F {
        self.0.apply_short(s, x)
    }
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F, _t: S::F) -> S::F {
        self.0.apply(s, x)
    }
    #[inline(always)]
    fn nan_key<S: Simd>(self, _s: S, x: S::F, _t: S::F) -> S::F {
        x
    }
    /// The NaN rule of [`eval`].
    #[inline(always)]
    fn nan_rule<S: Simd>(self, s: S, x: S::F, _t: S::F, y: S::F) -> S::F {
        s.keep_nan(x, y)
    }
}

/// A two-input kernel.
#[derive(Clone, Copy)]
struct TwoInputsFn<K>(K);

impl<K: TwoInputKernel> VectorFn for TwoInputsFn<K> {
    const WIDE: bool = K::WIDE;
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        self.0.apply(s, x, t)
    }
    #[inline(always)]
    fn nan_key<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        s.add(x, t)
    }
    /// The NaN rule of two-input functions: a NaN `x` comes out as `x`
    /// quieted; otherwise a NaN `t` comes out as `t` quieted.
    #[inline(always)]
    fn nan_rule<S: Simd>(self, s: S, x: S::F, t: S::F, y: S::F) -> S::F {
        s.keep_nan(x, s.keep_nan(t, y))
    }
    #[inline(always)]
    fn apply_fast<S: Simd>(self, s: S, x: S::F, t: S::F) -> Option<(S::F, S::M)> {
        self.0.apply_fast(s, x, t)
    }
}

/// Whether an iteration takes the short form ([`VectorFn::apply_short`]): the
/// path takes short forms ([`Simd::SHORT_FORMS`]), the function has one (and
/// it saves more than a native scaling would,
/// [`VectorFn::SHORT_SCALING_ONLY`]), and every lane of `keys` (the
/// iteration's [`VectorFn::nan_key`]s) is within its bound in magnitude, NaN
/// excluded. One test for the iteration: the largest `|key|` by the integer
/// order of its bits ([`Simd::max_i32`], which puts NaN above every number),
/// against the bound: `N` and-nots for `|key|` (which the kernels take too),
/// `N - 1` integer maxima, one compare, the test of its mask and a branch; on
/// Zen 4 only the compare issues on the FMA pipes.
#[inline(always)]
fn short_holds<S: Simd, F: VectorFn, const N: usize>(s: S, keys: [S::F; N]) -> bool {
    if !S::SHORT_FORMS || (F::SHORT_SCALING_ONLY && S::NATIVE_SCALING) {
        return false;
    }
    let Some(bound) = F::SHORT_MAX else {
        return false;
    };
    let mut top = s.to_bits(s.abs(keys[0]));
    for &key in &keys[1..] {
        top = s.max_i32(top, s.to_bits(s.abs(key)));
    }
    !s.any(s.mask_not(s.le(s.from_bits(top), s.splat(bound))))
}

/// The values of an iteration's fast forms ([`VectorFn::apply_fast`]) and
/// the lanes where every one of them holds, or `None` where the function has
/// no fast form.
#[inline(always)]
fn fast_group<S: Simd, const N: usize>(
    s: S,
    fast: [Option<(S::F, S::M)>; N],
) -> Option<([S::F; N], S::M)> {
    let mut values = [s.splat(0.0); N];
    let mut held: Option<S::M> = None;
    for (value, fast) in values.iter_mut().zip(fast) {
        let (v, m) = fast?;
        *value = v;
        held = Some(match held {
            None => m,
            Some(held) => s.mask_and(held, m),
        });
    }
    Some((values, held?))
}

/// The loop of [`one_input`] and [`two_inputs`]: `f` on the vectors of `x` and `t`, a
/// partial head (from [`HEAD_MIN_VECTORS`] vectors on) so that the stores of the body are aligned to the vector (a
/// store that straddles two cache lines costs twice; a paired loop, see
/// [`Simd::BF16_PAIRS`], takes one vector more in order where that aligns its
/// stores of two vectors), the body unrolled by [`Simd::UNROLL`] (or by
/// four, for a [`Kernel::WIDE`] kernel and where paired), then the tail
/// through the same `f`, whole vectors, then partial loads and a partial
/// store. Nothing past the `n` elements is read or written.
///
/// Streams where `STREAM` (the call's choice, [`stream_wanted`]) and the
/// body's alignment allows.
///
/// # Safety
/// `x` and `t` must be valid for `n` reads and `y` for `n` writes; `y` may
/// be the same pointer as `x` or `t`, otherwise the ranges must not overlap.
#[inline(always)]
unsafe fn vector_loop<S: Simd, F: VectorFn, A: Element, B: Element, const STREAM: bool>(
    s: S,
    f: F,
    x: *const A,
    t: *const A,
    y: *mut B,
    n: usize,
) {
    let lanes = S::LANES;
    let mut i = head_len::<S, B>(y, n);
    if i > 0 {
        // SAFETY: `i < lanes` and `i <= n`: the partial loads and store touch
        // only the first `i` elements.
        unsafe { partial(s, f, x, t, y, i) };
    }
    let paired = const { element::paired::<S, A, B>() };
    // A paired loop stores two vectors at once: one vector in order first
    // where that aligns those stores to their size too.
    if paired
        && i + lanes <= n
        && !(y as usize + i * size_of::<B>()).is_multiple_of(2 * lanes * size_of::<B>())
    {
        // SAFETY: `i + lanes <= n`.
        unsafe { whole(s, f, x.add(i), t.add(i), y.add(i)) };
        i += lanes;
    }
    // Streamed (`B` is then `f32`) only in whole cache lines, so that no
    // line takes both a streamed store and a plain one (the head's, the
    // tail's, a neighbouring call's), which would write the line to memory
    // in part and read it back (`prelu` on AVX2 ran 18 times slower): from
    // a line boundary, one vector more in order where the head left `y`
    // half a line off (AVX2), each iteration whole lines.
    const { assert!(LINE_BYTES.is_multiple_of(size_of::<f32>())) };
    let line_off = |i: usize| (y as usize + i * size_of::<B>()) % LINE_BYTES;
    let mut stream =
        STREAM && element::is_f32::<B>() && (y as usize).is_multiple_of(size_of::<B>());
    if stream && line_off(i) != 0 && i + lanes <= n && line_off(i + lanes) == 0 {
        // SAFETY: `i + lanes <= n`.
        unsafe { whole(s, f, x.add(i), t.add(i), y.add(i)) };
        i += lanes;
    }
    stream = stream && line_off(i) == 0;
    // The lines to hint: the output's (unless streamed), and each input's
    // that is not it.
    let hints = Prefetch::new::<S>();
    let read_x = !core::ptr::eq(x.cast::<u8>(), y.cast::<u8>());
    let read_t = !core::ptr::eq(t, x) && !core::ptr::eq(t.cast::<u8>(), y.cast::<u8>());
    // Two or four vectors per iteration (see `Simd::UNROLL`, `Kernel::WIDE`);
    // four, as two pairs, where `paired` (see `Simd::BF16_PAIRS`).
    let unroll = if F::WIDE || paired { 4 } else { S::UNROLL };
    const { assert!(S::UNROLL == 2 || S::UNROLL == 4) };
    let stream = stream && (unroll * lanes * size_of::<B>()).is_multiple_of(LINE_BYTES);
    // SAFETY (of the body below): `i + unroll * lanes <= n`, so every lane
    // read and written is in bounds; all loads of a group precede its stores
    // (where a fast form's iteration is computed again, each vector's loads
    // precede its store, and the vectors are disjoint), so in-place use reads
    // the original values. Where `stream`, `B` is `f32` and `y + i` is
    // aligned to a cache line, hence to the vector, as it stays: `i` moves
    // by whole lines.
    while i + unroll * lanes <= n {
        if read_x {
            hints.ahead(s, x, i, unroll * lanes, false);
        }
        if read_t {
            hints.ahead(s, t, i, unroll * lanes, false);
        }
        // Not where the call streams: the hint reaches 2 KiB ahead, into
        // lines a later block may stream.
        if !STREAM {
            hints.ahead(s, y.cast_const(), i, unroll * lanes, true);
        }
        // SAFETY: see the comment before the loop.
        unsafe {
            // Vectors `i + k * lanes` for the listed `k`: every load, then
            // every kernel call, then every store.
            macro_rules! fold {
                ($v:expr) => { $v };
                ($v:expr, $($rest:expr),+) => { s.add($v, fold!($($rest),+)) };
            }
            // The iteration's results, rounded as `store_group` rounds, or
            // streamed.
            macro_rules! put {
                ($b:expr, $no_nan:expr) => {
                    if stream {
                        for (k, &v) in $b.iter().enumerate() {
                            s.store_stream(y.add(i + k * lanes).cast::<f32>(), v);
                        }
                    } else {
                        element::store_group::<S, B, N>(s, y.add(i), $b, (paired, $no_nan));
                    }
                };
            }
            macro_rules! group {
                ($($k:literal),+) => {{
                    const N: usize = [$($k),+].len();
                    let a = element::load_group::<S, A, N>(s, x.add(i), paired);
                    let c = element::load_group::<S, A, N>(s, t.add(i), paired);
                    // A function with a fast form: one test of its lanes
                    // for the iteration, and where one is set aside, the
                    // iteration again through `call`, from its inputs
                    // loaded anew through pointers passed through
                    // `black_box`, a hint that keeps the compiler from
                    // holding the fast form's values past the test to reuse
                    // them there (the bits do not depend on it). The fast
                    // values hold no NaN.
                    if let Some((b, held)) = fast_group(s, [$(f.apply_fast(s, a[$k], c[$k])),+]) {
                        if s.any(s.mask_not(held)) {
                            let (x, t) = core::hint::black_box((x, t));
                            $(
                                let j = i + $k * lanes;
                                whole(s, f, x.add(j), t.add(j), y.add(j));
                            )+
                        } else {
                            put!(b, true);
                        }
                    } else if short_holds::<S, F, N>(s, [$(f.nan_key(s, a[$k], c[$k])),+]) {
                        // The short form: no input NaN and no NaN result.
                        let b = [$(f.apply_short(s, a[$k], c[$k])),+];
                        put!(b, true);
                    } else {
                        let b = [$(f.apply(s, a[$k], c[$k])),+];
                        // The NaN rule, only where an input is NaN: the sum of
                        // the keys is NaN wherever one is.
                        // Where none is, a NaN result can only be the `f32::NAN`
                        // a gated unit gives for `0 * inf`, which `store_no_nan`
                        // and the pairs' rounding without the NaN test round to
                        // the same bits (on `bf16`: AVX2, and AVX-512 without
                        // AVX512_BF16).
                        let nan = s.any(s.is_nan(fold!($(f.nan_key(s, a[$k], c[$k])),+)));
                        let b = if nan {
                            [$(f.nan_rule(s, a[$k], c[$k], b[$k])),+]
                        } else {
                            b
                        };
                        put!(b, !nan);
                    }
                }};
            }
            match unroll {
                2 => group!(0, 1),
                _ => group!(0, 1, 2, 3),
            }
        }
        i += unroll * lanes;
    }
    while i + lanes <= n {
        // SAFETY: `i + lanes <= n`.
        unsafe { whole(s, f, x.add(i), t.add(i), y.add(i)) };
        i += lanes;
    }
    if i < n {
        // SAFETY: `n - i < lanes` elements remain, all in bounds.
        unsafe { partial(s, f, x.add(i), t.add(i), y.add(i), n - i) };
    }
}

/// `f` on the `LANES` elements at `x`, `t` and `y`, in order.
///
/// # Safety
/// `x` and `t` valid for `LANES` reads, `y` for `LANES` writes.
#[inline(always)]
unsafe fn whole<S: Simd, F: VectorFn, A: Element, B: Element>(
    s: S,
    f: F,
    x: *const A,
    t: *const A,
    y: *mut B,
) {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = f.call(s, element::load(s, x), element::load(s, t));
        element::store(s, y, v);
    }
}

/// `f` on the first `len < LANES` elements, with partial loads and store.
///
/// # Safety
/// `x` and `t` valid for `len` reads, `y` for `len` writes.
#[inline(always)]
unsafe fn partial<S: Simd, F: VectorFn, A: Element, B: Element>(
    s: S,
    f: F,
    x: *const A,
    t: *const A,
    y: *mut B,
    len: usize,
) {
    // SAFETY: the partial loads and store touch only the first `len`
    // elements, which the caller guarantees.
    unsafe {
        let v = f.call(
            s,
            element::load_partial(s, x, len),
            element::load_partial(s, t, len),
        );
        element::store_partial(s, y, len, v);
    }
}

/// Applies the two-input kernel `k` to `n` pairs `(x[i], t[i])` into `y[i]`
/// (the loop of [`one_input`], with its conversions), streaming where
/// `STREAM`: the caller decides it for the whole call (which may be several
/// blocks) and ends the call with [`finish_stream`].
///
/// # Safety
/// `x` and `t` must be valid for `n` reads and `y` for `n` writes. `y` may be
/// the same pointer as `x` or `t` (in place, with `A` = `B`); otherwise the
/// ranges must not overlap.
#[inline(always)]
pub(crate) unsafe fn two_inputs<
    S: Simd,
    K: TwoInputKernel,
    A: Element,
    B: Element,
    const STREAM: bool,
>(
    s: S,
    k: K,
    (x, t, y): (*const A, *const A, *mut B),
    n: usize,
) {
    // SAFETY: the caller's guarantees.
    unsafe { vector_loop::<S, _, A, B, STREAM>(s, TwoInputsFn(k), x, t, y, n) };
}

/// A two-input kernel with its second input fixed to one value: the kernel of
/// a run of elements that share a parameter (one channel of `prelu`).
#[derive(Clone, Copy)]
struct Bound<K> {
    kernel: K,
    t: f32,
}

impl<K: TwoInputKernel> Kernel for Bound<K> {
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F) -> S::F {
        self.kernel.apply(s, x, s.splat(self.t))
    }
}

/// Applies the two-input kernel `k` over an `[outer, channels, inner]` layout
/// with one second input per channel: element `(o, c, i)` gets `t[c]`. Each
/// run of `inner` elements of one channel goes through [`one_input`]'s loop
/// with `t[c]` splatted, which gives the bits [`two_inputs`] gives with
/// `t[c]` repeated.
///
/// # Safety
/// `x` must be valid for `outer * channels * inner` reads and `y` for as many
/// writes, the same pointer or non-overlapping; `t` for `channels` reads.
#[inline(always)]
pub(crate) unsafe fn per_channel<S: Simd, K: TwoInputKernel, T: Element, const STREAM: bool>(
    s: S,
    k: K,
    x: *const T,
    t: *const f32,
    y: *mut T,
    [outer, channels, inner]: [usize; 3],
) {
    for o in 0..outer {
        for c in 0..channels {
            let offset = (o * channels + c) * inner;
            // SAFETY: `offset + inner <= outer * channels * inner`; `c <
            // channels`.
            unsafe {
                let kernel = OneInputFn(Bound {
                    kernel: k,
                    t: *t.add(c),
                });
                let (x, y) = (x.add(offset), y.add(offset));
                vector_loop::<S, _, T, T, STREAM>(s, kernel, x, x, y, inner);
            }
        }
    }
    finish_stream::<S, STREAM>(s);
}

/// Applies `softmax` or `log_softmax` (`L`) to `rows` consecutive rows of
/// `row_len >= 1` elements of type `T` from `x` into `y`.
///
/// # Safety
/// `x` must be valid for `rows * row_len` reads and `y` for as many writes,
/// the same pointer or non-overlapping.
#[inline(always)]
pub(crate) unsafe fn rows<S: Simd, L: Flavor, T: Element>(
    s: S,
    _flavor: L,
    x: *const T,
    y: *mut T,
    [rows, row_len]: [usize; 2],
) {
    for r in 0..rows {
        let offset = r * row_len;
        // SAFETY: the caller guarantees `rows * row_len` elements; `offset +
        // row_len` is within them.
        unsafe { row::<S, L, T>(s, x.add(offset), y.add(offset), row_len) }
    }
}

/// [`rows`] of the attention input `a` formed from `x` (see
/// [`attention_row`]); the mask, if any, advances by `stride` (`0` for one
/// mask row shared by every row, `row_len` for a mask per element).
///
/// # Safety
/// As [`rows`]; the mask valid for `row_len` reads at each row's offset
/// `r * stride`.
#[inline(always)]
pub(crate) unsafe fn attention_rows<S: Simd, L: Flavor, T: Element>(
    s: S,
    _flavor: L,
    x: *const T,
    y: *mut T,
    [rows, row_len]: [usize; 2],
    (a, stride): (Attention<T>, usize),
) {
    for r in 0..rows {
        let offset = r * row_len;
        let a = Attention {
            mask: a.mask.map(|m| m.wrapping_add(r * stride)),
            ..a
        };
        // SAFETY: the caller guarantees `rows * row_len` elements and the
        // mask's rows; `offset + row_len` is within them.
        unsafe { attention_row::<S, L, T>(s, x.add(offset), y.add(offset), row_len, a) }
    }
}

/// A one-input kernel applied to the sum of two inputs, `f(x + t)`: the bits
/// of adding first and then applying the function, with the NaN rule of
/// the two-input functions for a NaN sum, the same on every CPU: a NaN `x`
/// comes out as `x` quieted, otherwise a NaN `t` as `t` quieted, otherwise
/// (`inf + -inf`) as the positive quiet NaN (x86's addition gives it the
/// sign bit, Arm's not).
#[derive(Clone, Copy)]
struct SumFn<K>(K);

impl<K: Kernel> VectorFn for SumFn<K> {
    const WIDE: bool = K::WIDE;
    const SHORT_MAX: Option<f32> = K::SHORT_MAX;
    const SHORT_SCALING_ONLY: bool = K::SHORT_SCALING_ONLY;
    #[inline(always)]
    fn apply_short<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        self.0.apply_short(s, s.add(x, t))
    }
    #[inline(always)]
    fn apply<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        self.0.apply(s, s.add(x, t))
    }
    #[inline(always)]
    fn nan_key<S: Simd>(self, s: S, x: S::F, t: S::F) -> S::F {
        s.add(x, t)
    }
    #[inline(always)]
    fn nan_rule<S: Simd>(self, s: S, x: S::F, t: S::F, y: S::F) -> S::F {
        let y = s.select(s.is_nan(s.add(x, t)), s.splat(f32::NAN), y);
        s.keep_nan(x, s.keep_nan(t, y))
    }
}

/// `y[r ld + c] = k(x[r ld + c] + bias[c])` for `rows` rows of `cols`
/// elements starting `ld` apart; nothing between the rows is read or
/// written.
///
/// # Safety
/// `x` must be valid for reads and `y` for writes of every row (`(rows - 1)
/// ld + cols` elements when `rows > 0`), the same pointer or
/// non-overlapping; `bias` valid for `cols` reads and not overlapping `y`.
#[inline(always)]
pub(crate) unsafe fn biased_rows<S: Simd, K: Kernel, const STREAM: bool>(
    s: S,
    k: K,
    x: *const f32,
    bias: *const f32,
    y: *mut f32,
    [rows, cols, ld]: [usize; 3],
) {
    for r in 0..rows {
        let offset = r * ld;
        // SAFETY: row `r` is `cols` elements from `offset`, within the ranges
        // the caller guarantees.
        unsafe {
            let (x, y) = (x.add(offset), y.add(offset));
            vector_loop::<S, _, f32, f32, STREAM>(s, SumFn(k), x, bias, y, cols);
        }
    }
    finish_stream::<S, STREAM>(s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Isa;
    use crate::dispatch::{SimdJob, on_isa};
    use crate::gated::Gated;
    use crate::kernels::relu::Relu;
    use crate::kernels::sigmoid::Silu;

    /// `f` over `x` and `t` into `y` through [`vector_loop`], streamed or
    /// not (a stream only into `f32`). The job leaves
    /// [`SimdJob::WRITES_BF16`] false, so on AVX-512 a loop into bfloat16
    /// runs `Avx512<false>` whatever the CPU: the forms (paired from
    /// bfloat16, [`Simd::BF16_PAIRS`], and without the NaN test from `f32`,
    /// [`Simd::BF16_STORE_NO_NAN`]) that the slice functions take only where
    /// the CPU lacks AVX512_BF16.
    struct Loop<'a, F, A = f32, B = f32> {
        f: F,
        x: &'a [A],
        t: &'a [A],
        y: &'a mut [B],
        stream: bool,
    }

    impl<F: VectorFn, A: Element, B: Element> SimdJob for Loop<'_, F, A, B> {
        type Output = ();

        #[inline(always)]
        fn run<S: Simd>(self, s: S) {
            let n = self.y.len();
            assert!(self.x.len() == n && self.t.len() == n);
            assert!(!self.stream || element::is_f32::<B>());
            let (x, t, y) = (self.x.as_ptr(), self.t.as_ptr(), self.y.as_mut_ptr());
            // SAFETY: three slices of one length; `y` is borrowed mutably, so
            // it overlaps neither input.
            unsafe {
                if self.stream {
                    vector_loop::<S, F, A, B, true>(s, self.f, x, t, y, n);
                    finish_stream::<S, true>(s);
                } else {
                    vector_loop::<S, F, A, B, false>(s, self.f, x, t, y, n);
                }
            }
        }
    }

    /// Every path's loop of `f` over `x` and `t`, run in the two ways
    /// `ways` names for the path (a path to run and whether it streams),
    /// writes the same bits at every length up to `x.len() - offsets` and
    /// every output offset below `offsets`, and nothing past its elements
    /// (the rest of `y` keeps `fill`).
    fn loops_agree<F: VectorFn, A: Element, B: Element>(
        f: F,
        (x, t): (&[A], &[A]),
        offsets: usize,
        fill: B,
        ways: impl Fn(Isa) -> [(Isa, bool); 2],
    ) {
        fn bytes<B: Element>(v: &[B]) -> &[u8] {
            // SAFETY: `f32`, `bf16` and `f16` have no padding, so every byte
            // of the slice is initialized.
            unsafe { core::slice::from_raw_parts(v.as_ptr().cast(), size_of_val(v)) }
        }
        let max = x.len();
        let mut ys = [vec![fill; max], vec![fill; max]];
        for &isa in Isa::available() {
            for offset in 0..offsets {
                for n in 0..=max - offsets {
                    for (y, (path, stream)) in ys.iter_mut().zip(ways(isa)) {
                        y.fill(fill);
                        let (x, t, y) = (&x[..n], &t[..n], &mut y[offset..offset + n]);
                        assert!(path.is_available());
                        let job = Loop { f, x, t, y, stream };
                        // SAFETY: an available path; the job's slices are its
                        // own.
                        unsafe { on_isa(path, job) };
                    }
                    let [first, second] = &ys;
                    assert_eq!(
                        bytes(first),
                        bytes(second),
                        "{isa}, n = {n}, offset {offset}"
                    );
                }
            }
        }
    }

    /// A streamed loop writes the bits of a plain one, at every length and
    /// output offset (so the body's alignment, which decides whether a loop
    /// streams, takes each value), NaN inputs, the tail and the lanes a fast
    /// form sets aside (zero, infinite and NaN `t`) included, and nothing
    /// past its elements.
    fn streamed_matches_plain<F: VectorFn>(f: F) {
        const MAX: usize = 160;
        let x: Vec<f32> = (0..MAX)
            .map(|i| match i % 37 {
                5 => f32::NAN,
                11 => f32::from_bits(0xffc0_1234),
                _ => (i as f32 - 80.0) * 0.37,
            })
            .collect();
        let t: Vec<f32> = (0..MAX)
            .map(|i| match i % 41 {
                7 => 0.0,
                9 => f32::INFINITY,
                13 => f32::NAN,
                _ => 1.5 - i as f32 * 0.02,
            })
            .collect();
        loops_agree(f, (&x, &t), 16, 7.0f32, |isa| [(isa, false), (isa, true)]);
    }

    #[test]
    fn streamed_one_input_matches_plain() {
        streamed_matches_plain(OneInputFn(Relu));
    }

    /// Four vectors per iteration on every path, and a fast form whose
    /// set-aside iterations are computed again with plain stores.
    #[test]
    fn streamed_gated_matches_plain() {
        streamed_matches_plain(TwoInputsFn(Gated(Silu)));
    }

    #[test]
    fn streamed_bias_matches_plain() {
        streamed_matches_plain(SumFn(Silu));
    }

    /// A call streams only a memory-bound kernel's `f32` output of at least
    /// the largest cache, not in place, on a path whose streamed store
    /// differs from its plain one.
    #[test]
    fn streams_only_large_outputs_of_memory_bound_kernels() {
        let min = isa::stream_min_bytes();
        if min == usize::MAX {
            return;
        }
        let (xs, mut ys, mut hs) = ([0.0f32; 1], [0.0f32; 1], [half::bf16::ZERO; 1]);
        let (a, b, h) = (xs.as_ptr(), ys.as_mut_ptr(), hs.as_mut_ptr());
        let big = min.max(STREAM_FLOOR_BYTES) / 4;
        let wanted =
            |path: bool, kernel, total, io| stream_wanted::<f32, f32>(|| path, kernel, total, io);
        assert!(wanted(true, true, big, (a, a, b)));
        assert!(!wanted(false, true, big, (a, a, b)));
        assert!(!wanted(true, false, big, (a, a, b)));
        assert!(!wanted(true, true, big - 1, (a, a, b)));
        assert!(!wanted(true, true, big, (a, a, a.cast_mut())));
        assert!(!wanted(true, true, big, (a, b.cast_const(), b)));
        assert!(!stream_wanted::<f32, half::bf16>(
            || true,
            true,
            4 * big,
            (a, a, h)
        ));
    }

    /// Inputs for [`bf16_loop_matches_scalar`]: a gated unit's `0 * inf` (a
    /// NaN where no input is one, which the loops store without the NaN
    /// test) every ninth element, so at every position of a group across
    /// the offsets, and NaN inputs of either sign only from element 150 on,
    /// so that the iterations before hold none and take the stores without
    /// the NaN test.
    fn bf16_loop_inputs() -> (Vec<f32>, Vec<f32>) {
        (0..200)
            .map(|i| match (i % 9, i) {
                (4, _) => (0.0, f32::INFINITY),
                (_, 150) => (f32::NAN, 1.0),
                (_, 152) => (f32::from_bits(0xffc1_0000), 2.0),
                (_, 160) => (1.0, f32::NAN),
                _ => ((i as f32 - 100.0) * 0.37, 1.5 - i as f32 * 0.02),
            })
            .unzip()
    }

    /// Every path's loop into bfloat16 writes the scalar path's bits, at
    /// every length up to 168 and output offset up to 31 (so the head, a
    /// paired loop's aligning vector, the body and the tail each take every
    /// length), and nothing past its elements.
    fn bf16_loop_matches_scalar<F: VectorFn, A: Element>(f: F, x: &[A], t: &[A]) {
        let fill = half::bf16::from_bits(0x1234);
        loops_agree(f, (x, t), 32, fill, |isa| {
            [(Isa::Scalar, false), (isa, false)]
        });
    }

    /// The paired loop (from bfloat16) and the store without the NaN test
    /// (from `f32`), of one kernel and of a gated unit, whose fast form
    /// sets iterations aside to compute them again.
    #[test]
    fn bf16_loops_match_scalar() {
        let (x, t) = bf16_loop_inputs();
        let narrow = |v: &[f32]| {
            v.iter()
                .map(|&v| half::bf16::from_f32(v))
                .collect::<Vec<_>>()
        };
        let (xh, th) = (narrow(&x), narrow(&t));
        bf16_loop_matches_scalar(OneInputFn(Silu), &xh, &th);
        bf16_loop_matches_scalar(TwoInputsFn(Gated(Silu)), &xh, &th);
        bf16_loop_matches_scalar(OneInputFn(Silu), &x, &t);
        bf16_loop_matches_scalar(TwoInputsFn(Gated(Silu)), &x, &t);
    }
}
