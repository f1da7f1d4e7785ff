//! The `_par` entry points (the `rayon` feature) give the one-thread calls'
//! bits, on odd lengths and offsets, and their errors.

mod common;

use simd_activations::{Activation, CALLER_WORKS_MAX, CHUNK, Error, GatedUnit, PARALLEL_MIN, bf16};

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|f| f.to_bits()).collect()
}

use common::{SNAN, fresh, kept};

fn inputs(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| ((i as f32) * 0.001_3).sin() * 30.0 + if i % 7 == 0 { 1e-39 } else { 0.0 })
        .collect()
}

#[test]
fn parallel_calls_give_the_one_thread_bits() {
    let x = inputs(3 * CHUNK + PARALLEL_MIN + 1003);
    for (f, _) in common::functions() {
        for (offset, len) in [
            (0, x.len() - 3),
            (1, x.len() - 5),
            (3, PARALLEL_MIN + 1),
            (5, PARALLEL_MIN + 7),
            (2, 999),
        ] {
            let x = &x[offset..offset + len];
            let mut want = vec![0.0; len];
            f.forward(x, &mut want).unwrap();
            let mut buffer = vec![0.0; len + 1];
            let y = &mut buffer[1..];
            f.forward_par(x, y).unwrap();
            assert_eq!(bits(y), bits(&want), "{f:?}, {len} at {offset}");
            if f.validate_inplace().is_ok() {
                let mut z = x.to_vec();
                f.forward_inplace_par(&mut z).unwrap();
                assert_eq!(bits(&z), bits(&want), "{f:?} in place");
            }
        }
    }
}

/// The three ways a call is split: the caller taking pieces beside the
/// pool's workers (up to `CALLER_WORKS_MAX` elements), the whole slice handed
/// to the pool (above), and a call from inside a pool; and several callers at
/// once, each with its own pieces.
#[test]
fn every_way_of_splitting_gives_the_one_thread_bits() {
    let x = inputs(CALLER_WORKS_MAX + CHUNK + 1001);
    let check = |f: Activation, x: &[f32]| {
        let mut want = vec![0.0; x.len()];
        f.forward(x, &mut want).unwrap();
        let mut y = vec![0.0; x.len()];
        f.forward_par(x, &mut y).unwrap();
        assert_eq!(bits(&y), bits(&want), "{f:?}, {} elements", x.len());
    };
    for f in [Activation::Gelu, Activation::Relu] {
        check(f, &x);
        check(f, &x[3..CALLER_WORKS_MAX - 5]);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        pool.install(|| check(f, &x[1..5 * CHUNK + 7]));
        std::thread::scope(|s| {
            for k in 0..3 {
                let x = &x[k..k + 4 * CHUNK + 13 * k];
                s.spawn(move || check(f, x));
            }
        });
    }
}

#[test]
fn parallel_gated_units_give_the_one_thread_bits() {
    let g = inputs(3 * CHUNK + PARALLEL_MIN + 11);
    let u: Vec<f32> = g.iter().rev().map(|v| v * 0.3).collect();
    for &unit in GatedUnit::ALL {
        let mut want = vec![0.0; g.len()];
        unit.forward(&g, &u, &mut want).unwrap();
        let mut y = vec![0.0; g.len()];
        unit.forward_par(&g, &u, &mut y).unwrap();
        assert_eq!(bits(&y), bits(&want), "{unit}");
        let mut y = g.clone();
        unit.forward_inplace_par(&mut y, &u).unwrap();
        assert_eq!(bits(&y), bits(&want), "{unit} in place");
        // Rows of [gate | up], 1021 outputs each, in bf16.
        let half_len = 1021;
        let rows = g.len() / (2 * half_len);
        let x: Vec<bf16> = g[..rows * 2 * half_len]
            .iter()
            .map(|&v| bf16::from_f32(v))
            .collect();
        let mut a = vec![bf16::ZERO; rows * half_len];
        let mut b = vec![bf16::ZERO; rows * half_len];
        // [gate | up] on even units, [up | gate] on odd ones.
        let swapped = GatedUnit::ALL.iter().position(|u| *u == unit).unwrap() % 2 == 1;
        unit.forward_rows(&x, &mut a, half_len, swapped).unwrap();
        unit.forward_rows_par(&x, &mut b, half_len, swapped)
            .unwrap();
        assert!(
            a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()),
            "{unit} rows"
        );
        let mut c = fresh(rows * half_len, bf16::from_bits(0x7f81));
        let c = unit
            .forward_rows_uninit_par(&x, &mut c, half_len, swapped)
            .unwrap();
        assert!(
            a.iter()
                .zip(c.iter())
                .all(|(p, q)| p.to_bits() == q.to_bits()),
            "{unit} rows, uninitialized output"
        );
    }
}

