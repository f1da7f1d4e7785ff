//! The register-level API returns the slice functions' bits, whatever target
//! features the build enables (CI runs the suite in a default x86-64 build,
//! where a register function picks its path per call, and for aarch64,
//! where NEON is inlined as `-C target-cpu=native` inlines AVX2 on x86).
//! Each register function is also checked against the scalar path by a unit
//! test declared with it from the table.

mod common;

use simd_activations::{Activation, Isa, register};
use wide::f32x8;

#[test]
fn register_softplus_matches_and_validates() {
    let x: Vec<f32> = (0..64).map(|i| i as f32 * 0.75 - 24.0).collect();
    let act = Activation::Softplus {
        beta: 2.0,
        threshold: 10.0,
    };
    let want = common::on(act, Isa::Scalar, &x);
    for (chunk, want) in x.chunks_exact(8).zip(want.chunks_exact(8)) {
        let v = f32x8::new(chunk.try_into().unwrap());
        let got = register::softplus(v, 2.0, 10.0).unwrap().to_array();
        assert_eq!(got, <[f32; 8]>::try_from(want).unwrap());
    }
    assert!(register::softplus(f32x8::ZERO, -1.0, 20.0).is_err());
}

#[test]
fn forward_f32x8_covers_every_function() {
    // The specials first: the last partial register is left out.
    let x: Vec<f32> = common::specials()
        .into_iter()
        .chain(common::strided(1_048_573, 5))
        .collect();
    for (act, _) in common::functions() {
        let want = common::on(act, Isa::Scalar, &x);
        for (chunk, want) in x.chunks_exact(8).zip(want.chunks_exact(8)) {
            let v = f32x8::new(chunk.try_into().unwrap());
            let got = act.forward_f32x8(v).unwrap().to_array();
            for i in 0..8 {
                assert_eq!(
                    got[i].to_bits(),
                    want[i].to_bits(),
                    "{:?} at {:e}",
                    act,
                    chunk[i]
                );
            }
        }
    }
    assert!(
        Activation::Celu { alpha: 0.0 }
            .forward_f32x8(f32x8::ZERO)
            .is_err()
    );
}

#[test]
fn blocks_of_registers_give_the_slice_functions_bits() {
    // The specials first: the last partial register is left out.
    let x: Vec<f32> = common::specials()
        .into_iter()
        .chain(common::strided(1_048_573, 5))
        .collect();
    let n = x.len() / 8;
    for (f, _) in common::functions() {
        let mut want = x[..n * 8].to_vec();
        let expected = f.forward_inplace(&mut want);
        let mut block: Vec<f32x8> = x[..n * 8]
            .chunks_exact(8)
            .map(|c| f32x8::new(c.try_into().unwrap()))
            .collect();
        assert_eq!(f.forward_f32x8_block(&mut block), expected, "{f:?}");
        if expected.is_ok() {
            let got: Vec<u32> = block
                .iter()
                .flat_map(|v| v.to_array())
                .map(f32::to_bits)
                .collect();
            let want: Vec<u32> = want.iter().map(|v| v.to_bits()).collect();
            assert_eq!(got, want, "{f:?}");
        }
    }
    let mut block = [f32x8::splat(-1.0); 3];
    register::block::gelu(&mut block).unwrap();
    assert_eq!(
        block[2].to_array(),
        register::gelu(f32x8::splat(-1.0)).to_array()
    );
    assert!(register::block::celu(&mut block, 0.0).is_err());
}
