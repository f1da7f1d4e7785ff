//! Reproducibility across machines: for a fixed input set (a strided sweep of
//! all bit patterns plus the special values), a digest of each function's
//! output bits is committed here. Every path on every architecture (scalar,
//! AVX2 and AVX-512 on x86-64; scalar and NEON on aarch64) must produce it.
//!
//! A kernel change that moves any output bit fails this test; update the
//! digest deliberately, with the new value the failure message prints.

mod common;

use simd_activations::{Activation, Isa};

/// 64-bit FNV-1a over the little-endian bytes of the output bits.
fn digest(y: &[f32]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for v in y {
        for b in v.to_bits().to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

fn inputs() -> Vec<f32> {
    let mut x = common::strided(65_537, 11);
    x.extend(common::specials());
    x
}

/// The committed digests.
fn expected() -> Vec<(Activation, u64)> {
    vec![
        (Activation::Exp, 0),
        (Activation::Erf, 0),
        (Activation::Tanh, 0),
        (Activation::Sigmoid, 0),
        (Activation::Silu, 0),
        (Activation::Gelu, 0),
        (Activation::GeluTanh, 0),
        (Activation::Mish, 0),
        (
            Activation::Softplus {
                beta: 1.0,
                threshold: 20.0,
            },
            0,
        ),
        (
            Activation::Softplus {
                beta: 2.0,
                threshold: 20.0,
            },
            0,
        ),
    ]
}

#[test]
fn outputs_match_the_committed_digests_on_every_path() {
    let x = inputs();
    let mut failures = Vec::new();
    for (f, want) in expected() {
        for &isa in Isa::available() {
            let got = digest(&common::on(f, isa, &x));
            if got != want {
                failures.push(format!(
                    "{} {:?} on {isa}: digest {got:#018x}, committed {want:#018x}",
                    f.name(),
                    f
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
