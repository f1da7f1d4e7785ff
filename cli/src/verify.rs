//! `verify`: accuracy (max ULP against the float64 references) and bitwise
//! agreement of every path with the scalar path, in parallel, with progress,
//! stopping early (with what it has) when asked to.
//!
//! Elementwise functions, `prelu`, `frelu` and the gated units sweep `f32`
//! bit patterns (a gated unit's `gate`, against a fixed cycle of `up`
//! values); `softmax` and `log_softmax` run on random rows of several
//! lengths and scales, scored per entry against the float64 softmax of the
//! row.

use crate::element::HalfElement;
use crate::target::{Aux, Target};
use indicatif::ProgressBar;
use rand::{RngExt, SeedableRng};
use simd_activations::{Isa, reference};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Which inputs a sweep visits.
#[derive(Clone, Copy, Debug)]
pub enum Sweep {
    /// Every `stride`-th bit pattern (offset so that both signs and all
    /// exponents are visited); for the row functions, `2^32 / stride` entries
    /// (at most [`MAX_ROW_ENTRIES`]) in rows at several scales.
    Strided {
        /// The step between bit patterns, from 1 to 2^32.
        stride: u64,
    },
    /// Every `f32` in `[lo, hi]`; for the row functions,
    /// [`RANGE_ROW_ENTRIES`] entries uniform in `[lo, hi]`.
    Range {
        /// The lowest input.
        lo: f32,
        /// The highest input.
        hi: f32,
    },
}

/// The most entries a row function is scored on.
pub const MAX_ROW_ENTRIES: u64 = 1 << 26;
/// The entries a row function is scored on with `--range`.
pub const RANGE_ROW_ENTRIES: u64 = 1 << 24;

impl Sweep {
    /// The bit patterns to visit, as `(first, count, step)` in an ordered
    /// encoding (see `ordered_to_f32`).
    fn span(self) -> (u64, u64, u64) {
        match self {
            Sweep::Strided { stride } => (stride / 2, (1u64 << 32) / stride, stride),
            Sweep::Range { lo, hi } => {
                let a = f32_to_ordered(lo);
                let b = f32_to_ordered(hi);
                (a, b.saturating_sub(a) + 1, 1)
            }
        }
    }

    /// How many inputs (or row entries) `target` is scored on.
    pub fn planned(self, target: Target) -> u64 {
        match (target.is_row_wise(), self) {
            (false, _) => self.span().1,
            (true, Sweep::Strided { stride }) => ((1u64 << 32) / stride).clamp(1, MAX_ROW_ENTRIES),
            (true, Sweep::Range { .. }) => RANGE_ROW_ENTRIES,
        }
    }
}

impl std::fmt::Display for Sweep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sweep::Strided { stride: 1 } => f.write_str("all 2^32 bit patterns"),
            Sweep::Strided { stride } => write!(f, "every {stride}th bit pattern"),
            Sweep::Range { lo, hi } => write!(f, "every f32 in [{lo:e}, {hi:e}]"),
        }
    }
}

/// Maps `f32` to an integer order that is monotone in value (negative floats
/// first), so a range of floats is a range of integers.
fn f32_to_ordered(x: f32) -> u64 {
    let b = x.to_bits();
    u64::from(if b >> 31 == 1 { !b } else { b | 0x8000_0000 })
}

fn ordered_to_f32(o: u64) -> f32 {
    let o = o as u32;
    f32::from_bits(if o >> 31 == 1 { o & 0x7fff_ffff } else { !o })
}

/// The outcome for one function.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Max ULP error of the scalar path over finite inputs.
    pub max_ulp: f64,
    /// The input (or row entry) where it occurs.
    pub worst_x: f32,
    /// Inputs (or row entries) visited.
    pub count: u64,
    /// Inputs (or row entries) the sweep was to visit.
    pub planned: u64,
    /// Per non-scalar path: (path, number of inputs whose bits differ from the
    /// scalar path's, first such input).
    pub mismatches: Vec<(Isa, u64, Option<f32>)>,
    /// For `prelu` and `frelu`: inputs (neither NaN) where the scalar path's
    /// bits differ from the naive loop's.
    pub naive_differs: Option<u64>,
}

