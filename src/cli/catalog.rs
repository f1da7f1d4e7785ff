//! What the measurement command and the benchmarks run: the functions with
//! their parameters, the inputs, and the naive loops they are compared with.
//! (`benches/activations.rs` includes this file.)

use simd_activations::Activation;

/// The functions the command measures, with PyTorch's default parameters.
pub fn functions() -> Vec<Activation> {
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
        Activation::Relu,
        Activation::Relu6,
        Activation::LeakyRelu {
            negative_slope: 0.01,
        },
        Activation::Hardtanh {
            min_val: -1.0,
            max_val: 1.0,
        },
        Activation::Hardsigmoid,
        Activation::Hardswish,
        Activation::Softsign,
        Activation::Identity,
        Activation::Step { at_zero: 0.5 },
        Activation::Elu { alpha: 1.0 },
        Activation::Selu,
        Activation::Celu { alpha: 1.0 },
    ]
}

/// `n` inputs uniform in `[-10, 10]` from a fixed seed.
pub fn inputs(n: usize) -> Vec<f32> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    (0..n).map(|_| rng.random_range(-10.0f32..10.0)).collect()
}

/// The obvious loop over the standard library (and `libm` for `erf`), as a
/// user without this crate would write it.
pub fn naive(activation: Activation) -> fn(&[f32], &mut [f32]) {
    fn map(x: &[f32], y: &mut [f32], f: impl Fn(f32) -> f32) {
        for (yi, &xi) in y.iter_mut().zip(x) {
            *yi = f(xi);
        }
    }
    match activation {
        Activation::Exp => |x, y| map(x, y, f32::exp),
        Activation::Erf => |x, y| map(x, y, libm::erff),
        Activation::Tanh => |x, y| map(x, y, f32::tanh),
        Activation::Sigmoid => |x, y| map(x, y, |v| 1.0 / (1.0 + (-v).exp())),
        Activation::Silu => |x, y| map(x, y, |v| v / (1.0 + (-v).exp())),
        Activation::Gelu => |x, y| {
            map(x, y, |v| {
                0.5 * v * (1.0 + libm::erff(v * std::f32::consts::FRAC_1_SQRT_2))
            })
        },
        Activation::GeluTanh => |x, y| {
            map(x, y, |v| {
                0.5 * v * (1.0 + (0.797_884_6 * (v + 0.044_715 * v * v * v)).tanh())
            })
        },
        Activation::Mish => |x, y| map(x, y, |v| v * (v.exp().ln_1p()).tanh()),
        Activation::Softplus { .. } => {
            |x, y| map(x, y, |v| if v > 20.0 { v } else { v.exp().ln_1p() })
        }
        Activation::Relu => |x, y| map(x, y, |v| v.max(0.0)),
        Activation::Relu6 => |x, y| map(x, y, |v| v.clamp(0.0, 6.0)),
        Activation::LeakyRelu { .. } => |x, y| map(x, y, |v| if v > 0.0 { v } else { 0.01 * v }),
        Activation::Hardtanh { .. } => |x, y| map(x, y, |v| v.clamp(-1.0, 1.0)),
        Activation::Hardsigmoid => |x, y| map(x, y, |v| (v + 3.0).clamp(0.0, 6.0) / 6.0),
        Activation::Hardswish => |x, y| map(x, y, |v| v * (v + 3.0).clamp(0.0, 6.0) / 6.0),
        Activation::Softsign => |x, y| map(x, y, |v| v / (1.0 + v.abs())),
        Activation::Step { .. } => |x, y| {
            map(x, y, |v| {
                if v > 0.0 {
                    1.0
                } else if v < 0.0 {
                    0.0
                } else {
                    0.5
                }
            })
        },
        Activation::Elu { .. } | Activation::Celu { .. } => {
            |x, y| map(x, y, |v| if v > 0.0 { v } else { v.exp_m1() })
        }
        Activation::Selu => |x, y| {
            map(x, y, |v| {
                1.050_701 * if v > 0.0 { v } else { 1.673_263_2 * v.exp_m1() }
            })
        },
        _ => |x, y| map(x, y, |v| v),
    }
}
