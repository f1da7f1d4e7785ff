//! `softmax` and `log_softmax` over rows: max ULP against the float64
//! softmax of the whole row, the same bits on every path for every row length
//! (the sum's order does not depend on the vector width), in place and out
//! of place, the special rows, and exact zeros only where the math underflows.

mod common;

use rand::{RngExt, SeedableRng};
use simd_activations as sa;
use simd_activations::{Isa, reference};

const SOFTMAX_BOUND: f64 = 2.0;
const LOG_SOFTMAX_BOUND: f64 = 1.0;
const GUARD: f32 = 12345.678;

type RowFn = fn(Isa, &[f32], &mut [f32], usize) -> Result<(), sa::Error>;
type RowInPlace = fn(Isa, &mut [f32], usize) -> Result<(), sa::Error>;
type RowReference = fn(&[f32]) -> Vec<f64>;

fn flavors() -> [(&'static str, RowFn, RowInPlace, RowReference, f64); 2] {
    [
        (
            "softmax",
            sa::softmax_on,
            sa::softmax_inplace_on,
            reference::softmax,
            SOFTMAX_BOUND,
        ),
        (
            "log_softmax",
            sa::log_softmax_on,
            sa::log_softmax_inplace_on,
            reference::log_softmax,
            LOG_SOFTMAX_BOUND,
        ),
    ]
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|f| f.to_bits()).collect()
}

/// Max error of `f` over the rows of `x` (every path must agree bit for bit).
fn check_rows(x: &[f32], row_len: usize, what: &str) {
    for (name, f, f_inplace, reference, bound) in flavors() {
        let mut y = vec![0.0; x.len()];
        f(Isa::Scalar, x, &mut y, row_len).unwrap();
        for &isa in Isa::available() {
            let mut z = vec![0.0; x.len()];
            f(isa, x, &mut z, row_len).unwrap();
            assert_eq!(bits(&y), bits(&z), "{name} on {isa}, {what}");
            let mut w = x.to_vec();
            f_inplace(isa, &mut w, row_len).unwrap();
            assert_eq!(bits(&y), bits(&w), "{name} in place on {isa}, {what}");
        }
        for (r, row) in x.chunks(row_len).enumerate() {
            let want = reference(row);
            for i in 0..row_len {
                let got = y[r * row_len + i];
                let e = reference::ulp_error(got, want[i]);
                assert!(
                    e <= bound,
                    "{name}, {what}: row {r} entry {i} (x = {:e}): {got:e} vs {:e}, {e:.3} ULP",
                    row[i],
                    want[i]
                );
            }
        }
    }
}

fn random_rows(seed: u64, rows: usize, row_len: usize, scale: f32) -> Vec<f32> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..rows * row_len)
        .map(|_| rng.random_range(-scale..scale))
        .collect()
}

#[test]
fn random_rows_within_bound_on_every_path() {
    for (seed, row_len, scale) in [
        (1, 1, 10.0),
        (2, 2, 10.0),
        (3, 7, 30.0),
        (4, 16, 5.0),
        (5, 17, 50.0),
        (6, 128, 10.0),
        (7, 128, 100.0),
        (8, 333, 1.0),
        (9, 4096, 10.0),
        (10, 4099, 1e-3),
        (11, 32768, 10.0),
        (12, 100, 1e30),
        (13, 3 * 8192 + 21, 10.0),
    ] {
        let rows = (1 << 17) / row_len + 1;
        let x = random_rows(seed, rows, row_len, scale);
        check_rows(&x, row_len, &format!("rows of {row_len} in ±{scale}"));
    }
}

#[test]
fn hard_rows_within_bound() {
    let mut rows: Vec<Vec<f32>> = vec![
        // One entry dominates; the rest is tiny, subnormal or underflows.
        vec![
            0.0, -20.0, -40.0, -60.0, -80.0, -90.0, -100.0, -103.9, -104.5, -200.0,
        ],
        vec![5.0, -95.0, -98.0, -99.5, -101.0, -102.5, -103.0, -110.0],
        // The max far from zero: x - m is inexact for most entries.
        vec![1000.0, 999.9, 990.0, 950.1, 910.7, 903.3, 1e-3, -3.7, -1e-6],
        vec![-1e-3, -5.3, -7.77, -1e-7, -60.1, -0.0, 0.0],
        vec![3e38, -3e38, 3.4e38, 2.9e38, 1.0, -1e30],
        vec![-3.4e38, -3.4e38, -3e38],
        // Ties at the max, with tiny rest (log_softmax's hard case).
        vec![2.5, 2.5, 2.5, -30.0, -70.0, -95.0],
        vec![1e-40, -1e-40, 0.0, -0.0, 1e-45],
        // ln(sum) just above f32::MIN_POSITIVE: its low part is subnormal.
        vec![0.0, -86.20519],
        // -inf entries are masked positions.
        vec![f32::NEG_INFINITY, 1.0, f32::NEG_INFINITY, 2.0, -3.0],
    ];
    // Entries spaced so that every e_i is tiny against the sum.
    rows.push((0..200).map(|i| -(i as f32) * 0.53).collect());
    rows.push((0..1000).map(|i| -30.0 - (i as f32) * 1e-3).collect());
    for row in rows {
        let mut ext = row.clone();
        // The same row at an offset, so it meets the tail masks differently.
        ext.rotate_left(1);
        check_rows(&row, row.len(), &format!("row {row:?}"));
        check_rows(&ext, ext.len(), &format!("rotated row {ext:?}"));
    }
}

