//! Criterion benchmarks of the 16-bit elements and the fused gated units:
//! - `half/NAME/N`: `gelu`, `silu` and `relu` on `f32`, `bf16` and `f16`
//!   slices of N elements on each path, in elements per second, so the
//!   16-bit paths compare with the `f32` path in one run, and the mixed
//!   forms `bf16` in, `f32` out and `f32` in, `bf16` out
//!   (`Activation::forward_mixed_on`);
//! - `gated/swiglu/N`: `swiglu(gate, up, y)` in one pass against `silu`
//!   then a separate multiply pass, on `f32`, `bf16` and `f16`;
//! - `half-rows/NAME/ROW`: `softmax` and `log_softmax` over 1 Mi elements in
//!   rows of ROW (128, 4096, 32768) on `f32`, `bf16` and `f16`, each path.
//!
//! `cargo bench --bench half_and_gated`; a filter narrows it
//! (`-- half/gelu/1048576`).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use simd_activations::{Activation, Element, GatedUnit, Isa, bf16, f16};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 2] = [1 << 20, 16 << 20];

/// Inputs in the range activations see, as `f32`.
fn inputs(n: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32) * 16.0 - 8.0
        })
        .collect()
}

/// One function, `A` in and `B` out, every path (the same type, or a mixed
/// form).
fn bench_type<A: Element, B: Element + Default>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    f: Activation,
    name: &str,
    x: &[A],
) {
    let mut y = vec![B::default(); x.len()];
    for &isa in Isa::available() {
        g.bench_function(BenchmarkId::new(name, isa.name()), |b| {
            b.iter(|| {
                f.forward_mixed_on(isa, black_box(x), black_box(&mut y))
                    .unwrap()
            })
        });
    }
}

fn half(c: &mut Criterion) {
    for n in SIZES {
        let x = inputs(n, 1);
        let xb: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v)).collect();
        let xh: Vec<f16> = x.iter().map(|&v| f16::from_f32(v)).collect();
        for f in [Activation::Gelu, Activation::Silu, Activation::Relu] {
            let mut g = c.benchmark_group(format!("half/{}/{n}", f.name()));
            g.throughput(Throughput::Elements(n as u64));
            if n > 1 << 20 {
                g.sample_size(10).measurement_time(Duration::from_secs(3));
            }
            bench_type::<f32, f32>(&mut g, f, "f32", &x);
            bench_type::<bf16, bf16>(&mut g, f, "bf16", &xb);
            bench_type::<f16, f16>(&mut g, f, "f16", &xh);
            bench_type::<bf16, f32>(&mut g, f, "bf16-to-f32", &xb);
            bench_type::<f32, bf16>(&mut g, f, "f32-to-bf16", &x);
            g.finish();
        }
    }
}

/// `swiglu` fused, and `silu` then `y *= up` as two passes.
fn gated_type<T: Element + Default + core::ops::Mul<Output = T>>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    type_name: &str,
    gate: &[T],
    up: &[T],
) {
    let mut y = vec![T::default(); gate.len()];
    let isa = Isa::best();
    g.bench_function(BenchmarkId::new("fused", type_name), |b| {
        b.iter(|| {
            GatedUnit::SwiGlu
                .forward_on(isa, black_box(gate), black_box(up), black_box(&mut y))
                .unwrap()
        })
    });
    g.bench_function(BenchmarkId::new("silu-then-multiply", type_name), |b| {
        b.iter(|| {
            Activation::Silu
                .forward_on(isa, black_box(gate), black_box(&mut y))
                .unwrap();
            for (v, &u) in y.iter_mut().zip(black_box(up)) {
                *v = *v * u;
            }
        })
    });
}

fn gated(c: &mut Criterion) {
    for n in SIZES {
        let gate = inputs(n, 2);
        let up = inputs(n, 3);
        let mut g = c.benchmark_group(format!("gated/swiglu/{n}"));
        g.throughput(Throughput::Elements(n as u64));
        if n > 1 << 20 {
            g.sample_size(10).measurement_time(Duration::from_secs(3));
        }
        gated_type(&mut g, "f32", &gate, &up);
        let to_bf16 = |v: &[f32]| v.iter().map(|&a| bf16::from_f32(a)).collect::<Vec<_>>();
        gated_type(&mut g, "bf16", &to_bf16(&gate), &to_bf16(&up));
        g.finish();
    }
}

/// One row function on `T`, every path.
fn rows_type<T: Element + Default>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    log: bool,
    (name, x): (&str, &[T]),
    row_len: usize,
) {
    let mut y = vec![T::default(); x.len()];
    for &isa in Isa::available() {
        g.bench_function(BenchmarkId::new(name, isa.name()), |b| {
            b.iter(|| {
                let (x, y) = (black_box(x), black_box(&mut y));
                if log {
                    simd_activations::log_softmax_on(isa, x, y, row_len)
                } else {
                    simd_activations::softmax_on(isa, x, y, row_len)
                }
                .unwrap()
            })
        });
    }
}

fn half_rows(c: &mut Criterion) {
    let n = 1 << 20;
    let x = inputs(n, 3);
    let xb: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v)).collect();
    let xh: Vec<f16> = x.iter().map(|&v| f16::from_f32(v)).collect();
    for (log, name) in [(false, "softmax"), (true, "log_softmax")] {
        for row_len in [128, 4096, 32768] {
            let mut g = c.benchmark_group(format!("half-rows/{name}/{row_len}"));
            g.throughput(Throughput::Elements(n as u64));
            rows_type(&mut g, log, ("f32", &x), row_len);
            rows_type(&mut g, log, ("bf16", &xb), row_len);
            rows_type(&mut g, log, ("f16", &xh), row_len);
            g.finish();
        }
    }
}

criterion_group!(benches, half, gated, half_rows);
criterion_main!(benches);
