//! Reproducibility across machines: for a fixed input set (a strided sweep of
//! all bit patterns plus the special values), a digest of each function's
//! output bits is committed here. Every path on every architecture (scalar,
//! AVX2 and AVX-512 on x86-64; scalar and NEON on aarch64) must produce it.
//!
//! The digests of the elementwise functions are in the table of activations
//! (`src/table.rs`), one per parameter set the tests run. A kernel change
//! that moves any output bit fails this test; update the digest
//! deliberately, with the new value the failure message prints.

mod common;

use simd_activations::{GatedUnit, Isa, reference};

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

#[test]
fn outputs_match_the_committed_digests_on_every_path() {
    let x = inputs();
    let mut failures = Vec::new();
    for (f, want) in reference::cases() {
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

/// The row and two-input functions on the same inputs, the sweep shortened
/// so that the whole is a multiple of 1110 elements (as rows of 37 and of
/// 1000 finite values, and as `[outer, 3, 5]` with three weights), and the
/// gated units on the whole input set, on every path: (name, digest of the
/// output).
fn other_functions(isa: Isa) -> Vec<(&'static str, u64)> {
    // The input set with its sweep shortened to a multiple of 1110 elements
    // in all (rows of 37, blocks of 3 x 5), the specials kept at its end.
    let specials = common::specials();
    let mut x = common::strided(65_537, 11);
    x.truncate((x.len() + specials.len()) / 1110 * 1110 - specials.len());
    x.extend(specials);
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
    // The gated units: the gate the whole input set (the specials at its
    // end), `up` alternately the same set reversed (the specials at its
    // start) and a moderate value, so that most products are finite and
    // nonzero.
    let gate = inputs();
    let moderate = [1.0f32, -0.75, 1.999_999_9, 3.0e-3, -41.0, 0.5, 7.25e5];
    let up: Vec<f32> = gate
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &v)| if i % 2 == 0 { v } else { moderate[i / 2 % 7] })
        .collect();
    let mut y = vec![0.0; gate.len()];
    for &unit in GatedUnit::ALL {
        unit.forward_on(isa, &gate, &up, &mut y).unwrap();
        out.push((unit.name(), digest(&y)));
    }
    out
}

/// The committed digests of [`other_functions`].
fn other_expected() -> Vec<(&'static str, u64)> {
    vec![
        ("softmax rows of 37", 0x19df_e610_495d_6db0),
        ("log_softmax rows of 37", 0x776f_81d3_eec6_017d),
        ("softmax rows of 1000", 0xb6ef_6200_8ab6_c604),
        ("log_softmax rows of 1000", 0x3aa9_1ddb_115a_6af6),
        ("prelu [_, 3, 5]", 0xbee7_a148_be81_65d9),
        ("frelu", 0x8df0_daf0_619d_252a),
        ("swiglu", 0x2a65_8b39_5677_4e2c),
        ("geglu", 0x19d0_4211_35d9_13ef),
        ("geglu_tanh", 0xca36_1f80_9159_0931),
        ("geglu_quick", 0x3f49_7120_7c98_2f18),
        ("reglu", 0x5e2c_98e5_c5b0_f12d),
    ]
}

#[test]
fn row_and_two_input_functions_match_the_committed_digests_on_every_path() {
    let mut failures = Vec::new();
    for &isa in Isa::available() {
        let (got, want) = (other_functions(isa), other_expected());
        assert_eq!(got.len(), want.len(), "one committed digest per output");
        for ((name, got), (want_name, want)) in got.into_iter().zip(want) {
            assert_eq!(name, want_name, "on {isa}");
            if got != want {
                failures.push(format!(
                    "{name} on {isa}: digest {got:#018x}, committed {want:#018x}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