/// Rows whose max dominates, far from zero: `ln(sum)` is below `2^-15` of
/// the max (at most a few thousand of its ULPs), so the max's own result,
/// `-ln(sum)`, is small beside the max; `log_softmax` still keeps it within
/// 0.6 ULP (0.536 measured) on every path, and every entry within the bound.
/// Folding `max + ln(sum)` into one `f32` pair, as the other rows do, gives
/// 0.764 here.
#[test]
fn log_softmax_of_a_dominant_max_keeps_its_accuracy() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(77);
    let x: Vec<f32> = (0..4000)
        .flat_map(|_| {
            let m: f32 = rng.random_range(1e3..1e5);
            [
                m,
                m - rng.random_range(2.0..12.0),
                m - rng.random_range(2.0..12.0),
            ]
        })
        .collect();
    // Every entry within the bound, the same bits on every path.
    check_rows(&x, 3, "rows of a dominant max");
    let mut y = vec![0.0; x.len()];
    sa::log_softmax_on(Isa::Scalar, &x, &mut y, 3).unwrap();
    let mut worst = 0.0f64;
    let mut small_ln = 0;
    for (row, y) in x.chunks(3).zip(y.chunks(3)) {
        let want = reference::log_softmax(row);
        worst = worst.max(reference::ulp_error(y[0], want[0]));
        // want[0] = -ln(sum).
        small_ln += usize::from(-want[0] * 32768.0 < f64::from(row[0]));
    }
    assert!(
        small_ln > 3900,
        "only {small_ln} rows of 4000 have a small ln(sum)"
    );
    assert!(worst <= 0.6, "{worst:.4} ULP at the max");
}

#[test]
fn every_row_length_matches_scalar_in_bounds() {
    let pool = random_rows(42, 1, 2 * 140, 20.0);
    for (name, f, f_inplace, _, _) in flavors() {
        for row_len in 1..=70 {
            for rows in [1, 2, 3] {
                let n = rows * row_len;
                if n > 200 {
                    continue;
                }
                let x = &pool[5..5 + n];
                let mut want = vec![0.0; n];
                f(Isa::Scalar, x, &mut want, row_len).unwrap();
                for &isa in Isa::available() {
                    let mut buf = vec![GUARD; n + 32];
                    f(isa, x, &mut buf[16..16 + n], row_len).unwrap();
                    let mut inplace = vec![GUARD; n + 32];
                    inplace[16..16 + n].copy_from_slice(x);
                    f_inplace(isa, &mut inplace[16..16 + n], row_len).unwrap();
                    for out in [&buf, &inplace] {
                        assert!(
                            out[..16].iter().chain(&out[16 + n..]).all(|v| *v == GUARD),
                            "{name} on {isa} wrote outside {rows} rows of {row_len}"
                        );
                        assert_eq!(
                            bits(&out[16..16 + n]),
                            bits(&want),
                            "{name} {isa} {row_len}"
                        );
                    }
                }
            }
        }
    }
}

/// (row, softmax, log_softmax) for the special rows.
fn special_rows() -> Vec<(Vec<f32>, Vec<f32>, Vec<f32>)> {
    let inf = f32::INFINITY;
    let ln2 = std::f32::consts::LN_2;
    let ln3 = 3f32.ln();
    vec![
        (
            vec![inf, 1.0, inf, -inf],
            vec![0.5, 0.0, 0.5, 0.0],
            vec![-ln2, -inf, -ln2, -inf],
        ),
        (
            vec![1.0, inf, -5.0],
            vec![0.0, 1.0, 0.0],
            vec![-inf, 0.0, -inf],
        ),
        (vec![-inf, -inf, -inf], vec![1.0 / 3.0; 3], vec![-ln3; 3]),
        (vec![-inf], vec![1.0], vec![0.0]),
        (
            vec![-inf, 0.0, -inf],
            vec![0.0, 1.0, 0.0],
            vec![-inf, 0.0, -inf],
        ),
    ]
}

