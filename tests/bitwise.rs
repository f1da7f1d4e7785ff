//! Every SIMD path returns exactly the scalar path's bits: on a strided sweep
//! of all bit patterns, on the special values, and for every length 0..=100 at
//! several alignments, in place and out of place, without touching memory
//! outside the slices.

mod common;

use common::{functions, on, scalar, simd_paths, specials, strided};
use simd_activations::{Activation, Isa};

fn assert_same_bits(name: &str, isa: Isa, x: &[f32], want: &[f32], got: &[f32]) {
    for i in 0..x.len() {
        assert_eq!(
            want[i].to_bits(),
            got[i].to_bits(),
            "{name} on {isa} at x = {:e} ({:#010x}): scalar {:e} ({:#010x}), {isa} {:e} ({:#010x})",
            x[i],
            x[i].to_bits(),
            want[i],
            want[i].to_bits(),
            got[i],
            got[i].to_bits()
        );
    }
}

#[test]
fn strided_sweep_matches_scalar() {
    // A prime stride visits every exponent and many mantissas of both signs.
    let x = strided(4099, 17);
    for (f, _) in functions() {
        let want = scalar(f, &x);
        for isa in simd_paths() {
            assert_same_bits(f.name(), isa, &x, &want, &on(f, isa, &x));
        }
    }
}

#[test]
fn special_values_match_scalar() {
    let x = specials();
    for (f, _) in functions() {
        let want = scalar(f, &x);
        for isa in simd_paths() {
            assert_same_bits(f.name(), isa, &x, &want, &on(f, isa, &x));
        }
    }
}

/// Lanes of one vector that need different ranges of a kernel (tiny, normal,
/// overflowing, subnormal results, NaN) side by side, at every rotation: a
/// result must not depend on its neighbours.
#[test]
fn mixed_lanes_match_scalar() {
    let base = [
        -120.0f32,
        0.5,
        -3.0,
        88.9,
        -1e-30,
        f32::NAN,
        9.5,
        -87.5,
        2.0,
        -14.1,
        f32::NEG_INFINITY,
        1e-40,
        -0.3,
        50.0,
        -100.0,
        0.0,
    ];
    for (f, _) in functions() {
        for rot in 0..base.len() {
            let mut x = base.to_vec();
            x.rotate_left(rot);
            x.extend_from_slice(&base[..rot]);
            let want = scalar(f, &x);
            for isa in simd_paths() {
                assert_same_bits(f.name(), isa, &x, &want, &on(f, isa, &x));
            }
        }
    }
}

/// Long runs of inputs within `|x| <= bound`, for each bound of a short form
/// (80 for `exp`, `sigmoid`, `silu`, `mish` and `softplus`, 48 for
/// `gelu_quick`; the main loop takes the short form for an iteration whose
/// every input is within it), the bound itself among them, with one lane
/// beyond it (just past the bound, far past it, infinite, NaN of either sign
/// and payload) at each position of the first iteration in turn: on every
/// path, scalar included, every lane is the function of its input alone,
/// computed by a call on that one element (which takes no main loop).
#[test]
fn one_lane_beyond_a_short_form_is_the_function_of_its_input() {
    const LEN: usize = 256;
    let alone = |f: Activation, v: f32| scalar(f, &[v])[0];
    for bound in [80.0f32, 48.0] {
        let mut state = 0x2545_f491_u32;
        let mut base: Vec<f32> = (0..LEN)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((state >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * bound
            })
            .collect();
        let below = f32::from_bits(bound.to_bits() - 1);
        base[..6].copy_from_slice(&[bound, -bound, below, -below, 0.0, -0.0]);
        let above = f32::from_bits(bound.to_bits() + 1);
        let beyond = [
            above,
            -above,
            bound + 1.0,
            -100.0,
            1e30,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::from_bits(0xff80_0001),
        ];
        for (f, _) in functions() {
            let base_want: Vec<f32> = base.iter().map(|&v| alone(f, v)).collect();
            for &odd in &beyond {
                let odd_want = alone(f, odd);
                for at in 0..64 {
                    let mut x = base.clone();
                    x[at] = odd;
                    let mut want = base_want.clone();
                    want[at] = odd_want;
                    for isa in Isa::available().iter().copied() {
                        assert_same_bits(f.name(), isa, &x, &want, &on(f, isa, &x));
                    }
                }
            }
        }
    }
}

const GUARD: f32 = 12345.678;

/// `f(x)` on `isa`, out of place or in place, written into the middle of a
/// buffer with `GUARD` values on both sides (the output starting `offset`
/// floats past a 16-float margin); asserts the guards are untouched.
fn guarded(f: Activation, isa: Isa, x: &[f32], offset: usize, in_place: bool) -> Vec<f32> {
    let (start, len) = (16 + offset, x.len());
    let mut buf = vec![GUARD; len + 2 * 16 + offset];
    let out = &mut buf[start..start + len];
    if in_place {
        out.copy_from_slice(x);
        f.forward_inplace_on(isa, out).unwrap();
    } else {
        f.forward_on(isa, x, out).unwrap();
    }
    assert!(
        buf[..start]
            .iter()
            .chain(&buf[start + len..])
            .all(|v| *v == GUARD),
        "{} on {isa} (in place: {in_place}) wrote outside a slice of length {len}",
        f.name()
    );
    buf[start..start + len].to_vec()
}