impl Outcome {
    fn new(target: Target, planned: u64) -> Outcome {
        Outcome {
            max_ulp: 0.0,
            worst_x: 0.0,
            count: 0,
            planned,
            mismatches: simd_paths().iter().map(|p| (*p, 0, None)).collect(),
            naive_differs: matches!(target, Target::Prelu | Target::Frelu).then_some(0),
        }
    }

    /// Adds a piece of work's results.
    fn merge(&mut self, worst: (f64, f32), count: u64, paths: &[(u64, Option<f32>)], naive: u64) {
        if worst.0 > self.max_ulp || (worst.0.is_nan() && !self.max_ulp.is_nan()) {
            self.max_ulp = worst.0;
            self.worst_x = worst.1;
        }
        self.count += count;
        for (m, (bad, first)) in self.mismatches.iter_mut().zip(paths) {
            m.1 += bad;
            if m.2.is_none() {
                m.2 = *first;
            }
        }
        if let Some(n) = &mut self.naive_differs {
            *n += naive;
        }
    }

    /// Whether every path agrees with the scalar path and the error is
    /// within the function's bound.
    pub fn passed(&self, target: Target) -> bool {
        self.mismatches.iter().all(|m| m.1 == 0)
            && self.naive_differs.unwrap_or(0) == 0
            && self.max_ulp <= target.bound()
    }
}

/// The available paths other than scalar.
fn simd_paths() -> Vec<Isa> {
    Isa::available()
        .iter()
        .copied()
        .filter(|i| *i != Isa::Scalar)
        .collect()
}

const CHUNK: u64 = 1 << 16;

/// The weights `prelu` is checked with, one per channel: negative, zero,
/// small, above one.
const PRELU_WEIGHTS: [f32; 16] = [
    -2.0, -1.0, -0.5, -0.1, 0.0, 1e-3, 0.01, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0,
];

/// The `up` values a gated unit is checked with, in turn along the swept
/// gates: of either sign, around one, tiny, subnormal, huge, zero,
/// infinite and NaN.
const GATED_UPS: [f32; 16] = [
    1.0,
    -1.0,
    0.75,
    -0.5,
    1.999_999_9,
    3.0,
    -4.0,
    0.1,
    1.0e-3,
    0.0,
    3.0e-39,
    1.0e-30,
    7.3e25,
    -2.5e38,
    f32::INFINITY,
    f32::NAN,
];

/// The second inputs of `target` for a chunk `x` of the sweep: `prelu`
/// has [`PRELU_WEIGHTS`] over `[n / 16, 16, 1]`, a gated unit
/// [`GATED_UPS`] in turn, the others their measurement inputs.
fn sweep_aux(target: Target, x: &[f32]) -> Aux {
    match target {
        Target::Prelu => Aux {
            weight: PRELU_WEIGHTS.to_vec(),
            inner: 1,
            ..Aux::default()
        },
        Target::Gated(_) => Aux {
            up: GATED_UPS.iter().copied().cycle().take(x.len()).collect(),
            ..Aux::default()
        },
        _ => Aux::for_inputs(target, x),
    }
}

/// Sweeps `target` over `sweep` on every available path, advancing `bar` by
/// the inputs visited; stops early once `stop` is set.
pub fn verify(target: Target, sweep: Sweep, bar: &ProgressBar, stop: &AtomicBool) -> Outcome {
    if target.is_row_wise() {
        verify_rows(target, sweep, bar, stop)
    } else {
        verify_elementwise(target, sweep, bar, stop)
    }
}

