//! All cores against one thread (the `rayon` feature): `gelu` (bound by
//! arithmetic) and `relu` (bound by memory, beside a plain copy of the same
//! bytes, on one thread and on all cores in the same pieces), from 16 Ki to
//! 16 Mi elements, to find where splitting starts to pay (`PARALLEL_MIN`),
//! and at 128 Mi (512 MiB in and out, more than the largest cache of the
//! machines measured), where `relu`'s output is stored past the caches, by
//! the pieces of the all-cores call as by the one-thread call; and the
//! attention softmax (`softmax_masked`) from 1 Mi elements.
//!
//! `cargo bench --features rayon --bench parallel`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use simd_activations::{Activation, CHUNK, Mask, MaskedRows};
use std::hint::black_box;

fn parallel(c: &mut Criterion) {
    for n in [
        16 << 10,
        32 << 10,
        64 << 10,
        128 << 10,
        256 << 10,
        512 << 10,
        1 << 20,
        16 << 20,
        128 << 20,
    ] {
        let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.01).sin() * 8.0).collect();
        let mut y = vec![0.0f32; n];
        let mut g = c.benchmark_group(format!("parallel/{n}"));
        g.throughput(Throughput::Elements(n as u64));
        if n >= 16 << 20 {
            g.sample_size(10);
        }
        for f in [Activation::Gelu, Activation::Relu] {
            g.bench_function(BenchmarkId::new(f.name(), "one-thread"), |b| {
                b.iter(|| f.forward(black_box(&x), black_box(&mut y)))
            });
            g.bench_function(BenchmarkId::new(f.name(), "all-cores"), |b| {
                b.iter(|| f.forward_par(black_box(&x), black_box(&mut y)))
            });
        }
        if n >= 1 << 20 {
            // The attention softmax over rows of 4096 with a mask row that
            // hides a quarter of each.
            let row_len = 4096;
            let mask: Vec<f32> = (0..row_len)
                .map(|k| if k % 4 == 3 { f32::NEG_INFINITY } else { 0.0 })
                .collect();
            let options = (0.125, Mask::Row(&mask), MaskedRows::Zero);
            g.bench_function(BenchmarkId::new("softmax_masked", "one-thread"), |b| {
                b.iter(|| {
                    simd_activations::softmax_masked(
                        black_box(&x),
                        black_box(&mut y),
                        row_len,
                        options,
                    )
                })
            });
            g.bench_function(BenchmarkId::new("softmax_masked", "all-cores"), |b| {
                b.iter(|| {
                    simd_activations::softmax_masked_par(
                        black_box(&x),
                        black_box(&mut y),
                        row_len,
                        options,
                    )
                })
            });
        }
        g.bench_function(BenchmarkId::new("copy", "one-thread"), |b| {
            b.iter(|| black_box(&mut y).copy_from_slice(black_box(&x)))
        });
        // A plain copy of the same bytes in the same pieces on the same pool,
        // beside `relu`'s all-cores call (rayon's parallel iterator and plain
        // stores, where `relu`'s call has the caller work up to
        // `CALLER_WORKS_MAX` and streams large outputs).
        g.bench_function(BenchmarkId::new("copy", "all-cores"), |b| {
            b.iter(|| {
                black_box(&mut y)
                    .par_chunks_mut(CHUNK)
                    .zip(black_box(&x).par_chunks(CHUNK))
                    .for_each(|(y, x)| y.copy_from_slice(x))
            })
        });
        g.finish();
    }
}

criterion_group!(benches, parallel);
criterion_main!(benches);
