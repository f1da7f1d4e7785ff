//! `verify`: accuracy (max ULP against the float64 references) and bitwise
//! agreement of every path with the scalar path, over a sweep of `f32` bit
//! patterns, in parallel with progress.

use simd_activations::{Activation, Isa, reference};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Which inputs a sweep visits.
#[derive(Clone, Copy, Debug)]
pub enum Sweep {
    /// Every `stride`-th bit pattern (offset so that both signs and all
    /// exponents are visited).
    Strided { stride: u64 },
    /// Every `f32` in `[lo, hi]` (both signs of the bit pattern order).
    Range { lo: f32, hi: f32 },
}

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
pub struct Report {
    /// Max ULP error of the scalar path over finite inputs.
    pub max_ulp: f64,
    /// The input where it occurs.
    pub worst_x: f32,
    /// Inputs visited.
    pub count: u64,
    /// Per non-scalar path: (path, number of inputs whose bits differ from the
    /// scalar path's, first such input).
    pub mismatches: Vec<(Isa, u64, Option<f32>)>,
}

const CHUNK: u64 = 1 << 16;

/// Sweeps `activation` over `sweep` on every available path.
pub fn verify(activation: Activation, sweep: Sweep, progress: bool) -> Report {
    let (first, count, step) = sweep.span();
    let paths: Vec<Isa> = Isa::available()
        .iter()
        .copied()
        .filter(|i| *i != Isa::Scalar)
        .collect();
    let chunks = count.div_ceil(CHUNK);
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let result = Mutex::new(Report {
        max_ulp: 0.0,
        worst_x: 0.0,
        count,
        mismatches: paths.iter().map(|p| (*p, 0, None)).collect(),
    });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let stderr_is_tty = std::io::stderr().is_terminal();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut x = vec![0f32; CHUNK as usize];
                let mut y = vec![0f32; CHUNK as usize];
                let mut z = vec![0f32; CHUNK as usize];
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        break;
                    }
                    let lo = c * CHUNK;
                    let n = CHUNK.min(count - lo) as usize;
                    for (i, xi) in x[..n].iter_mut().enumerate() {
                        *xi = ordered_to_f32(first + (lo + i as u64) * step);
                    }
                    activation
                        .forward_on(Isa::Scalar, &x[..n], &mut y[..n])
                        .expect("scalar path");
                    let mut worst = (0.0f64, 0.0f32);
                    for i in 0..n {
                        if x[i].is_finite() {
                            let e = reference::ulp_error(y[i], reference::eval(activation, x[i]));
                            if e > worst.0 || e.is_nan() {
                                worst = (e, x[i]);
                            }
                        }
                    }
                    let mut local: Vec<(u64, Option<f32>)> = Vec::new();
                    for isa in &paths {
                        activation
                            .forward_on(*isa, &x[..n], &mut z[..n])
                            .expect("available path");
                        let mut bad = 0u64;
                        let mut first_bad = None;
                        for i in 0..n {
                            if y[i].to_bits() != z[i].to_bits() {
                                bad += 1;
                                first_bad.get_or_insert(x[i]);
                            }
                        }
                        local.push((bad, first_bad));
                    }
                    {
                        let mut r = result.lock().unwrap();
                        if worst.0 > r.max_ulp {
                            r.max_ulp = worst.0;
                            r.worst_x = worst.1;
                        }
                        for (m, (bad, fb)) in r.mismatches.iter_mut().zip(local) {
                            m.1 += bad;
                            if m.2.is_none() {
                                m.2 = fb;
                            }
                        }
                    }
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress && (d.is_multiple_of(1024) || d == chunks) {
                        let f = d as f64 / chunks as f64;
                        let t = start.elapsed().as_secs_f64();
                        eprint!(
                            "  {:<10} {:5.1}%  elapsed {:6.0}s  eta {:6.0}s ",
                            activation.name(),
                            100.0 * f,
                            t,
                            t / f - t
                        );
                        eprint!("{}", if stderr_is_tty { "\r" } else { "\n" });
                    }
                }
            });
        }
    });
    if progress {
        eprintln!();
    }
    result.into_inner().unwrap()
}
