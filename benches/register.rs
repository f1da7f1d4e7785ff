//! A matrix product's epilogue written in the caller's code on registers:
//! `y = gelu(x + bias)` over a tile of 256 rows of 1024, per register
//! (`register::gelu`) and per block of a row's registers
//! (`register::block::gelu`), beside the slice function `gelu` over the same
//! number of elements (without the bias). Run in a default build and with
//! `RUSTFLAGS="-C target-cpu=native"` to see both register paths:
//!
//! `cargo bench --bench register`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use simd_activations::register::{self, wide::f32x8};
use std::hint::black_box;

const ROWS: usize = 256;
const COLS: usize = 1024;
const REGS: usize = COLS / 8;

fn epilogue(c: &mut Criterion) {
    let n = ROWS * COLS;
    let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.01).sin() * 6.0).collect();
    let xr: Vec<f32x8> = x
        .chunks_exact(8)
        .map(|c| f32x8::new(c.try_into().unwrap()))
        .collect();
    let bias: Vec<f32x8> = (0..REGS).map(|i| f32x8::splat(i as f32 * 1e-3)).collect();
    let mut y = vec![0.0f32; n];
    let mut yr = vec![f32x8::ZERO; n / 8];
    let mut g = c.benchmark_group("register/gelu-epilogue");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("slice gelu (no bias)", |b| {
        b.iter(|| simd_activations::gelu(black_box(&x), black_box(&mut y)))
    });
    g.bench_function("per register", |b| {
        b.iter(|| {
            for (out, row) in yr.chunks_exact_mut(REGS).zip(xr.chunks_exact(REGS)) {
                for ((o, &v), &t) in out.iter_mut().zip(row).zip(&bias) {
                    *o = register::gelu(v + t);
                }
            }
            black_box(&mut yr);
        })
    });
    g.bench_function("per block of a row", |b| {
        b.iter(|| {
            for (out, row) in yr.chunks_exact_mut(REGS).zip(xr.chunks_exact(REGS)) {
                for ((o, &v), &t) in out.iter_mut().zip(row).zip(&bias) {
                    *o = v + t;
                }
                register::block::gelu(out).unwrap();
            }
            black_box(&mut yr);
        })
    });
    g.finish();
}

criterion_group!(benches, epilogue);
criterion_main!(benches);
