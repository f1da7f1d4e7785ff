//! What the measurement command and the benchmarks run: the functions with
//! their parameters, the inputs, and the naive loops they are compared with.
//! (`benches/activations.rs` includes this file.)

use simd_activations::Activation;

/// The functions the command measures: every elementwise function of the
/// crate's table, at PyTorch's default parameters.
pub fn functions() -> Vec<Activation> {
    Activation::ALL.to_vec()
}

/// `n` inputs uniform in `[-10, 10]` from a fixed seed.
pub fn inputs(n: usize) -> Vec<f32> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    (0..n).map(|_| rng.random_range(-10.0f32..10.0)).collect()
}

/// The obvious loop over the standard library (and `libm` for `erf`), as a
/// user without this crate would write it (from the crate's table).
pub fn naive(activation: Activation) -> impl Fn(&[f32], &mut [f32]) {
    move |x, y| simd_activations::reference::naive(activation, x, y)
}