#[test]
fn every_length_and_alignment_matches_scalar_in_bounds() {
    let pool: Vec<f32> = (0..140)
        .map(|i| ((i as f32) * 0.731 - 45.0) * if i % 3 == 0 { 0.1 } else { 1.0 })
        .collect();
    for (f, _) in functions() {
        for isa in Isa::available().iter().copied() {
            for offset in 0..4 {
                for len in 0..=100 {
                    let x = &pool[offset..offset + len];
                    let want = scalar(f, x);
                    let got = guarded(f, isa, x, offset, false);
                    assert_same_bits(f.name(), isa, x, &want, &got);
                    // In place too, where the parameters allow it.
                    if f.validate_inplace().is_ok() {
                        let got = guarded(f, isa, x, offset, true);
                        assert_same_bits(f.name(), isa, x, &want, &got);
                    }
                }
            }
        }
    }
}

/// `N` floats in a buffer of `GUARD` values whose output part starts
/// `offset` floats past a cache line (so 0, 3, 8 and 12 start the loop on a
/// line, off it and half a line off it on AVX2); `write` fills the part, and
/// the guards must be untouched.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn line_guarded(len: usize, offset: usize, write: impl FnOnce(&mut [f32])) -> Vec<f32> {
    let mut buf = vec![GUARD; len + 64];
    let base = buf.as_ptr().align_offset(64) + offset;
    write(&mut buf[base..base + len]);
    assert!(
        buf[..base]
            .iter()
            .chain(&buf[base + len..])
            .all(|v| *v == GUARD),
        "wrote outside a slice of length {len} at offset {offset}"
    );
    buf[base..base + len].to_vec()
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn assert_bits_eq(what: &str, want: &[f32], got: &[f32]) {
    let same = want
        .iter()
        .zip(got)
        .all(|(a, b)| a.to_bits() == b.to_bits());
    assert!(same && want.len() == got.len(), "{what}");
}

/// Outputs larger than the caches, which the functions bound by memory store
/// past them (one input, two inputs, the gated rows, the channels of
/// `prelu` and the bias epilogue):
/// the scalar path's bits at output offsets that start the loop on, off and
/// half off a cache line, with a tail, and nothing written outside the
/// slice. (64 MiB out, 32 MiB for the gated rows: above the largest cache
/// of many CPUs, which decides whether a call streams, so that on the
/// others they test plain stores; only the x86 paths stream.)
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn outputs_larger_than_the_caches_match_scalar() {
    use simd_activations::{GatedUnit, frelu_on, prelu_on};
    const N: usize = (64 << 20) / 4 + 37;
    let x: Vec<f32> = (0..N)
        .map(|i| match i % 101 {
            3 => f32::NAN,
            _ => ((i % 2003) as f32 - 1001.0) * 0.013,
        })
        .collect();
    let t: Vec<f32> = x.iter().rev().map(|v| v * 0.5).collect();
    let memory_bound = [
        "relu",
        "relu6",
        "hardtanh",
        "leaky_relu",
        "identity",
        "step",
    ];
    let mut seen = 0;
    for (f, _) in functions() {
        if !memory_bound.contains(&f.name()) {
            continue;
        }
        seen += 1;
        let want = scalar(f, &x);
        for isa in simd_paths() {
            for offset in [0, 3, 8, 12] {
                let got = line_guarded(N, offset, |y| f.forward_on(isa, &x, y).unwrap());
                assert_bits_eq(
                    &format!("{} on {isa} at offset {offset}", f.name()),
                    &want,
                    &got,
                );
            }
        }
    }
    assert!(seen >= memory_bound.len(), "{seen} functions tested");
    // Two inputs; the gated rows and the channels of `prelu`, whose blocks
    // decide as one call (rows and runs of an odd length, so that each
    // starts at another offset in its line).
    let half = 4093;
    let rows = N / half;
    let two = |isa: Isa, y: &mut [f32]| frelu_on(isa, &x, &t, y).unwrap();
    let gated = |isa: Isa, y: &mut [f32]| {
        let x = &x[..2 * half * (rows / 2)];
        GatedUnit::ReGlu
            .forward_rows_on(isa, x, y, half, false)
            .unwrap();
    };
    let (channels, inner) = (4, half);
    let per_channel = &x[..channels * inner * (N / (channels * inner))];
    let prelu = |isa: Isa, y: &mut [f32]| {
        prelu_on(isa, per_channel, y, &t[..channels], channels, inner).unwrap();
    };
    let want_two = line_guarded(N, 0, |y| two(Isa::Scalar, y));
    let want_gated = line_guarded(half * (rows / 2), 0, |y| gated(Isa::Scalar, y));
    let want_prelu = line_guarded(per_channel.len(), 0, |y| prelu(Isa::Scalar, y));
    for isa in simd_paths() {
        for offset in [0, 3, 8, 12] {
            let what = |f: &str| format!("{f} on {isa} at offset {offset}");
            let got = line_guarded(N, offset, |y| two(isa, y));
            assert_bits_eq(&what("frelu"), &want_two, &got);
            let got = line_guarded(want_gated.len(), offset, |y| gated(isa, y));
            assert_bits_eq(&what("reglu rows"), &want_gated, &got);
            let got = line_guarded(want_prelu.len(), offset, |y| prelu(isa, y));
            assert_bits_eq(&what("prelu"), &want_prelu, &got);
        }
    }
    // The bias epilogue (on the dispatched path) against adding first.
    let bias = &t[..half];
    let x = &x[..half * rows];
    let added: Vec<f32> = x
        .iter()
        .zip(bias.iter().cycle())
        .map(|(a, b)| a + b)
        .collect();
    let want = scalar(Activation::Relu, &added);
    for offset in [0, 3, 8, 12] {
        let got = line_guarded(x.len(), offset, |y| {
            Activation::Relu.forward_bias(x, bias, y).unwrap()
        });
        assert_bits_eq(&format!("relu with a bias at offset {offset}"), &want, &got);
    }
}