#[test]
fn uninit_forms_give_the_same_bits_and_write_nothing_on_error() {
    use std::mem::MaybeUninit;
    // Random rows, then each special row (NaN, +inf, only -inf) on its own.
    let mut cases = vec![(random_rows(11, 5, 1000, 30.0), 1000)];
    cases.extend(special_rows().into_iter().map(|(r, _, _)| {
        let len = r.len();
        (r, len)
    }));
    cases.push((vec![1.0, f32::NAN, 3.0, -2.0], 4));
    for (rows, row_len) in &cases {
        for &isa in Isa::available() {
            for (name, row, _, _, _) in flavors() {
                let mut want = vec![0.0; rows.len()];
                row(isa, rows, &mut want, *row_len).unwrap();
                // Signalling NaNs, which no row gives (a NaN row gives its
                // first NaN, quieted), so that an element left unwritten
                // is seen.
                let mut buf = common::fresh(rows.len(), common::SNAN);
                let spare = &mut buf[..];
                let got = if name == "softmax" {
                    sa::softmax_uninit_on(isa, rows, spare, *row_len)
                } else {
                    sa::log_softmax_uninit_on(isa, rows, spare, *row_len)
                }
                .unwrap();
                assert_eq!(bits(got), bits(&want), "{name}_uninit({rows:?}) on {isa}");
            }
        }
    }
    let rows = &cases[0].0;
    // Errors: nothing written (the buffer keeps its marker), lengths first.
    let mut y = vec![MaybeUninit::new(5.0f32); rows.len()];
    let shape = sa::softmax_uninit(rows, &mut y, 7);
    assert!(matches!(shape, Err(sa::Error::InvalidShape { .. })));
    let shape = sa::log_softmax_uninit(rows, &mut y, 0);
    assert!(matches!(shape, Err(sa::Error::InvalidShape { .. })));
    // SAFETY: every element was initialized above and not written since.
    assert!(y.iter().all(|v| unsafe { v.assume_init() } == 5.0));
    let lengths = std::panic::catch_unwind(|| {
        let mut y = vec![MaybeUninit::<f32>::uninit(); 3];
        let _ = sa::softmax_uninit(&[1.0, 2.0], &mut y, 0);
    });
    assert!(
        lengths.is_err(),
        "mismatched lengths panic before the row check"
    );
    let empty: &mut [MaybeUninit<f32>] = &mut [];
    assert!(sa::softmax_uninit(&[], empty, 4).unwrap().is_empty());
}

#[test]
fn special_rows_are_the_limits() {
    for (row, want, want_log) in special_rows() {
        for &isa in Isa::available() {
            let mut y = vec![0.0; row.len()];
            sa::softmax_on(isa, &row, &mut y, row.len()).unwrap();
            assert_eq!(bits(&y), bits(&want), "softmax({row:?}) on {isa} = {y:?}");
            sa::log_softmax_on(isa, &row, &mut y, row.len()).unwrap();
            assert_eq!(
                bits(&y),
                bits(&want_log),
                "log_softmax({row:?}) on {isa} = {y:?}"
            );
        }
    }
}

#[test]
fn a_nan_row_gives_its_first_nan_quieted() {
    let payload = f32::from_bits(0x7f80_0001);
    let x = [
        1.0f32,
        2.0,
        payload,
        f32::NAN,
        3.0,
        f32::INFINITY,
        4.0,
        5.0,
        6.0,
    ];
    let want = f32::from_bits(0x7fc0_0001);
    for (name, f, f_inplace, _, _) in flavors() {
        for &isa in Isa::available() {
            // Two rows: the NaN row, then a finite one that must not suffer.
            let mut x2 = x.to_vec();
            x2.extend_from_slice(&[0.5; 9]);
            let mut y = vec![0.0; 18];
            f(isa, &x2, &mut y, 9).unwrap();
            assert!(
                y[..9].iter().all(|v| same(*v, want)),
                "{name} on {isa}: {y:?}"
            );
            assert!(y[9..].iter().all(|v| !v.is_nan()));
            f_inplace(isa, &mut x2, 9).unwrap();
            assert_eq!(bits(&x2), bits(&y));
        }
    }
}

fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

#[test]
fn zeros_only_where_the_math_underflows() {
    // e^-103.9 / (1 + ...) is above half the smallest subnormal, e^-104.5
    // below it.
    let x = [0.0f32, -103.9, -104.5, -88.0];
    let mut y = [7.0f32; 4];
    sa::softmax(&x, &mut y, 4).unwrap();
    assert_eq!(y[1], f32::from_bits(1));
    assert_eq!(y[2], 0.0);
    assert!(y[3] > 0.0 && y[3] < f32::MIN_POSITIVE);
    // Large inputs do not overflow.
    let x = [88.0f32, 89.0, 3e38, 3.4e38];
    sa::softmax(&x, &mut y, 4).unwrap();
    assert!(y.iter().all(|v| v.is_finite()), "{y:?}");
    assert_eq!(y[3], 1.0);
}