#[test]
fn parallel_rows_give_the_one_thread_bits() {
    let x = inputs(2 * PARALLEL_MIN + 3 * 1021);
    for row_len in [1021, 7, 40_000, x.len()] {
        let n = x.len() / row_len * row_len;
        let x = &x[..n];
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        simd_activations::softmax(x, &mut a, row_len).unwrap();
        simd_activations::softmax_par(x, &mut b, row_len).unwrap();
        assert_eq!(bits(&a), bits(&b), "softmax rows of {row_len}");
        simd_activations::log_softmax(x, &mut a, row_len).unwrap();
        simd_activations::log_softmax_par(x, &mut b, row_len).unwrap();
        assert_eq!(bits(&a), bits(&b), "log_softmax rows of {row_len}");
        b.copy_from_slice(x);
        simd_activations::log_softmax_inplace_par(&mut b, row_len).unwrap();
        assert_eq!(
            bits(&a),
            bits(&b),
            "log_softmax in place, rows of {row_len}"
        );
        let mut c = fresh(n, SNAN);
        let c = simd_activations::log_softmax_uninit_par(x, &mut c, row_len).unwrap();
        assert_eq!(
            bits(&a),
            bits(c),
            "log_softmax uninitialized, rows of {row_len}"
        );
        simd_activations::softmax(x, &mut a, row_len).unwrap();
        b.copy_from_slice(x);
        simd_activations::softmax_inplace_par(&mut b, row_len).unwrap();
        assert_eq!(bits(&a), bits(&b), "softmax in place, rows of {row_len}");
        let mut c = fresh(n, SNAN);
        let c = simd_activations::softmax_uninit_par(x, &mut c, row_len).unwrap();
        assert_eq!(
            bits(&a),
            bits(c),
            "softmax uninitialized, rows of {row_len}"
        );
    }
}

