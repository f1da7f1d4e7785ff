//! Criterion benchmarks: each function on each available path at N = 4096,
//! 1 Mi and 16 Mi, next to rten-vecmath (a Rust SIMD peer) and the naive
//! standard-library loop on the same inputs; `prelu` and `frelu` at the same
//! sizes; `softmax` and `log_softmax` over 1 Mi elements in rows of 128, 4096
//! and 32768 (rten-vecmath called once per row).
//!
//! rten-vecmath runs twice where the CPU has AVX-512: through its own
//! dispatch (`rten-vecmath`, its AVX-512 branch) and on its AVX2 branch
//! (`rten-vecmath-avx2`), for the ratios on each path from one run.
//!
//! `cargo bench` runs everything; `cargo bench -- gelu/4096` one group,
//! `cargo bench -- softmax/` the softmax groups. Throughput is reported in
//! elements per second.

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use rten_simd::SimdUnaryOp;
use simd_activations::{Activation, Isa};
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;

#[path = "../cli/src/catalog.rs"]
mod catalog;

use catalog::{
    frelu_condition, functions, inputs, naive, naive_frelu, naive_prelu, naive_softmax,
    prelu_layout, prelu_weights,
};

const SIZES: [usize; 3] = [4096, 1 << 20, 16 << 20];

/// Where rten-vecmath runs: its own dispatch (AVX-512 on a CPU that has it)
/// or its AVX2 branch.
#[derive(Clone, Copy)]
enum RtenPath {
    Dispatch,
    #[cfg(target_arch = "x86_64")]
    Avx2(rten_simd::isa::Avx2Isa),
}

/// rten-vecmath's version of `f` on `path`, where it has one.
fn rten(f: Activation, path: RtenPath, x: &[f32], y: &mut [MaybeUninit<f32>]) -> bool {
    use rten_vecmath as rv;
    match f {
        Activation::Exp => rten_map(rv::Exp {}, path, x, y),
        Activation::Erf => rten_map(rv::Erf {}, path, x, y),
        Activation::Tanh => rten_map(rv::Tanh {}, path, x, y),
        Activation::Sigmoid => rten_map(rv::Sigmoid {}, path, x, y),
        Activation::Silu => rten_map(rv::Silu {}, path, x, y),
        Activation::Gelu => rten_map(rv::Gelu {}, path, x, y),
        Activation::GeluTanh => rten_map(rv::ApproxGelu {}, path, x, y),
        Activation::Elu { alpha } => rten_map(rv::Elu { alpha }, path, x, y),
        Activation::LeakyRelu { negative_slope } => rten_map(
            rv::LeakyRelu {
                alpha: negative_slope,
            },
            path,
            x,
            y,
        ),
        _ => return false,
    }
    true
}