/// Bitwise comparison of `z` with `y`: (count, first input that differs).
fn compare(x: &[f32], y: &[f32], z: &[f32]) -> (u64, Option<f32>) {
    let mut bad = 0u64;
    let mut first = None;
    for i in 0..y.len() {
        if y[i].to_bits() != z[i].to_bits() {
            bad += 1;
            first.get_or_insert(x[i]);
        }
    }
    (bad, first)
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn verify_elementwise(
    target: Target,
    sweep: Sweep,
    bar: &ProgressBar,
    stop: &AtomicBool,
) -> Outcome {
    let (first, count, step) = sweep.span();
    let paths = simd_paths();
    let chunks = count.div_ceil(CHUNK);
    let next = AtomicU64::new(0);
    let result = Mutex::new(Outcome::new(target, count));
    std::thread::scope(|scope| {
        for _ in 0..threads() {
            scope.spawn(|| {
                let mut x = vec![0f32; CHUNK as usize];
                let mut y = vec![0f32; CHUNK as usize];
                let mut z = vec![0f32; CHUNK as usize];
                while !stop.load(Ordering::Relaxed) {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        break;
                    }
                    let lo = c * CHUNK;
                    let n = CHUNK.min(count - lo) as usize;
                    // `prelu` runs on [n / 16, 16, 1]: pad to whole blocks
                    // (CHUNK is a multiple of 16) and score the first `n`.
                    let m = if target == Target::Prelu {
                        n.next_multiple_of(16)
                    } else {
                        n
                    };
                    for (i, xi) in x[..m].iter_mut().enumerate() {
                        *xi = if i < n {
                            ordered_to_f32(first + (lo + i as u64) * step)
                        } else {
                            0.0
                        };
                    }
                    let aux = sweep_aux(target, &x[..m]);
                    target.run(Isa::Scalar, &x[..m], &aux, &mut y[..m]);
                    let mut worst = (0.0f64, 0.0f32);
                    for i in 0..n {
                        if x[i].is_finite()
                            && let Some(r) = exact(target, x[i], &aux, i)
                        {
                            let e = reference::ulp_error(y[i], r);
                            if e > worst.0 || e.is_nan() {
                                worst = (e, x[i]);
                            }
                        }
                    }
                    let mut naive_bad = 0;
                    if matches!(target, Target::Prelu | Target::Frelu) {
                        target.run_naive(&x[..m], &aux, &mut z[..m]);
                        naive_bad = (0..n)
                            .filter(|&i| {
                                !x[i].is_nan()
                                    && !aux.condition.get(i).is_some_and(|t| t.is_nan())
                                    && y[i].to_bits() != z[i].to_bits()
                            })
                            .count() as u64;
                    }
                    let mut local = Vec::with_capacity(paths.len());
                    for isa in &paths {
                        target.run(*isa, &x[..m], &aux, &mut z[..m]);
                        local.push(compare(&x[..n], &y[..n], &z[..n]));
                    }
                    result
                        .lock()
                        .unwrap()
                        .merge(worst, n as u64, &local, naive_bad);
                    bar.inc(n as u64);
                }
            });
        }
    });
    result.into_inner().unwrap()
}

/// The float64 value of `target` at input `i` of a chunk, or `None` where
/// its bound is not claimed: a gated unit whose float64 activation is
/// nonzero and below the smallest normal `f32` in magnitude (the `f32`
/// activation is subnormal there, and `up` scales its lost precision).
fn exact(target: Target, x: f32, aux: &Aux, i: usize) -> Option<f64> {
    Some(match target {
        Target::Elementwise(a) => reference::eval(a, x),
        Target::Prelu => {
            let w = aux.weight[i % aux.weight.len()];
            reference::leaky_relu(f64::from(x), f64::from(w))
        }
        Target::Frelu => {
            let t = aux.condition[i];
            if t.is_nan() {
                f64::NAN
            } else {
                f64::from(if t > x { t } else { x })
            }
        }
        Target::Gated(u) => {
            let a = reference::eval(u.activation(), x);
            if a != 0.0 && a.abs() < f64::from(f32::MIN_POSITIVE) {
                return None;
            }
            a * f64::from(aux.up[i])
        }
        Target::Softmax | Target::LogSoftmax => unreachable!("row functions are verified by rows"),
    })
}