/// The row functions on `bf16` and `f16` on all cores: the one-thread
/// bits, masked or not, in place or not, on rows that `softmax` keeps in
/// its stack buffer and on longer ones.
#[test]
fn parallel_half_rows_give_the_one_thread_bits() {
    use simd_activations::{Mask, MaskedRows, f16};
    let x = inputs(2 * PARALLEL_MIN + 3 * 1021);
    for row_len in [1021, 5003] {
        let n = x.len() / row_len * row_len;
        let xb: Vec<bf16> = x[..n].iter().map(|&v| bf16::from_f32(v)).collect();
        let xh: Vec<f16> = x[..n].iter().map(|&v| f16::from_f32(v)).collect();
        let per_row: Vec<f16> = (0..n)
            .map(|i| f16::from_f32(if i % 4 == 0 { f32::NEG_INFINITY } else { -0.5 }))
            .collect();
        let one_row: Vec<bf16> = (0..row_len)
            .map(|i| {
                bf16::from_f32(if i >= row_len / 2 {
                    f32::NEG_INFINITY
                } else {
                    0.25
                })
            })
            .collect();
        let same =
            |a: &[bf16], b: &[bf16]| a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits());
        let what = format!("rows of {row_len}");
        let (mut a, mut b) = (vec![bf16::ZERO; n], vec![bf16::ZERO; n]);
        simd_activations::softmax(&xb, &mut a, row_len).unwrap();
        simd_activations::softmax_par(&xb, &mut b, row_len).unwrap();
        assert!(same(&a, &b), "bf16 softmax, {what}");
        b.copy_from_slice(&xb);
        simd_activations::softmax_inplace_par(&mut b, row_len).unwrap();
        assert!(same(&a, &b), "bf16 softmax in place, {what}");
        simd_activations::log_softmax(&xb, &mut a, row_len).unwrap();
        simd_activations::log_softmax_par(&xb, &mut b, row_len).unwrap();
        assert!(same(&a, &b), "bf16 log_softmax, {what}");
        b.copy_from_slice(&xb);
        simd_activations::log_softmax_inplace_par(&mut b, row_len).unwrap();
        assert!(same(&a, &b), "bf16 log_softmax in place, {what}");
        let mut c = fresh(n, bf16::from_bits(0x7f81));
        let c = simd_activations::log_softmax_uninit_par(&xb, &mut c, row_len).unwrap();
        assert!(same(&a, c), "bf16 log_softmax uninitialized, {what}");
        let options = (0.125, Mask::Row(&one_row), MaskedRows::Zero);
        simd_activations::softmax_masked(&xb, &mut a, row_len, options).unwrap();
        b.copy_from_slice(&xb);
        simd_activations::softmax_masked_inplace_par(&mut b, row_len, options).unwrap();
        assert!(same(&a, &b), "bf16 masked softmax in place, {what}");
        let options = (0.125, Mask::PerRow(&per_row), MaskedRows::Uniform);
        let (mut a, mut b) = (vec![f16::ZERO; n], vec![f16::ZERO; n]);
        simd_activations::softmax_masked(&xh, &mut a, row_len, options).unwrap();
        simd_activations::softmax_masked_par(&xh, &mut b, row_len, options).unwrap();
        assert!(
            a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()),
            "f16 masked softmax, {what}"
        );
        let mut c = fresh(n, f16::from_bits(0x7c01));
        let c = simd_activations::softmax_masked_uninit_par(&xh, &mut c, row_len, options);
        assert!(
            a.iter()
                .zip(c.unwrap().iter())
                .all(|(p, q)| p.to_bits() == q.to_bits()),
            "f16 masked softmax uninitialized, {what}"
        );
    }
}

#[test]
fn parallel_errors_write_nothing() {
    let x = inputs(PARALLEL_MIN * 2);
    let mut y = vec![5.0f32; x.len()];
    let bad = Activation::Celu { alpha: 0.0 };
    assert!(matches!(
        bad.forward_par(&x, &mut y),
        Err(Error::InvalidParameter { .. })
    ));
    let shape = simd_activations::softmax_par(&x, &mut y, 3);
    assert!(matches!(shape, Err(Error::InvalidShape { .. })));
    let shape = simd_activations::softmax_inplace_par(&mut y, 3);
    assert!(matches!(shape, Err(Error::InvalidShape { .. })));
    assert!(y.iter().all(|v| *v == 5.0));
    let mut c = fresh(x.len(), SNAN);
    let shape = simd_activations::log_softmax_uninit_par(&x, &mut c, 3);
    assert!(matches!(shape, Err(Error::InvalidShape { .. })));
    // Gated rows of [gate | up] long enough to split, with a half length
    // that does not divide the output.
    let shape = GatedUnit::SwiGlu.forward_rows_uninit_par(&x, &mut c[..x.len() / 2], 3, false);
    assert!(matches!(shape, Err(Error::InvalidShape { .. })));
    assert!(kept(&c, SNAN, f32::to_bits));
}