/// `op` over `x` into `y` on `path`.
fn rten_map<Op: SimdUnaryOp<f32>>(op: Op, path: RtenPath, x: &[f32], y: &mut [MaybeUninit<f32>]) {
    match path {
        RtenPath::Dispatch => drop(black_box(op.map(x, y))),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Avx2Isa` exists only where AVX2, FMA and F16C are
        // available, the features `rten_avx2::map` is compiled with.
        RtenPath::Avx2(isa) => unsafe { rten_avx2::map(isa, &op, x, y) },
    }
}

/// rten-vecmath's AVX2 branch, called through rten-simd's public ISA type
/// (its own dispatch picks AVX-512 wherever the CPU has it).
#[cfg(target_arch = "x86_64")]
mod rten_avx2 {
    use rten_simd::functional::simd_map;
    use rten_simd::isa::Avx2Isa;
    use rten_simd::{Isa, SimdOp, SimdUnaryOp};
    use std::mem::MaybeUninit;

    /// The map of one unary operation, as an operation rten-simd evaluates
    /// on a given ISA.
    struct Map<'a, 'b, Op> {
        op: &'a Op,
        x: &'a [f32],
        y: &'b mut [MaybeUninit<f32>],
    }

    impl<Op: SimdUnaryOp<f32>> SimdOp for Map<'_, '_, Op> {
        type Output = ();

        #[inline(always)]
        fn eval<I: Isa>(self, isa: I) {
            let op = self.op;
            // The closure inlined, or it is compiled without the features.
            simd_map(
                isa.f32(),
                (self.x, self.y),
                #[inline(always)]
                |v| op.eval(isa, v),
            );
        }
    }

    /// `op` over `x` into `y` with AVX2 instructions.
    ///
    /// # Safety
    /// The CPU must support AVX2, FMA and F16C (an `Avx2Isa` proves it).
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn map<Op: SimdUnaryOp<f32>>(
        isa: Avx2Isa,
        op: &Op,
        x: &[f32],
        y: &mut [MaybeUninit<f32>],
    ) {
        Map { op, x, y }.eval(isa)
    }
}

/// The group `name/n`, in elements per second; the 16 Mi groups take fewer,
/// longer samples.
fn group<'a>(c: &'a mut Criterion, name: &str, n: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(format!("{name}/{n}"));
    g.throughput(Throughput::Elements(n as u64));
    if n > 1 << 20 {
        g.sample_size(10).measurement_time(Duration::from_secs(3));
    }
    g
}

fn bench(c: &mut Criterion) {
    for n in SIZES {
        let x = inputs(n);
        let mut y = vec![0f32; n];
        let mut uninit = vec![MaybeUninit::<f32>::uninit(); n];
        for f in functions() {
            let mut g = group(c, f.name(), n);
            for &isa in Isa::available() {
                g.bench_function(BenchmarkId::new("simd-activations", isa.name()), |b| {
                    b.iter(|| f.forward_on(isa, black_box(&x), black_box(&mut y)).unwrap())
                });
            }
            if rten(f, RtenPath::Dispatch, &x, &mut uninit) {
                g.bench_function("rten-vecmath", |b| {
                    b.iter(|| rten(f, RtenPath::Dispatch, black_box(&x), black_box(&mut uninit)))
                });
                #[cfg(target_arch = "x86_64")]
                if let Some(isa) = rten_simd::isa::Avx2Isa::new() {
                    let path = RtenPath::Avx2(isa);
                    g.bench_function("rten-vecmath-avx2", |b| {
                        b.iter(|| rten(f, path, black_box(&x), black_box(&mut uninit)))
                    });
                }
            }
            let naive_loop = naive(f);
            g.bench_function("naive-std-loop", |b| {
                b.iter(|| naive_loop(black_box(&x), black_box(&mut y)))
            });
            g.finish();
        }
    }
}

/// `prelu` over `[n / 4096, 64, 64]` and `frelu` against a second slice, at
/// the three sizes, next to the naive loops.
fn bench_paired(c: &mut Criterion) {
    for n in SIZES {
        let (channels, inner) = prelu_layout(n);
        let weight = prelu_weights(channels);
        let x = inputs(n);
        let t = frelu_condition(&x);
        let mut y = vec![0f32; n];
        let mut g = group(c, "prelu", n);
        for &isa in Isa::available() {
            g.bench_function(BenchmarkId::new("simd-activations", isa.name()), |b| {
                b.iter(|| {
                    simd_activations::prelu_on(
                        isa,
                        black_box(&x),
                        black_box(&mut y),
                        &weight,
                        channels,
                        inner,
                    )
                    .unwrap()
                })
            });
        }
        g.bench_function("naive-std-loop", |b| {
            b.iter(|| naive_prelu(black_box(&x), black_box(&mut y), &weight, inner))
        });
        g.finish();
        let mut g = group(c, "frelu", n);
        for &isa in Isa::available() {
            g.bench_function(BenchmarkId::new("simd-activations", isa.name()), |b| {
                b.iter(|| {
                    simd_activations::frelu_on(isa, black_box(&x), black_box(&t), black_box(&mut y))
                        .unwrap()
                })
            });
        }
        g.bench_function("naive-std-loop", |b| {
            b.iter(|| naive_frelu(black_box(&x), black_box(&t), black_box(&mut y)))
        });
        g.finish();
    }
}

/// `softmax` and `log_softmax` over 1 Mi elements in rows of 128, 4096 and
/// 32768, next to rten-vecmath (once per row) and the naive loop.
fn bench_softmax(c: &mut Criterion) {
    use rten_simd::SimdOp;
    const TOTAL: usize = 1 << 20;
    let x = inputs(TOTAL);
    let mut y = vec![0f32; TOTAL];
    let mut uninit = vec![MaybeUninit::<f32>::uninit(); TOTAL];
    for log in [false, true] {
        let name = if log { "log_softmax" } else { "softmax" };
        for row in [128usize, 4096, 32768] {
            let mut g = c.benchmark_group(format!("{name}/rows-of-{row}"));
            g.throughput(Throughput::Elements(TOTAL as u64));
            for &isa in Isa::available() {
                g.bench_function(BenchmarkId::new("simd-activations", isa.name()), |b| {
                    b.iter(|| {
                        if log {
                            simd_activations::log_softmax_on(isa, black_box(&x), &mut y, row)
                        } else {
                            simd_activations::softmax_on(isa, black_box(&x), &mut y, row)
                        }
                        .unwrap()
                    })
                });
            }
            g.bench_function("rten-vecmath", |b| {
                b.iter(|| {
                    for (xs, ys) in black_box(&x).chunks(row).zip(uninit.chunks_mut(row)) {
                        if log {
                            black_box(rten_vecmath::LogSoftmax::new(xs, ys).dispatch());
                        } else {
                            black_box(rten_vecmath::Softmax::new(xs, ys).dispatch());
                        }
                    }
                })
            });
            g.bench_function("naive-std-loop", |b| {
                b.iter(|| naive_softmax(black_box(&x), black_box(&mut y), row, log))
            });
            g.finish();
        }
    }
}

criterion_group!(benches, bench, bench_paired, bench_softmax);
criterion_main!(benches);
