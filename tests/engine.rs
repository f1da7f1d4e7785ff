//! The calling conventions of inference engines: outputs that are not
//! initialized, and the bias-and-activation epilogue of a matrix product on a
//! tile with a leading dimension.

mod common;

use simd_activations::{Activation, Error};
use std::mem::MaybeUninit;

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|f| f.to_bits()).collect()
}

fn inputs(n: usize) -> Vec<f32> {
    let mut x = common::specials();
    x.extend(common::strided(1 << 20, 5));
    x.extend((0..n).map(|i| (i as f32 * 0.37).sin() * 12.0));
    x
}

#[test]
fn uninitialized_outputs_get_forwards_bits() {
    let x = inputs(1000);
    for (f, _) in common::functions() {
        let mut want = vec![0.0; x.len()];
        f.forward(&x, &mut want).unwrap();
        let mut buffer = fresh(x.len());
        let y = f.forward_uninit(&x, &mut buffer).unwrap();
        assert_eq!(bits(y), bits(&want), "{f:?}");
    }
}

/// A fresh `f32` output of `n` elements holding signalling NaNs
/// ([`common::fresh`]): the forms below must overwrite every element.
fn fresh(n: usize) -> Vec<MaybeUninit<f32>> {
    common::fresh(n, common::SNAN)
}

/// The other `_uninit` forms (two inputs, the channels of `prelu`, mixed
/// element types, the bias epilogue, the gated rows, and all cores) give
/// the bits of the forms with an initialized output, each into a fresh
/// buffer.
#[test]
fn every_uninit_form_gives_the_initialized_forms_bits() {
    use simd_activations::{GatedUnit, Isa, bf16};
    let x = inputs(70_000);
    let n = x.len();
    assert!(n > 2 * simd_activations::CHUNK, "the all-cores forms split");
    let t: Vec<f32> = x.iter().rev().copied().collect();
    let mut want = vec![0.0f32; n];

    simd_activations::frelu(&x, &t, &mut want);
    let got = simd_activations::frelu_uninit(&x, &t, &mut fresh(n))
        .unwrap()
        .to_vec();
    assert_eq!(bits(&got), bits(&want), "frelu");
    for isa in Isa::available().iter().copied() {
        let got = simd_activations::frelu_uninit_on(isa, &x, &t, &mut fresh(n))
            .unwrap()
            .to_vec();
        assert_eq!(bits(&got), bits(&want), "frelu on {isa}");
    }

    let (channels, inner) = (4, 7);
    let m = n / (channels * inner) * channels * inner;
    let weight = [0.5, -0.25, 2.0, 0.0];
    simd_activations::prelu(&x[..m], &mut want[..m], &weight, channels, inner).unwrap();
    let mut y = fresh(m);
    let got = simd_activations::prelu_uninit(&x[..m], &mut y, &weight, channels, inner).unwrap();
    assert_eq!(bits(got), bits(&want[..m]), "prelu");

    // Mixed types both ways: f32 into bf16, and bf16 into f32 (which widens
    // into the output before the kernel runs there).
    let f = Activation::Gelu;
    let mut want16 = vec![bf16::ZERO; n];
    f.forward_mixed(&x, &mut want16).unwrap();
    let mut y16 = vec![MaybeUninit::new(bf16::from_bits(0x7f81)); n];
    let got = f.forward_mixed_uninit(&x, &mut y16).unwrap();
    let same16 = got
        .iter()
        .zip(&want16)
        .all(|(a, b)| a.to_bits() == b.to_bits());
    assert!(same16, "mixed f32 into bf16");
    f.forward_mixed(&want16, &mut want).unwrap();
    let got = f
        .forward_mixed_uninit(&want16, &mut fresh(n))
        .unwrap()
        .to_vec();
    assert_eq!(bits(&got), bits(&want), "mixed bf16 into f32");

    let cols = 29;
    let m = n / cols * cols;
    let bias: Vec<f32> = (0..cols).map(|c| c as f32 * 0.125 - 2.0).collect();
    f.forward_bias(&x[..m], &bias, &mut want[..m]).unwrap();
    let mut y = fresh(m);
    let got = f.forward_bias_uninit(&x[..m], &bias, &mut y).unwrap();
    assert_eq!(bits(got), bits(&want[..m]), "bias");

    let unit = GatedUnit::SwiGlu;
    let half = 37;
    let rows = n / (2 * half);
    let xr = &x[..rows * 2 * half];
    unit.forward_rows(xr, &mut want[..rows * half], half, true)
        .unwrap();
    let mut y = fresh(rows * half);
    let got = unit.forward_rows_uninit(xr, &mut y, half, true).unwrap();
    assert_eq!(bits(got), bits(&want[..rows * half]), "gated rows");

    // On all cores: above the threshold, so split.
    f.forward(&x, &mut want).unwrap();
    let got = f.forward_uninit_par(&x, &mut fresh(n)).unwrap().to_vec();
    assert_eq!(bits(&got), bits(&want), "forward on all cores");
    unit.forward(&x, &t, &mut want).unwrap();
    let got = unit
        .forward_uninit_par(&x, &t, &mut fresh(n))
        .unwrap()
        .to_vec();
    assert_eq!(bits(&got), bits(&want), "gated on all cores");
}

