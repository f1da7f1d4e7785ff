//! The probe of `scripts/mca.sh`: each function of this crate and of
//! rten-vecmath behind an `#[inline(never)]` wrapper, so that the script can
//! find, from the wrapper's symbol, the per-path functions it calls and their
//! inner loops. Running it just calls every wrapper once.

use rten_vecmath as rv;
use simd_activations as sa;
use std::hint::black_box;
use std::mem::MaybeUninit;

/// Declares `ours_NAME(x, y)`, calling this crate's slice function.
macro_rules! ours {
    ($($name:ident: |$x:ident, $y:ident| $call:expr;)*) => {
        $(
            #[inline(never)]
            fn $name($x: &[f32], $y: &mut [f32]) {
                $call
            }
        )*
        const OURS: &[fn(&[f32], &mut [f32])] = &[$($name),*];
    };
}

/// Declares `rten_NAME(x, y)`, calling rten-vecmath's operation `op`.
macro_rules! rten {
    ($($name:ident: $op:expr;)*) => {
        $(
            #[inline(never)]
            fn $name(x: &[f32], y: &mut [MaybeUninit<f32>]) {
                use rten_simd::SimdUnaryOp;
                black_box($op.map(x, y));
            }
        )*
        const RTEN: &[fn(&[f32], &mut [MaybeUninit<f32>])] = &[$($name),*];
    };
}

ours! {
    ours_exp: |x, y| sa::exp(x, y);
    ours_erf: |x, y| sa::erf(x, y);
    ours_tanh: |x, y| sa::tanh(x, y);
    ours_sigmoid: |x, y| sa::sigmoid(x, y);
    ours_silu: |x, y| sa::silu(x, y);
    ours_gelu: |x, y| sa::gelu(x, y);
    ours_gelu_tanh: |x, y| sa::gelu_tanh(x, y);
    ours_softplus: |x, y| sa::softplus(x, y, 1.0, 20.0).unwrap();
    ours_mish: |x, y| sa::mish(x, y);
    ours_gelu_quick: |x, y| sa::gelu_quick(x, y);
}

rten! {
    rten_exp: rv::Exp {};
    rten_erf: rv::Erf {};
    rten_tanh: rv::Tanh {};
    rten_sigmoid: rv::Sigmoid {};
    rten_silu: rv::Silu {};
    rten_gelu: rv::Gelu {};
    rten_gelu_tanh: rv::ApproxGelu {};
    rten_gelu_quick: rv::Swish { alpha: 1.702 };
}

fn main() {
    let x: Vec<f32> = (0..4096).map(|i| (i as f32 - 2048.0) / 200.0).collect();
    let mut y = vec![0f32; x.len()];
    let mut uninit = vec![MaybeUninit::<f32>::uninit(); x.len()];
    for f in OURS {
        f(black_box(&x), black_box(&mut y));
    }
    for f in RTEN {
        f(black_box(&x), black_box(&mut uninit));
    }
    println!("{}", black_box(&y).iter().sum::<f32>());
}