#[test]
fn rows_sum_to_one_and_log_softmax_matches_log_of_softmax() {
    let x = random_rows(77, 64, 100, 8.0);
    let mut y = vec![0.0; x.len()];
    let mut l = vec![0.0; x.len()];
    sa::softmax(&x, &mut y, 100).unwrap();
    sa::log_softmax(&x, &mut l, 100).unwrap();
    for (row, lrow) in y.chunks(100).zip(l.chunks(100)) {
        let sum: f64 = row.iter().map(|&v| f64::from(v)).sum();
        assert!((sum - 1.0).abs() < 1e-5, "{sum}");
        for (a, b) in row.iter().zip(lrow) {
            assert!(
                (f64::from(*a).ln() - f64::from(*b)).abs() <= 1e-6 * f64::from(*b).abs().max(1.0)
            );
        }
    }
}

/// Rows whose max is `f32::MAX` or near it, with large, small and negative
/// other entries: `x - max` is huge and inexact, or overflows to `-inf`
/// (entries near `-f32::MAX`), and the exact difference `x - max` must not
/// overflow on the way.
#[test]
fn rows_at_the_top_of_the_range_within_bound_on_every_path() {
    let max = f32::MAX;
    let below = |k: u32| f32::from_bits(max.to_bits() - k);
    let rows: Vec<Vec<f32>> = vec![
        vec![max, 9.860_276e37],
        vec![9.860_276e37, max, 1.0],
        vec![max, 3e38, 1.7e38, 2.5e37, 1e30, 7.5, 1e-30, 0.0],
        vec![max, -1.0, -1e-30, -1e30, -1.7e38, -3e38, -max],
        vec![max, max, below(1), below(2), 2e38, -max],
        vec![-max, max, -max, 1.5e38, -1.5e38, 1.0],
        vec![below(1), 1.2e38, -2e38, 5.0, -max],
        vec![1.0, -max, 0.5],
        vec![-max, -max, -3e38],
    ];
    for row in rows {
        let mut ext = row.clone();
        ext.rotate_left(1);
        check_rows(&row, row.len(), &format!("row {row:?}"));
        check_rows(&ext, ext.len(), &format!("rotated row {ext:?}"));
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    for row_len in [2, 9, 33] {
        let mut x = Vec::new();
        for r in 0..4000 / row_len {
            let top = match r % 3 {
                0 => max,
                1 => below(rng.random_range(1..4)),
                _ => f32::from_bits(rng.random_range(0x7e80_0000..0x7f7f_ffff)),
            };
            let mut row: Vec<f32> = (0..row_len)
                .map(|_| match rng.random_range(0..6) {
                    0 => f32::from_bits(rng.random_range(0..0x7f7f_ffff)),
                    1 => -f32::from_bits(rng.random_range(0..0x7f7f_ffff)),
                    2 => top * rng.random_range(0.0f32..1.0),
                    3 => f32::from_bits(top.to_bits() - rng.random_range(0..3)),
                    4 => -max,
                    _ => rng.random_range(-100.0f32..100.0),
                })
                .map(|v| if v > top { top } else { v })
                .collect();
            row[rng.random_range(0..row_len)] = top;
            x.extend(row);
        }
        check_rows(
            &x,
            row_len,
            &format!("random rows of {row_len} up to f32::MAX"),
        );
    }
}

/// Rows of 2^24 + 37 entries (accumulation chunks, then a tail), every entry
/// within bound on every path: the sum of millions of `e^(x - max)` keeps
/// its accuracy, including when the rounding errors of the running sums all
/// have the same sign (entries with few distinct values).
#[test]
fn long_rows_within_bound_on_every_path() {
    let n = (1 << 24) + 37;
    // Nearly every entry gives the same `e^-1`; one entry is the max.
    let mut equal = vec![-1.0f32; n];
    equal[n / 3] = 0.0;
    let mut rows = vec![("equal entries, one max", equal)];
    // Under emulation (the aarch64 run) one row keeps the run time down;
    // every path runs the same operations in the same order.
    if !cfg!(target_arch = "aarch64") {
        rows.push(("uniform in ±10", random_rows(99, 1, n, 10.0)));
    }
    for (what, x) in rows {
        for (name, f, _, reference, bound) in flavors() {
            let want = reference(&x);
            let mut y = vec![0.0; n];
            f(Isa::Scalar, &x, &mut y, n).unwrap();
            // The sum's error moves every entry alike: a stride of entries,
            // the max and the tail show it (per-entry errors are the short
            // rows' business).
            let (worst, at) = (0..n)
                .step_by(61)
                .chain([n / 3])
                .chain(n - 100..n)
                .map(|i| (reference::ulp_error(y[i], want[i]), i))
                .fold(
                    (0.0, 0),
                    |(w, a), (e, i)| if e > w { (e, i) } else { (w, a) },
                );
            assert!(
                worst <= bound,
                "{name}, {what}: entry {at}: {:e} vs {:e}, {worst:.3} ULP",
                y[at],
                want[at]
            );
            for &isa in Isa::available().iter().filter(|&&isa| isa != Isa::Scalar) {
                let mut z = vec![0.0; n];
                f(isa, &x, &mut z, n).unwrap();
                assert!(bits(&y) == bits(&z), "{name} on {isa}, {what}");
            }
        }
    }
}

mod masked {
    use simd_activations::{
        self as sa, Error, Isa, Mask, MaskOptions, MaskedRows, log_softmax, softmax,
    };

    /// `f` on every path this CPU has, each from a copy of `y`: every path
    /// must give the same status and the same bits, which are left in `y`.
    fn every_path(
        y: &mut [f32],
        f: impl Fn(Isa, &mut [f32]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let start = y.to_vec();
        let mut first: Option<(Result<(), Error>, Vec<f32>)> = None;
        for &isa in Isa::available() {
            let mut out = start.clone();
            let r = f(isa, &mut out);
            match &first {
                None => first = Some((r, out)),
                Some((r0, o0)) => {
                    assert_eq!(format!("{r:?}"), format!("{r0:?}"), "status on {isa}");
                    assert_eq!(bits(&out), bits(o0), "bits on {isa}");
                }
            }
        }
        let (r, out) = first.expect("the scalar path at least");
        y.copy_from_slice(&out);
        r
    }

    /// The masked row functions as the tests below call them, on every path
    /// ([`every_path`]).
    fn softmax_masked(
        x: &[f32],
        y: &mut [f32],
        row_len: usize,
        o: MaskOptions<'_, f32>,
    ) -> Result<(), Error> {
        every_path(y, |isa, y| sa::softmax_masked_on(isa, x, y, row_len, o))
    }

    /// See [`softmax_masked`].
    fn log_softmax_masked(
        x: &[f32],
        y: &mut [f32],
        row_len: usize,
        o: MaskOptions<'_, f32>,
    ) -> Result<(), Error> {
        every_path(y, |isa, y| sa::log_softmax_masked_on(isa, x, y, row_len, o))
    }

    /// See [`softmax_masked`].
    fn softmax_masked_inplace(
        x: &mut [f32],
        row_len: usize,
        o: MaskOptions<'_, f32>,
    ) -> Result<(), Error> {
        every_path(x, |isa, x| {
            sa::softmax_masked_inplace_on(isa, x, row_len, o)
        })
    }

    /// See [`softmax_masked`].
    fn log_softmax_masked_inplace(
        x: &mut [f32],
        row_len: usize,
        o: MaskOptions<'_, f32>,
    ) -> Result<(), Error> {
        every_path(x, |isa, x| {
            sa::log_softmax_masked_inplace_on(isa, x, row_len, o)
        })
    }

    fn bits(v: &[f32]) -> Vec<u32> {
        v.iter().map(|f| f.to_bits()).collect()
    }

    /// `scale * v + m`, each operation rounded, as an engine would write it,
    /// with the documented rule for a NaN: a NaN `v`, else a NaN `m`, else
    /// the positive quiet NaN (the host's `0 * inf` or `inf + -inf` has the
    /// sign bit on x86).
    fn formed(scale: f32, v: f32, m: f32) -> f32 {
        match (v.is_nan(), m.is_nan(), (scale * v + m).is_nan()) {
            (true, _, _) => v,
            (_, true, _) => m,
            (_, _, true) => f32::NAN,
            _ => scale * v + m,
        }
    }

    /// [`formed`] over `x`, the mask repeated.
    fn scaled(x: &[f32], mask: &[f32], scale: f32) -> Vec<f32> {
        x.iter()
            .zip(mask.iter().cycle())
            .map(|(&v, &m)| formed(scale, v, m))
            .collect()
    }

    #[test]
    fn scale_and_mask_are_scaling_then_adding_then_softmax() {
        let row_len = 37;
        let x: Vec<f32> = (0..row_len * 5)
            .map(|i| ((i * 7919) % 101) as f32 * 0.3 - 15.0)
            .collect();
        let causal: Vec<f32> = (0..row_len)
            .map(|i| {
                if i % 3 == 0 {
                    f32::NEG_INFINITY
                } else {
                    -0.5 * i as f32
                }
            })
            .collect();
        let per_row: Vec<f32> = (0..x.len()).map(|i| (i % 11) as f32 * 0.25).collect();
        for scale in [1.0, 0.125, -2.0] {
            for (mask, full) in [
                (Mask::Row(&causal), &causal),
                (Mask::PerRow(&per_row), &per_row),
            ] {
                let z = scaled(&x, full, scale);
                let (mut want, mut got) = (vec![0.0; x.len()], vec![0.0; x.len()]);
                softmax(&z, &mut want, row_len).unwrap();
                softmax_masked(&x, &mut got, row_len, (scale, mask, MaskedRows::Zero)).unwrap();
                assert_eq!(bits(&got), bits(&want), "softmax, scale {scale}");
                log_softmax(&z, &mut want, row_len).unwrap();
                log_softmax_masked(&x, &mut got, row_len, (scale, mask, MaskedRows::Zero)).unwrap();
                assert_eq!(bits(&got), bits(&want), "log_softmax, scale {scale}");
            }
            let z: Vec<f32> = x.iter().map(|v| scale * v).collect();
            let (mut want, mut got) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            softmax(&z, &mut want, row_len).unwrap();
            softmax_masked(
                &x,
                &mut got,
                row_len,
                (scale, Mask::None, MaskedRows::Uniform),
            )
            .unwrap();
            assert_eq!(bits(&got), bits(&want), "no mask, scale {scale}");
        }
    }

    /// A scale without a mask on rows that test its max: products that
    /// overflow to infinity or round to zero or to the same value, ties of
    /// `-0.0` and `+0.0`, `-inf`, NaN and `f32::MAX` entries, each scale
    /// sign: the bits of scaling first, then calling the row function.
    #[test]
    fn a_scale_alone_is_scaling_then_the_row_function_on_hard_rows() {
        let row_len = 67;
        let mut x: Vec<f32> = (0..row_len * 6)
            .map(|i| ((i * 7919) % 211) as f32 * 0.7 - 70.0)
            .collect();
        // Row 1: ties at the max after rounding; row 2: zeros of both signs
        // as the max; row 3: -inf entries and f32::MAX; row 4: a NaN; row 5:
        // only tiny values.
        x[row_len + 5] = 1e38;
        x[row_len + 40] = 1.000_000_1e38;
        for v in &mut x[2 * row_len..3 * row_len] {
            *v = -v.abs() - 1.0;
        }
        x[2 * row_len + 3] = -0.0;
        x[2 * row_len + 9] = 0.0;
        x[3 * row_len + 1] = f32::NEG_INFINITY;
        x[3 * row_len + 20] = f32::MAX;
        x[4 * row_len + 33] = f32::NAN;
        for (k, v) in x[5 * row_len..].iter_mut().enumerate() {
            *v = f32::from_bits(k as u32 * 3) - 1e-44;
        }
        for scale in [
            1.0,
            0.125,
            3.0e-39,
            1e-45,
            7.5,
            1e30,
            f32::MAX,
            0.0,
            -0.0,
            -2.0,
            -f32::MAX,
        ] {
            let z: Vec<f32> = x.iter().map(|&v| formed(scale, v, -0.0)).collect();
            let (mut want, mut got) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            softmax(&z, &mut want, row_len).unwrap();
            softmax_masked(&x, &mut got, row_len, (scale, Mask::None, MaskedRows::Zero)).unwrap();
            assert_eq!(bits(&got), bits(&want), "softmax, scale {scale:e}");
            log_softmax(&z, &mut want, row_len).unwrap();
            log_softmax_masked(&x, &mut got, row_len, (scale, Mask::None, MaskedRows::Zero))
                .unwrap();
            assert_eq!(bits(&got), bits(&want), "log_softmax, scale {scale:e}");
        }
    }

    /// Many rows (several thousand elements, in place and not), some hidden
    /// entirely (runs of them, first and last among them), a NaN and
    /// infinities in the input: every row as scaling, adding its mask and
    /// calling the row function on it alone.
    #[test]
    fn masked_rows_of_a_long_slice_match_row_by_row() {
        let row_len = 37;
        let rows = 700;
        let mut x: Vec<f32> = (0..row_len * rows)
            .map(|i| ((i * 7919) % 1009) as f32 * 0.05 - 25.0)
            .collect();
        x[5 * row_len + 3] = f32::NAN;
        x[9 * row_len + 1] = f32::INFINITY;
        x[11 * row_len + 2] = f32::NEG_INFINITY;
        let hidden =
            |r: usize| r == 0 || r == rows - 1 || (200..230).contains(&r) || r.is_multiple_of(97);
        let mask: Vec<f32> = (0..x.len())
            .map(|i| {
                if hidden(i / row_len) || i % 5 == 0 {
                    f32::NEG_INFINITY
                } else {
                    (i % 7) as f32 * -0.5
                }
            })
            .collect();
        masked_matches_row_by_row(&x, &mask, row_len, 0.125, hidden);
    }

    /// Causal-style masks (a visible prefix whose length grows row by row)
    /// and a hidden run inside the row hide whole vectors of every width
    /// at every alignment, which pass 2 skips: the result must still be
    /// the row function's on `scale * x + mask`, bit for bit.
    #[test]
    fn hidden_runs_inside_visible_rows_match_row_by_row() {
        let row_len = 300;
        let rows = 48;
        let x: Vec<f32> = (0..row_len * rows)
            .map(|i| ((i * 7919) % 1009) as f32 * 0.05 - 25.0)
            .collect();
        let mask: Vec<f32> = (0..x.len())
            .map(|i| {
                let (r, c) = (i / row_len, i % row_len);
                let past_prefix = c > 6 * r + 1;
                let in_run = (40 + r..40 + 3 * r).contains(&c);
                if past_prefix || in_run {
                    f32::NEG_INFINITY
                } else {
                    (c % 3) as f32 * -0.25
                }
            })
            .collect();
        masked_matches_row_by_row(&x, &mask, row_len, 0.125, |_| false);
    }

    /// `softmax_masked` and `log_softmax_masked` (a mask per row, hidden
    /// rows giving zeros), out of place and in place, against the row
    /// functions on `scale * x + mask` row by row, bit for bit; the rows
    /// `hidden` names are hidden entirely by the mask.
    fn masked_matches_row_by_row(
        x: &[f32],
        mask: &[f32],
        row_len: usize,
        scale: f32,
        hidden: impl Fn(usize) -> bool,
    ) {
        for log in [false, true] {
            let mut want = vec![0.0f32; x.len()];
            for (r, out) in want.chunks_mut(row_len).enumerate() {
                let range = r * row_len..(r + 1) * row_len;
                let z = scaled(&x[range.clone()], &mask[range], scale);
                if hidden(r) {
                    out.fill(if log { f32::NEG_INFINITY } else { 0.0 });
                } else if log {
                    log_softmax(&z, out, row_len).unwrap();
                } else {
                    softmax(&z, out, row_len).unwrap();
                }
            }
            let attention = (scale, Mask::PerRow(mask), MaskedRows::Zero);
            let mut got = vec![0.0f32; x.len()];
            let mut inplace = x.to_vec();
            if log {
                log_softmax_masked(x, &mut got, row_len, attention).unwrap();
                log_softmax_masked_inplace(&mut inplace, row_len, attention).unwrap();
            } else {
                softmax_masked(x, &mut got, row_len, attention).unwrap();
                softmax_masked_inplace(&mut inplace, row_len, attention).unwrap();
            }
            assert_eq!(bits(&got), bits(&want), "log {log}");
            assert_eq!(bits(&inplace), bits(&want), "log {log}, in place");
        }
    }

    #[test]
    fn fully_masked_rows_give_zeros_or_the_uniform_limit_never_nan() {
        let x = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mask = [
            0.0,
            f32::NEG_INFINITY,
            0.0,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ];
        let mut y = [9.0f32; 6];
        softmax_masked(&x, &mut y, 3, (1.0, Mask::PerRow(&mask), MaskedRows::Zero)).unwrap();
        assert!(y[..3].iter().all(|v| v.is_finite()) && y[1] == 0.0);
        assert_eq!(&y[3..], &[0.0; 3]);
        softmax_masked(
            &x,
            &mut y,
            3,
            (1.0, Mask::PerRow(&mask), MaskedRows::Uniform),
        )
        .unwrap();
        assert_eq!(&y[3..], &[1.0 / 3.0; 3]);
        log_softmax_masked(&x, &mut y, 3, (1.0, Mask::PerRow(&mask), MaskedRows::Zero)).unwrap();
        assert_eq!(&y[3..], &[f32::NEG_INFINITY; 3]);
        log_softmax_masked(
            &x,
            &mut y,
            3,
            (1.0, Mask::PerRow(&mask), MaskedRows::Uniform),
        )
        .unwrap();
        assert!(y[3..].iter().all(|&v| (v + 3f32.ln()).abs() < 1e-6));
    }

    /// A row whose scaled and masked input holds a NaN gives that NaN, by
    /// one rule on every path and CPU: a NaN `x`, else a NaN mask, else
    /// (`0 * inf`, `inf + -inf`) the positive quiet NaN; each quieted, in
    /// every entry, and on `bf16` rounded as `half` rounds it.
    #[test]
    fn nans_made_by_scaling_or_masking_are_the_same_on_every_path() {
        use simd_activations::{Isa, bf16, softmax_masked_on};
        let nan_x = f32::from_bits(0xff80_1234);
        let nan_mask = f32::from_bits(0x7f80_0042);
        let inf = f32::INFINITY;
        // (scale, x, mask, the row's NaN): the NaN at entry 5 of a row of 40.
        let cases = [
            (0.0, inf, 0.0, f32::NAN),
            (1.0, inf, -inf, f32::NAN),
            (-1.0, -inf, -inf, f32::NAN),
            (1.0, nan_x, nan_mask, f32::from_bits(0xffc0_1234)),
            (1.0, 2.0, nan_mask, f32::from_bits(0x7fc0_0042)),
            (0.0, nan_x, 1.0, f32::from_bits(0xffc0_1234)),
        ];
        for (scale, xv, mv, nan) in cases {
            let mut x: Vec<f32> = (0..40).map(|i| i as f32 * 0.25).collect();
            let mut mask = vec![0.5f32; 40];
            x[5] = xv;
            mask[5] = mv;
            for isa in Isa::ALL.iter().copied().filter(|i| i.is_available()) {
                for log in [false, true] {
                    let mut y = vec![0.0f32; 40];
                    let options = (scale, Mask::Row(&mask), MaskedRows::Zero);
                    if log {
                        simd_activations::log_softmax_masked_on(isa, &x, &mut y, 40, options)
                    } else {
                        softmax_masked_on(isa, &x, &mut y, 40, options)
                    }
                    .unwrap();
                    let what = format!("{isa}, log {log}, {scale} * {xv} + {mv}");
                    assert!(y.iter().all(|v| v.to_bits() == nan.to_bits()), "{what}");
                }
                let xh: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v)).collect();
                let mh: Vec<bf16> = mask.iter().map(|&v| bf16::from_f32(v)).collect();
                let mut yh = vec![bf16::ZERO; 40];
                let options = (scale, Mask::PerRow(&mh), MaskedRows::Uniform);
                softmax_masked_on(isa, &xh, &mut yh, 40, options).unwrap();
                let want = bf16::from_f32(nan).to_bits();
                assert!(
                    yh.iter().all(|v| v.to_bits() == want),
                    "{isa} bf16, {xv} + {mv}"
                );
            }
        }
    }

    #[test]
    fn bad_masks_and_scales_are_errors_and_write_nothing() {
        let x = [1.0f32; 8];
        let mut y = [7.0f32; 8];
        let options = [
            (1.0, Mask::Row(&[0.0; 3])),
            (1.0, Mask::PerRow(&[0.0; 4])),
            (f32::NAN, Mask::None),
            (f32::INFINITY, Mask::None),
            (f32::NEG_INFINITY, Mask::Row(&[0.0; 4])),
        ];
        for (scale, mask) in options {
            let err = softmax_masked(&x, &mut y, 4, (scale, mask, MaskedRows::Zero)).unwrap_err();
            assert!(matches!(
                err,
                Error::InvalidShape { .. } | Error::InvalidParameter { .. }
            ));
            assert_eq!(y, [7.0; 8]);
        }
        assert!(softmax_masked(&x, &mut y, 3, (1.0, Mask::None, MaskedRows::Zero)).is_err());
        assert_eq!(y, [7.0; 8]);
    }
}

