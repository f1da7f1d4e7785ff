//! rten-vecmath, the peer every figure is compared with, on a chosen path:
//! through its own dispatch, or on its AVX2 branch through rten-simd's
//! public ISA type (its dispatch picks AVX-512 wherever the CPU has it).
//! Shared by the command and the benchmarks.

use rten_simd::SimdUnaryOp;
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

/// `op` over `x` into `y` on `path`.
fn rten_map<Op: SimdUnaryOp<f32>>(op: Op, path: RtenPath, x: &[f32], y: &mut [MaybeUninit<f32>]) {
    match path {
        RtenPath::Dispatch => drop(black_box(op.map(x, y))),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Avx2Isa` exists only where AVX2, FMA and F16C are
        // available, the features `rten_avx2::map` is compiled with.
        RtenPath::Avx2(isa) => unsafe { rten_avx2::map(isa, &op, x, y) },
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
    struct Map<'a, 'b, Op> {
        op: &'a Op,
        x: &'a [f32],
        y: &'b mut [MaybeUninit<f32>],
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

    /// `op` over `x` into `y` with AVX2 instructions.
    ///
    /// # Safety
    /// The CPU must support AVX2, FMA and F16C (an `Avx2Isa` proves it).
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn map<Op: SimdUnaryOp<f32>>(
        isa: Avx2Isa,
        op: &Op,
        x: &[f32],
        y: &mut [MaybeUninit<f32>],
    ) {
        Map { op, x, y }.eval(isa)
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