/// The attention softmax on all cores: each piece of whole rows takes its
/// part of a mask per row, and every error is found before a piece runs.
#[test]
fn parallel_masked_rows_give_the_one_thread_bits() {
    use simd_activations::{Mask, MaskedRows};
    let x = inputs(2 * PARALLEL_MIN + 3 * 1021);
    for row_len in [1021, 7, 40_000] {
        let n = x.len() / row_len * row_len;
        let x = &x[..n];
        // Hide every 5th row entirely, and a stripe of the others.
        let per_row: Vec<f32> = (0..n)
            .map(|i| match ((i / row_len) % 5, i % 3) {
                (0, _) => f32::NEG_INFINITY,
                (_, 0) => -1.5,
                _ => 0.25,
            })
            .collect();
        let masks = [
            Mask::None,
            Mask::Row(&per_row[row_len..2 * row_len]),
            Mask::PerRow(&per_row),
        ];
        for (mask, hidden) in
            masks
                .into_iter()
                .zip([MaskedRows::Zero, MaskedRows::Uniform, MaskedRows::Zero])
        {
            let options = (0.125, mask, hidden);
            let what = format!("rows of {row_len}, {mask:?}");
            let what = &what[..what.len().min(60)];
            let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
            simd_activations::softmax_masked(x, &mut a, row_len, options).unwrap();
            simd_activations::softmax_masked_par(x, &mut b, row_len, options).unwrap();
            assert_eq!(bits(&a), bits(&b), "softmax, {what}");
            b.copy_from_slice(x);
            simd_activations::softmax_masked_inplace_par(&mut b, row_len, options).unwrap();
            assert_eq!(bits(&a), bits(&b), "softmax in place, {what}");
            let mut c = fresh(n, SNAN);
            let c = simd_activations::softmax_masked_uninit_par(x, &mut c, row_len, options);
            assert_eq!(bits(&a), bits(c.unwrap()), "softmax uninitialized, {what}");
            simd_activations::log_softmax_masked(x, &mut a, row_len, options).unwrap();
            simd_activations::log_softmax_masked_par(x, &mut b, row_len, options).unwrap();
            assert_eq!(bits(&a), bits(&b), "log_softmax, {what}");
            b.copy_from_slice(x);
            simd_activations::log_softmax_masked_inplace_par(&mut b, row_len, options).unwrap();
            assert_eq!(bits(&a), bits(&b), "log_softmax in place, {what}");
            let mut c = fresh(n, SNAN);
            let c = simd_activations::log_softmax_masked_uninit_par(x, &mut c, row_len, options);
            assert_eq!(
                bits(&a),
                bits(c.unwrap()),
                "log_softmax uninitialized, {what}"
            );
        }
    }
    // Errors in calls large enough to split: found before any piece runs
    // (a mask per row one short would leave the last piece without its
    // part), so nothing is written.
    let mut y = vec![5.0f32; x.len()];
    let short_mask = vec![0.0f32; x.len() - 1];
    let shape = |e: Error| matches!(e, Error::InvalidShape { .. });
    let parameter = |e: Error| matches!(e, Error::InvalidParameter { .. });
    let bad: [(_, _, &dyn Fn(Error) -> bool); 3] = [
        (
            1,
            (1.0, Mask::PerRow(&short_mask), MaskedRows::Zero),
            &shape,
        ),
        (
            1,
            (1.0, Mask::Row(&short_mask[..2]), MaskedRows::Zero),
            &shape,
        ),
        (1, (f32::NAN, Mask::None, MaskedRows::Zero), &parameter),
    ];
    let mut c = fresh(x.len(), SNAN);
    for (row_len, options, kind) in bad {
        let what = format!("{options:?}");
        let r = simd_activations::softmax_masked_par(&x, &mut y, row_len, options);
        assert!(kind(r.unwrap_err()), "{what}");
        let r = simd_activations::log_softmax_masked_inplace_par(&mut y, row_len, options);
        assert!(kind(r.unwrap_err()), "{what}");
        assert!(y.iter().all(|v| *v == 5.0), "{what}");
        let r = simd_activations::softmax_masked_uninit_par(&x, &mut c, row_len, options);
        assert!(kind(r.unwrap_err()), "{what}");
        let r = simd_activations::log_softmax_masked_uninit_par(&x, &mut c, row_len, options);
        assert!(kind(r.unwrap_err()), "{what}");
        let untouched = kept(&c, SNAN, f32::to_bits);
        assert!(untouched, "{what}");
    }
}
