//! The bias epilogue of a matrix product, `y = f(x + bias)` on rows of 1024
//! (`Activation::forward_bias`), beside the two passes an engine makes
//! without it (add the bias into the output, then the activation in place),
//! for a function bound by arithmetic (`gelu`) and one bound by memory
//! (`relu`), at 1 Mi and 16 Mi elements. The input stays the same across
//! iterations: applied in place over and over, `gelu` would drive the tile
//! into the subnormal range and time that instead.
//!
//! `cargo bench --bench engine`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use simd_activations::Activation;
use std::hint::black_box;

const COLS: usize = 1024;

fn bias_epilogue(c: &mut Criterion) {
    for n in [1 << 20, 16 << 20] {
        let bias: Vec<f32> = (0..COLS).map(|i| i as f32 * 1e-3 - 0.5).collect();
        let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.01).sin() * 4.0).collect();
        let mut y = vec![0.0f32; n];
        let mut g = c.benchmark_group(format!("bias-epilogue/{n}"));
        g.throughput(Throughput::Elements(n as u64));
        if n >= 16 << 20 {
            g.sample_size(10);
        }
        for f in [Activation::Gelu, Activation::Relu] {
            g.bench_function(BenchmarkId::new(f.name(), "fused"), |b| {
                b.iter(|| f.forward_bias(black_box(&x), &bias, black_box(&mut y)))
            });
            g.bench_function(BenchmarkId::new(f.name(), "add-then-activate"), |b| {
                b.iter(|| {
                    let rows = black_box(&x).chunks_exact(COLS);
                    for (out, row) in black_box(&mut y).chunks_exact_mut(COLS).zip(rows) {
                        for ((o, v), b) in out.iter_mut().zip(row).zip(&bias) {
                            *o = v + b;
                        }
                    }
                    f.forward_inplace(black_box(&mut y))
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bias_epilogue);
criterion_main!(benches);