#[test]
fn uninitialized_outputs_are_not_written_on_error() {
    let x = [1.0f32; 8];
    let mut y = [MaybeUninit::new(7.0f32); 8];
    let err = Activation::Celu { alpha: 0.0 }.forward_uninit(&x, &mut y);
    assert!(matches!(err, Err(Error::InvalidParameter { .. })));
    // SAFETY: every element was initialized above, and the functions store only
    // values of the type.
    assert!(y.iter().all(|v| unsafe { v.assume_init() } == 7.0));
}

const GUARD: f32 = -12345.5;

/// A tile of `rows` rows of `cols` elements `ld` apart, with guards in the
/// gaps, and a bias row.
fn tile(rows: usize, cols: usize, ld: usize) -> (Vec<f32>, Vec<f32>) {
    let x = inputs(rows * ld);
    let mut y = vec![GUARD; rows * ld];
    for r in 0..rows {
        y[r * ld..r * ld + cols].copy_from_slice(&x[r * ld..r * ld + cols]);
    }
    let bias = (0..cols).map(|c| (c as f32 - 7.5) * 0.25).collect();
    (y, bias)
}

#[test]
fn bias_epilogue_is_adding_then_activating_and_leaves_the_gaps() {
    for (f, _) in common::functions() {
        for (rows, cols, ld) in [
            (3, 37, 40),
            (5, 1, 3),
            (1, 100, 100),
            (7, 16, 33),
            (0, 4, 4),
        ] {
            let (mut y, bias) = tile(rows, cols, ld);
            let mut want = y.clone();
            for r in 0..rows {
                let row = &mut want[r * ld..r * ld + cols];
                for (v, b) in row.iter_mut().zip(&bias) {
                    *v += b;
                }
                if f.validate_inplace().is_ok() {
                    f.forward_inplace(row).unwrap();
                }
            }
            let result = f.forward_bias_inplace(&mut y, &bias, rows, cols, ld);
            if f.validate_inplace().is_err() {
                assert!(result.is_err(), "{f:?}");
                continue;
            }
            result.unwrap();
            assert_eq!(bits(&y), bits(&want), "{f:?} on [{rows}, {cols}, {ld}]");
        }
    }
}

/// A bias epilogue whose sums stay within `|x| <= bound` (for each bound of a
/// short form, tested on the sum: 80 for `exp`, `sigmoid`, `silu`, `mish` and
/// `softplus`, 48 for `gelu_quick`) but for one, pushed past it, to infinity
/// or to NaN by the bias, at each position of the first iterations in turn:
/// every element is the function of its own sum, computed by a call on that
/// one element.
#[test]
fn a_bias_that_takes_one_sum_beyond_a_short_form_changes_that_element_alone() {
    for bound in [80.0f32, 48.0] {
        bias_beyond_a_short_form(bound);
    }
}

