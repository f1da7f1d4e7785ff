//! Criterion benchmarks: each function on each available path at N = 4096,
//! 1 Mi and 16 Mi, next to rten-vecmath (a Rust SIMD peer) and the naive
//! standard-library loop on the same inputs.
//!
//! `cargo bench` runs everything; `cargo bench -- gelu/4096` one group.
//! Throughput is reported in elements per second.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rten_simd::SimdUnaryOp;
use simd_activations::{Activation, Isa};
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;

const SIZES: [usize; 3] = [4096, 1 << 20, 16 << 20];

fn inputs(n: usize) -> Vec<f32> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    (0..n).map(|_| rng.random_range(-10.0f32..10.0)).collect()
}

/// The naive loop over std (and libm's erff, std having no erf).
fn naive(f: Activation, v: f32) -> f32 {
    match f {
        Activation::Exp => v.exp(),
        Activation::Erf => libm::erff(v),
        Activation::Tanh => v.tanh(),
        Activation::Sigmoid => 1.0 / (1.0 + (-v).exp()),
        Activation::Silu => v / (1.0 + (-v).exp()),
        Activation::Gelu => 0.5 * v * (1.0 + libm::erff(v * std::f32::consts::FRAC_1_SQRT_2)),
        Activation::GeluTanh => {
            0.5 * v * (1.0 + (0.797_884_6 * (v + 0.044_715 * v * v * v)).tanh())
        }
        Activation::Mish => v * v.exp().ln_1p().tanh(),
        Activation::Softplus { .. } => {
            if v > 20.0 {
                v
            } else {
                v.exp().ln_1p()
            }
        }
        _ => unreachable!("not benchmarked"),
    }
}

/// rten-vecmath's version of `f`, where it has one.
fn rten(f: Activation, x: &[f32], y: &mut [MaybeUninit<f32>]) -> bool {
    use rten_vecmath as rv;
    match f {
        Activation::Exp => drop(rv::Exp {}.map(x, y)),
        Activation::Erf => drop(rv::Erf {}.map(x, y)),
        Activation::Tanh => drop(rv::Tanh {}.map(x, y)),
        Activation::Sigmoid => drop(rv::Sigmoid {}.map(x, y)),
        Activation::Silu => drop(rv::Silu {}.map(x, y)),
        Activation::Gelu => drop(rv::Gelu {}.map(x, y)),
        Activation::GeluTanh => drop(rv::ApproxGelu {}.map(x, y)),
        _ => return false,
    }
    true
}

fn functions() -> Vec<Activation> {
    vec![
        Activation::Exp,
        Activation::Erf,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Silu,
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Softplus {
            beta: 1.0,
            threshold: 20.0,
        },
        Activation::Mish,
    ]
}

fn bench(c: &mut Criterion) {
    for n in SIZES {
        let x = inputs(n);
        let mut y = vec![0f32; n];
        let mut uninit = vec![MaybeUninit::<f32>::uninit(); n];
        for f in functions() {
            let mut g = c.benchmark_group(format!("{}/{n}", f.name()));
            g.throughput(Throughput::Elements(n as u64));
            if n > 1 << 20 {
                g.sample_size(10).measurement_time(Duration::from_secs(3));
            }
            for &isa in Isa::available() {
                g.bench_function(BenchmarkId::new("simd-activations", isa.name()), |b| {
                    b.iter(|| f.forward_on(isa, black_box(&x), black_box(&mut y)).unwrap())
                });
            }
            if rten(f, &x, &mut uninit) {
                g.bench_function("rten-vecmath", |b| {
                    b.iter(|| rten(f, black_box(&x), black_box(&mut uninit)))
                });
            }
            g.bench_function("naive-std-loop", |b| {
                b.iter(|| {
                    for (o, &v) in y.iter_mut().zip(black_box(&x)) {
                        *o = naive(f, v);
                    }
                })
            });
            g.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