/// Per available path (scalar included), how many of the 65 536 bit
/// patterns of `T` give a result whose bits differ from `T::from_f32` of
/// the scalar path's `f32` result on the widened input; the row functions
/// take them as 16 rows of 4096 (NaN, infinite, zero and subnormal entries
/// among them).
pub fn half_mismatches<T: HalfElement>(f: Target) -> Vec<(Isa, u64)> {
    let x: Vec<T> = (0..=u16::MAX).map(T::from_bits).collect();
    let wide: Vec<f32> = x.iter().map(|v| v.to_f32()).collect();
    let mut y = vec![0f32; x.len()];
    f.run_typed(Isa::Scalar, &wide, &mut y);
    let want: Vec<u16> = y.iter().map(|&v| T::from_f32(v).to_bits()).collect();
    let mut z = vec![T::default(); x.len()];
    Isa::available()
        .iter()
        .map(|&isa| {
            f.run_typed(isa, &x, &mut z);
            let bad = z.iter().zip(&want).filter(|(z, w)| z.to_bits() != **w);
            (isa, bad.count() as u64)
        })
        .collect()
}

/// The row lengths the row functions are checked on, in turn.
const ROW_LENGTHS: [usize; 11] = [1, 2, 3, 7, 16, 100, 128, 1000, 4096, 4097, 32768];
/// The scales of the random rows (entries uniform in `[-s, s]`), in turn.
const ROW_SCALES: [f32; 6] = [1e-3, 1.0, 10.0, 100.0, 1e4, 1e30];

/// Row `j` of the check: its entries, from a seed of its own.
fn row(j: u64, sweep: Sweep) -> Vec<f32> {
    let len = ROW_LENGTHS[(j % ROW_LENGTHS.len() as u64) as usize];
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x50f7_3a40 ^ j);
    let (lo, hi) = match sweep {
        Sweep::Range { lo, hi } => (lo, hi),
        Sweep::Strided { .. } => {
            let s = ROW_SCALES[((j / ROW_LENGTHS.len() as u64) % ROW_SCALES.len() as u64) as usize];
            (-s, s)
        }
    };
    // In float64, so that even `[-f32::MAX, f32::MAX]` has a finite width.
    let (lo, width) = (f64::from(lo), f64::from(hi) - f64::from(lo));
    (0..len)
        .map(|_| (lo + width * rng.random_range(0.0f64..=1.0)) as f32)
        .collect()
}

fn verify_rows(target: Target, sweep: Sweep, bar: &ProgressBar, stop: &AtomicBool) -> Outcome {
    let planned = sweep.planned(target);
    let paths = simd_paths();
    let next = AtomicU64::new(0);
    let claimed = AtomicU64::new(0);
    let result = Mutex::new(Outcome::new(target, planned));
    let log = target == Target::LogSoftmax;
    std::thread::scope(|scope| {
        for _ in 0..threads() {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let j = next.fetch_add(1, Ordering::Relaxed);
                    let x = row(j, sweep);
                    let n = x.len();
                    if claimed.fetch_add(n as u64, Ordering::Relaxed) >= planned {
                        break;
                    }
                    let run = |isa: Isa, y: &mut [f32]| {
                        if log {
                            simd_activations::log_softmax_on(isa, &x, y, n)
                        } else {
                            simd_activations::softmax_on(isa, &x, y, n)
                        }
                        .expect("an available path")
                    };
                    let mut y = vec![0f32; n];
                    let mut z = vec![0f32; n];
                    run(Isa::Scalar, &mut y);
                    let r = if log {
                        reference::log_softmax(&x)
                    } else {
                        reference::softmax(&x)
                    };
                    let mut worst = (0.0f64, 0.0f32);
                    for i in 0..n {
                        let e = reference::ulp_error(y[i], r[i]);
                        if e > worst.0 || e.is_nan() {
                            worst = (e, x[i]);
                        }
                    }
                    let mut local = Vec::with_capacity(paths.len());
                    for isa in &paths {
                        run(*isa, &mut z);
                        local.push(compare(&x, &y, &z));
                    }
                    result.lock().unwrap().merge(worst, n as u64, &local, 0);
                    bar.inc(n as u64);
                }
            });
        }
    });
    result.into_inner().unwrap()
}