/// `x + t` rounded, with the documented rule for a NaN sum: a NaN `x`, else
/// a NaN `t`, else the positive quiet NaN (the host's addition gives
/// `inf + -inf` the sign bit on x86).
fn sum(x: f32, t: f32) -> f32 {
    match (x.is_nan(), t.is_nan(), (x + t).is_nan()) {
        (true, _, _) => x,
        (_, true, _) => t,
        (_, _, true) => f32::NAN,
        _ => x + t,
    }
}

/// The test above for one bound: inputs within three quarters of it and
/// biases within a quarter.
fn bias_beyond_a_short_form(bound: f32) {
    const COLS: usize = 256;
    let x: Vec<f32> = (0..COLS)
        .map(|c| ((c as f32 * 0.618).fract() * 2.0 - 1.0) * 0.75 * bound)
        .collect();
    let bias: Vec<f32> = (0..COLS)
        .map(|c| ((c % 39) as f32 - 19.0) / 19.0 * 0.24 * bound)
        .collect();
    let beyond = [
        (bound - 10.0, 20.0),
        (1.0 - bound, -2.0),
        (3e38, 3e38),
        (f32::INFINITY, f32::NEG_INFINITY),
        (f32::NAN, 0.0),
        (f32::from_bits(0xffc0_1234), f32::from_bits(0x7f80_0042)),
        (1.0, f32::from_bits(0xff80_0042)),
    ];
    for (f, _) in common::functions() {
        if f.validate_inplace().is_err() {
            continue;
        }
        let alone = |v: f32| {
            let mut y = [v];
            f.forward_inplace(&mut y).unwrap();
            y[0]
        };
        let want: Vec<f32> = x
            .iter()
            .zip(&bias)
            .map(|(&v, &b)| alone(sum(v, b)))
            .collect();
        for &(xv, bv) in &beyond {
            for at in 0..80 {
                let (mut y, mut b) = (x.clone(), bias.clone());
                y[at] = xv;
                b[at] = bv;
                let mut want = want.clone();
                want[at] = alone(sum(xv, bv));
                f.forward_bias_inplace(&mut y, &b, 1, COLS, COLS).unwrap();
                assert_eq!(bits(&y), bits(&want), "{f:?} with {xv:e} + {bv:e} at {at}");
            }
        }
    }
}

#[test]
fn contiguous_bias_form_matches_the_tile_form() {
    let cols = 24;
    for (f, _) in common::functions() {
        let (x, bias) = tile(9, cols, cols);
        let mut y = vec![0.0; x.len()];
        let mut z = x.clone();
        let out = f.forward_bias(&x, &bias, &mut y);
        let inplace = f.forward_bias_inplace(&mut z, &bias, 9, cols, cols);
        if inplace.is_ok() {
            out.unwrap();
            assert_eq!(bits(&y), bits(&z), "{f:?}");
        }
    }
}

#[test]
fn tiles_that_do_not_fit_are_errors_and_nothing_is_written() {
    let f = Activation::Gelu;
    let bias = [0.5f32; 4];
    let mut y = vec![1.0f32; 20];
    let shapes = [
        (2, 4, 3), // ld < cols
        (5, 4, 5), // (5 - 1) * 5 + 4 = 24 > 20
        (2, 5, 5), // bias.len() != cols
        (usize::MAX, 4, usize::MAX),
    ];
    for (rows, cols, ld) in shapes {
        let err = f.forward_bias_inplace(&mut y, &bias, rows, cols, ld);
        assert!(
            matches!(err, Err(Error::InvalidShape { .. })),
            "{rows} {cols} {ld}"
        );
        assert!(y.iter().all(|v| *v == 1.0));
    }
    let mut out = vec![1.0f32; 20];
    let err = f.forward_bias(&y, &[0.5; 3], &mut out);
    assert!(matches!(err, Err(Error::InvalidShape { .. })));
    assert!(out.iter().all(|v| *v == 1.0));
    // An empty bias is refused whatever the length, an empty call as any
    // other.
    let err = f.forward_bias(&y, &[], &mut out);
    assert!(matches!(err, Err(Error::InvalidShape { .. })));
    assert!(out.iter().all(|v| *v == 1.0));
    let err = f.forward_bias(&[], &[], &mut []);
    assert!(matches!(err, Err(Error::InvalidShape { .. })));
    assert!(f.forward_bias(&[], &[0.5; 3], &mut []).is_ok());
}

