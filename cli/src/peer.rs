//! rten-vecmath, the peer every figure is compared with, on a chosen path:
//! through its own dispatch, or on its AVX2 branch through rten-simd's
//! public ISA type (its dispatch picks AVX-512 wherever the CPU has it).
//! Shared by the command and the benchmarks.

use rten_simd::{SimdOp, SimdUnaryOp};
use simd_activations::{Activation, Isa};
use std::hint::black_box;
use std::mem::MaybeUninit;

/// Where rten-vecmath runs: its own dispatch (AVX-512 on a CPU that has it)
/// or its AVX2 branch.
#[derive(Clone, Copy)]
pub enum RtenPath {
    Dispatch,
    #[cfg(target_arch = "x86_64")]
    Avx2(rten_simd::isa::Avx2Isa),
}

/// rten-vecmath's version of `f` on `path`, where it has one.
pub fn rten(f: Activation, path: RtenPath, x: &[f32], y: &mut [MaybeUninit<f32>]) -> bool {
    use rten_vecmath as rv;
    match f {
        Activation::Exp => rten_map(rv::Exp {}, path, x, y),
        Activation::Erf => rten_map(rv::Erf {}, path, x, y),
        Activation::Tanh => rten_map(rv::Tanh {}, path, x, y),
        Activation::Sigmoid => rten_map(rv::Sigmoid {}, path, x, y),
        Activation::Silu => rten_map(rv::Silu {}, path, x, y),
        Activation::Gelu => rten_map(rv::Gelu {}, path, x, y),
        Activation::GeluTanh => rten_map(rv::ApproxGelu {}, path, x, y),
        // `x sigmoid(alpha x)`, QuickGELU at `alpha = 1.702`.
        Activation::GeluQuick => rten_map(rv::Swish { alpha: 1.702 }, path, x, y),
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

/// rten-vecmath's softmax (its log-softmax where `log`) over each row of
/// `row_len` elements of `x` into `y`, on `path`.
pub fn rten_rows(log: bool, row_len: usize, path: RtenPath, x: &[f32], y: &mut [MaybeUninit<f32>]) {
    use rten_vecmath as rv;
    for (x, y) in x.chunks(row_len).zip(y.chunks_mut(row_len)) {
        if log {
            black_box(rten_eval(rv::LogSoftmax::new(x, y), path));
        } else {
            black_box(rten_eval(rv::Softmax::new(x, y), path));
        }
    }
}

/// `op` over `x` into `y` on `path`.
fn rten_map<Op: SimdUnaryOp<f32>>(op: Op, path: RtenPath, x: &[f32], y: &mut [MaybeUninit<f32>]) {
    match path {
        RtenPath::Dispatch => {
            black_box(op.map(x, y));
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Avx2Isa` exists only where AVX2, FMA and F16C are
        // available, the features `rten_avx2::eval` is compiled with.
        RtenPath::Avx2(isa) => unsafe { rten_avx2::eval(isa, rten_avx2::Map { op: &op, x, y }) },
    }
}

/// The operation `op` on `path`.
fn rten_eval<Op: SimdOp>(op: Op, path: RtenPath) -> Op::Output {
    match path {
        RtenPath::Dispatch => op.dispatch(),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as in `rten_map`.
        RtenPath::Avx2(isa) => unsafe { rten_avx2::eval(isa, op) },
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
    pub(super) struct Map<'a, 'b, Op> {
        pub(super) op: &'a Op,
        pub(super) x: &'a [f32],
        pub(super) y: &'b mut [MaybeUninit<f32>],
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

    /// `op` with AVX2 instructions (rten-simd's operations inline into
    /// this function, as into its own dispatch's).
    ///
    /// # Safety
    /// The CPU must support AVX2, FMA and F16C (an `Avx2Isa` proves it).
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn eval<Op: SimdOp>(isa: Avx2Isa, op: Op) -> Op::Output {
        op.eval(isa)
    }
}

/// rten-vecmath's path for our path `isa`, where it has one: its own
/// dispatch for the most capable path (AVX-512 or NEON), its AVX2 branch
/// for AVX2, none for scalar.
pub fn path_for(isa: Isa) -> Option<RtenPath> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => rten_simd::isa::Avx2Isa::new().map(RtenPath::Avx2),
        Isa::Avx512 | Isa::Neon => Some(RtenPath::Dispatch),
        _ => None,
    }
}