/// The masked forms on each path and into uninitialized outputs give the
/// dispatched call's bits.
#[test]
fn masked_forms_on_every_path_and_uninit_give_the_same_bits() {
    use simd_activations::{Mask, MaskedRows};
    use std::mem::MaybeUninit;
    let row_len = 67;
    let x: Vec<f32> = (0..row_len * 9)
        .map(|i| ((i * 7919) % 211) as f32 * 0.7 - 70.0)
        .collect();
    let mask: Vec<f32> = (0..x.len())
        .map(|i| {
            if (i / row_len) % 4 == 0 || i % 5 == 0 {
                f32::NEG_INFINITY
            } else {
                0.5
            }
        })
        .collect();
    for options in [
        (0.3, Mask::PerRow(&mask), MaskedRows::Zero),
        (
            2.0,
            Mask::Row(&mask[row_len..2 * row_len]),
            MaskedRows::Uniform,
        ),
    ] {
        let mut want = vec![0.0; x.len()];
        sa::softmax_masked(&x, &mut want, row_len, options).unwrap();
        let mut want_log = vec![0.0; x.len()];
        sa::log_softmax_masked(&x, &mut want_log, row_len, options).unwrap();
        let mut buffer = vec![MaybeUninit::<f32>::uninit(); x.len()];
        let got =
            simd_activations::softmax_masked_uninit(&x, &mut buffer, row_len, options).unwrap();
        assert_eq!(bits(got), bits(&want));
        let got =
            simd_activations::log_softmax_masked_uninit(&x, &mut buffer, row_len, options).unwrap();
        assert_eq!(bits(got), bits(&want_log));
        for &isa in Isa::ALL {
            let mut y = vec![7.0; x.len()];
            let result = simd_activations::softmax_masked_on(isa, &x, &mut y, row_len, options);
            if !isa.is_available() {
                assert!(result.is_err());
                assert!(y.iter().all(|v| *v == 7.0));
                continue;
            }
            assert_eq!(bits(&y), bits(&want), "{isa}");
            simd_activations::log_softmax_masked_on(isa, &x, &mut y, row_len, options).unwrap();
            assert_eq!(bits(&y), bits(&want_log), "{isa}");
            y.copy_from_slice(&x);
            simd_activations::softmax_masked_inplace_on(isa, &mut y, row_len, options).unwrap();
            assert_eq!(bits(&y), bits(&want), "{isa} in place");
            y.copy_from_slice(&x);
            simd_activations::log_softmax_masked_inplace_on(isa, &mut y, row_len, options).unwrap();
            assert_eq!(bits(&y), bits(&want_log), "{isa} in place");
        }
    }
}
