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
        (Activation::Exp, 0x6af1_e708_caea_1ad8),
        (Activation::Erf, 0x08eb_8bef_a602_3052),
        (Activation::Tanh, 0x1265_646b_f2bb_5ed7),
        (Activation::Sigmoid, 0xdb33_0e32_d573_1e0a),
        (Activation::Silu, 0x6cda_0710_965f_719d),
        (Activation::Gelu, 0x26d0_5d64_b4c6_6a8b),
        (Activation::GeluTanh, 0xbb96_f8b5_2ee9_e39b),
        (Activation::Mish, 0xeb74_518c_fed5_c0d5),
        (
            Activation::Softplus {
                beta: 1.0,
                threshold: 20.0,
            },
            0xd0be_a4fd_6165_3ad4,
        ),
        (
            Activation::Softplus {
                beta: 2.0,
                threshold: 20.0,
            },
            0xf080_3d38_40c0_0754,
        ),
        (Activation::Relu, 0x56ba_6f7d_2611_b691),
        (Activation::Relu6, 0x1571_21ac_96bc_bbe3),
        (
            Activation::LeakyRelu {
                negative_slope: 0.01,
            },
            0x7011_f932_c695_1e76,
        ),
        (
            Activation::Hardtanh {
                min_val: -1.0,
                max_val: 1.0,
            },
            0xa9f3_13df_4ffa_af37,
        ),
        (Activation::Hardsigmoid, 0x46c9_e916_1179_1598),
        (Activation::Hardswish, 0x4fb4_815f_48df_8906),
        (Activation::Softsign, 0xc0d1_0936_746a_26cf),
        (Activation::Identity, 0x427b_5580_ba27_56db),
        (Activation::Step { at_zero: 0.5 }, 0xdb35_4712_6ddc_71ff),
        (Activation::Elu { alpha: 1.0 }, 0x3bad_e8ec_feef_99bd),
        (Activation::Selu, 0xf29f_58ef_0536_48aa),
        (Activation::Celu { alpha: 1.0 }, 0xc292_bcd1_dd42_d0de),
        (Activation::Celu { alpha: -0.75 }, 0xfad0_bd6f_fae1_b686),
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

/// The row and two-input functions on the same inputs (as rows of 37 and of
/// 1000 finite values, and as `[outer, 3, 5]` with three weights), on every
/// path: (name, digest of the output).
fn other_functions(isa: Isa) -> Vec<(&'static str, u64)> {
    let mut x = inputs();
    x.truncate(x.len() / 1110 * 1110);
    let finite: Vec<f32> = x
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .take(50_000)
        .collect();
    let mut y = vec![0.0; x.len()];
    let mut out = Vec::new();
    simd_activations::softmax_on(isa, &x, &mut y, 37).unwrap();
    out.push(("softmax rows of 37", digest(&y)));
    simd_activations::log_softmax_on(isa, &x, &mut y, 37).unwrap();
    out.push(("log_softmax rows of 37", digest(&y)));
    let mut z = vec![0.0; finite.len()];
    simd_activations::softmax_on(isa, &finite, &mut z, 1000).unwrap();
    out.push(("softmax rows of 1000", digest(&z)));
    simd_activations::log_softmax_on(isa, &finite, &mut z, 1000).unwrap();
    out.push(("log_softmax rows of 1000", digest(&z)));
    simd_activations::prelu_on(isa, &x, &mut y, &[0.25, -1.5, 0.0], 3, 5).unwrap();
    out.push(("prelu [_, 3, 5]", digest(&y)));
    let t: Vec<f32> = x.iter().rev().copied().collect();
    simd_activations::frelu_on(isa, &x, &t, &mut y).unwrap();
    out.push(("frelu", digest(&y)));
    out
}

/// The committed digests of [`other_functions`].
fn other_expected() -> Vec<(&'static str, u64)> {
    vec![
        ("softmax rows of 37", 0xee14_bddc_b01e_abd8),
        ("log_softmax rows of 37", 0x710d_94c1_1768_1980),
        ("softmax rows of 1000", 0xb6ef_6200_8ab6_c604),
        ("log_softmax rows of 1000", 0x3aa9_1ddb_115a_6af6),
        ("prelu [_, 3, 5]", 0x5b42_3c96_f225_36f5),
        ("frelu", 0x5ca5_b69a_4287_9e62),
    ]
}

#[test]
fn row_and_two_input_functions_match_the_committed_digests_on_every_path() {
    let mut failures = Vec::new();
    for &isa in Isa::available() {
        for ((name, got), (_, want)) in other_functions(isa).into_iter().zip(other_expected()) {
            if got != want {
                failures.push(format!(
                    "{name} on {isa}: digest {got:#018x}, committed {want:#018x}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
