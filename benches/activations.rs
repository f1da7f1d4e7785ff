//! Criterion benchmarks: each function on each available path at N = 4096,
//! 1 Mi and 16 Mi, next to rten-vecmath (a Rust SIMD peer) and the naive
//! standard-library loop on the same inputs; `prelu` and `frelu` at the same
//! sizes; `softmax` and `log_softmax` over 1 Mi elements in rows of 128, 4096
//! and 32768 (rten-vecmath called once per row), also in the attention form
//! (`softmax_masked` with a scale: with a mask row hiding the last quarter
//! of each row, with a mask per row of finite position biases, and alone).
//!
//! rten-vecmath runs on each of our SIMD paths (`rten-vecmath/avx2`,
//! `rten-vecmath/avx512`): its AVX2 branch through rten-simd's ISA type, its
//! own dispatch for the most capable path, for the ratios on each path from
//! one run.
//!
//! `cargo bench` runs everything; `cargo bench -- gelu/4096` one group,
//! `cargo bench -- softmax/` the softmax groups. Throughput is reported in
//! elements per second.

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use simd_activations::{Isa, Mask, MaskedRows};
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;

#[path = "../cli/src/catalog.rs"]
mod catalog;
#[path = "../cli/src/peer.rs"]
mod peer;

use peer::{RtenPath, path_for, rten};

use catalog::{
    frelu_condition, functions, inputs, naive, naive_frelu, naive_prelu, naive_softmax,
    prelu_layout, prelu_weights,
};

const SIZES: [usize; 3] = [4096, 1 << 20, 16 << 20];

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
            for &isa in Isa::available() {
                let Some(path) = path_for(isa) else { continue };
                if rten(f, path, &x, &mut uninit) {
                    g.bench_function(BenchmarkId::new("rten-vecmath", isa.name()), |b| {
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
            // The attention form on the dispatched path: scale by 1/8 (a
            // head dimension of 64) and add a causal-style mask row (the last
            // quarter of each row hidden).
            let mask: Vec<f32> = (0..row)
                .map(|i| {
                    if i < row - row / 4 {
                        0.0
                    } else {
                        f32::NEG_INFINITY
                    }
                })
                .collect();
            // A mask per row that hides nothing (a position bias, as ALiBi
            // adds: an extra stream read by every pass, no vector skipped).
            let bias: Vec<f32> = (0..TOTAL)
                .map(|i| -0.0625 * ((i % row) as f32).min(64.0))
                .collect();
            // Then the scale alone, where no vector is hidden.
            for (id, m) in [
                ("simd-activations-scaled-masked", Mask::Row(&mask)),
                ("simd-activations-scaled-biased", Mask::PerRow(&bias)),
                ("simd-activations-scaled", Mask::None),
            ] {
                let attention = (0.125, m, MaskedRows::Zero);
                g.bench_function(id, |b| {
                    b.iter(|| {
                        if log {
                            simd_activations::log_softmax_masked(
                                black_box(&x),
                                &mut y,
                                row,
                                attention,
                            )
                        } else {
                            simd_activations::softmax_masked(black_box(&x), &mut y, row, attention)
                        }
                        .unwrap()
                    })
                });
            }
            g.bench_function("rten-vecmath", |b| {
                b.iter(|| peer::rten_rows(log, row, RtenPath::Dispatch, black_box(&x), &mut uninit))
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