#[test]
fn an_empty_tile_touches_nothing_whatever_its_row_count() {
    // No columns: nothing is read or written, so any row count and stride
    // fits even an empty slice, in Rust as in C.
    let f = Activation::Gelu;
    let mut empty: [f32; 0] = [];
    for (rows, ld) in [(0, 0), (1, 0), (7, 3), (usize::MAX, usize::MAX)] {
        f.forward_bias_inplace(&mut empty, &[], rows, 0, ld)
            .unwrap();
        let c = simd_activations::capi::SaActivation {
            function: Activation::ALL
                .iter()
                .position(|g| g.name() == "gelu")
                .unwrap() as u32,
            params: [0.0; 2],
        };
        // SAFETY: no element is read or written for an empty tile.
        let status = unsafe {
            simd_activations::capi::sa_activation_bias_inplace(
                c,
                core::ptr::null_mut(),
                core::ptr::null(),
                rows,
                0,
                ld,
            )
        };
        assert_eq!(status, simd_activations::capi::SA_OK, "{rows} {ld}");
    }
    // Columns but no rows: the same.
    f.forward_bias_inplace(&mut empty, &[0.5; 4], 0, 4, 9)
        .unwrap();
    // Rows of no columns fit a slice of any length; a tile with columns
    // still needs its extent.
    let mut y = [1.0f32; 6];
    assert!(f.forward_bias_inplace(&mut y, &[], 2, 0, 1).is_ok());
    let short = f.forward_bias_inplace(&mut y, &[0.5], 3, 1, 3);
    assert!(
        matches!(short, Err(Error::InvalidShape { .. })),
        "{short:?}"
    );
    assert_eq!(y, [1.0; 6]);
}

#[test]
fn gated_units_into_uninitialized_outputs_get_forwards_bits_on_every_path() {
    use simd_activations::{GatedUnit, Isa, bf16};
    let gate = inputs(333);
    let up: Vec<f32> = gate.iter().map(|g| (g * 0.3).cos() * 3.0).collect();
    let (gate_h, up_h): (Vec<bf16>, Vec<bf16>) = (
        gate.iter().map(|&v| bf16::from_f32(v)).collect(),
        up.iter().map(|&v| bf16::from_f32(v)).collect(),
    );
    for unit in GatedUnit::ALL {
        let mut want = vec![0.0; gate.len()];
        unit.forward(&gate, &up, &mut want).unwrap();
        let mut want_h = vec![bf16::ZERO; gate.len()];
        unit.forward(&gate_h, &up_h, &mut want_h).unwrap();
        let mut buffer = fresh(gate.len());
        let got = unit.forward_uninit(&gate, &up, &mut buffer).unwrap();
        assert_eq!(bits(got), bits(&want), "{unit:?}");
        for &isa in Isa::ALL {
            // Signalling NaNs, which no unit gives.
            let mut y = fresh(gate.len());
            let bf16_snan = bf16::from_bits(0x7f81);
            let mut y_h = common::fresh(gate.len(), bf16_snan);
            match unit.forward_uninit_on(isa, &gate, &up, &mut y) {
                Ok(got) => {
                    assert!(isa.is_available(), "{unit:?} {isa:?}");
                    assert_eq!(bits(got), bits(&want), "{unit:?} {isa:?}");
                }
                Err(e) => {
                    assert!(!isa.is_available(), "{unit:?} {isa:?}: {e}");
                    assert!(common::kept(&y, common::SNAN, f32::to_bits));
                }
            }
            match unit.forward_uninit_on(isa, &gate_h, &up_h, &mut y_h) {
                Ok(got) => {
                    let same = got
                        .iter()
                        .zip(&want_h)
                        .all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(isa.is_available() && same, "{unit:?} {isa:?} bf16");
                }
                Err(e) => {
                    assert!(!isa.is_available(), "{unit:?} {isa:?} bf16: {e}");
                    let kept = common::kept(&y_h, bf16_snan, |h| h.to_bits().into());
                    assert!(kept, "{unit:?} {isa:?} bf16");
                }
            }
        }
    }
}
