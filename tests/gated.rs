//! The fused gated units: error against the float64 `act(gate) * up` over
//! strided sweeps of both inputs, the same bits on every path and length,
//! the special values, the 16-bit forms and the row layout.

mod common;
#[path = "../cli/src/element.rs"]
mod element;

use common::{simd_paths, strided};
use element::HalfElement;
use simd_activations::reference::{eval, ulp_error};
use simd_activations::{Error, GatedUnit, Isa, bf16, f16};

/// `(gate, up)` pairs: a sweep of every `gate` bit pattern against a fixed
/// set of `up` values, and a sweep of `up` against a fixed set of gates,
/// tails of both included.
fn pairs() -> (Vec<f32>, Vec<f32>) {
    let sweep = strided(65_521, 11);
    let ups = [
        1.0f32,
        -1.0,
        1.999_999_9,
        0.75,
        3.0e-39,
        1.0e-30,
        7.3e25,
        -2.5e38,
    ];
    let gates = [0.5f32, -0.35, 1.7, -3.2, 6.0, 20.0, -1.0e-20, 85.0];
    let (mut g, mut u) = (Vec::new(), Vec::new());
    for &up in &ups {
        g.extend_from_slice(&sweep);
        u.extend(core::iter::repeat_n(up, sweep.len()));
    }
    for &gate in &gates {
        g.extend(core::iter::repeat_n(gate, sweep.len()));
        u.extend_from_slice(&sweep);
    }
    // Both swept together, out of step.
    let other = strided(65_537, 5);
    let n = sweep.len().min(other.len());
    g.extend_from_slice(&sweep[..n]);
    u.extend_from_slice(&other[..n]);
    (g, u)
}

fn run(unit: GatedUnit, isa: Isa, g: &[f32], u: &[f32]) -> Vec<f32> {
    let mut y = vec![0.0; g.len()];
    unit.forward_on(isa, g, u, &mut y).unwrap();
    y
}

/// The units that round the product once from the activation's value
/// before its last rounding, or (`geglu`, near zero) from a form of the
/// activation of their own; the others give the two-pass bits.
fn rounds_the_product_itself(unit: GatedUnit) -> bool {
    matches!(
        unit,
        GatedUnit::SwiGlu | GatedUnit::GeGlu | GatedUnit::GeGluTanh | GatedUnit::GeGluQuick
    )
}

/// Against the two-pass result, the `f32` activation's result times `up`
/// rounded once (an invalid product the positive quiet NaN):
/// `reglu` gives its bits everywhere; `swiglu`, `geglu`, `geglu_tanh` and
/// `geglu_quick` give them wherever `gate` or `up` is zero, infinite or
/// NaN (IEEE's signs and special values), and differ elsewhere by their
/// rounding only (within 4 ulps of the product: the two-pass error and
/// theirs together), on some pairs at least.
#[test]
fn fused_bits_against_the_two_pass_product() {
    let (g, u) = pairs();
    let special = |v: f32| v == 0.0 || !v.is_finite();
    for &unit in GatedUnit::ALL {
        let y = run(unit, Isa::Scalar, &g, &u);
        let mut act = vec![0.0; g.len()];
        unit.activation()
            .forward_on(Isa::Scalar, &g, &mut act)
            .unwrap();
        let own_rounding = rounds_the_product_itself(unit);
        let mut differing = 0usize;
        for i in 0..g.len() {
            let quiet = |v: f32| f32::from_bits(v.to_bits() | 0x0040_0000);
            let want = if g[i].is_nan() {
                quiet(g[i])
            } else if u[i].is_nan() {
                quiet(u[i])
            } else {
                let p = act[i] * u[i];
                if p.is_nan() { f32::NAN } else { p }
            };
            if y[i].to_bits() == want.to_bits() {
                continue;
            }
            differing += 1;
            let normal_act = act[i].abs() >= f32::MIN_POSITIVE;
            let close = own_rounding
                && !special(g[i])
                && !special(u[i])
                && (!normal_act || ulp_error(y[i], f64::from(want)) <= 4.0);
            assert!(
                close,
                "{unit} at gate = {:e}, up = {:e}: {:e}, two passes {:e}",
                g[i], u[i], y[i], want
            );
        }
        assert_eq!(
            differing > 0,
            own_rounding,
            "{unit}: {differing} products differ from the two-pass bits"
        );
    }
}

/// Where the product sits just below a power of two and the activation's
/// value just above one (`up` just below 2, or its negative), the
/// activation's last rounding would count double in the product's ulps:
/// over every 2039th gate, two passes take `swiglu` to 2.19 ULP, `geglu` to
/// 2.37 and `geglu_tanh` to 2.27 on such pairs, and `geglu_quick` past 2 as
/// well (the test asserts it for each). Rounded from the unrounded
/// activation (`geglu`: from its form near zero), they stay within the
/// bound.
#[test]
fn products_just_below_powers_of_two_stay_within_bound() {
    let gates = strided(2039, 3);
    for unit in [
        GatedUnit::SwiGlu,
        GatedUnit::GeGlu,
        GatedUnit::GeGluTanh,
        GatedUnit::GeGluQuick,
    ] {
        let mut act = vec![0.0; gates.len()];
        unit.activation()
            .forward_on(Isa::Scalar, &gates, &mut act)
            .unwrap();
        let exact: Vec<f64> = gates.iter().map(|&g| eval(unit.activation(), g)).collect();
        // The two-pass product's worst over the same pairs, which the sweep
        // must find beyond the bound for the test to mean anything.
        let mut two_pass_worst = 0.0f64;
        for up in [1.999_999_9f32, -1.999_999_9, 1.999_999_8, 1.5, 1.333_333_4] {
            let u = vec![up; gates.len()];
            let y = run(unit, Isa::Scalar, &gates, &u);
            let mut worst = (0.0f64, 0.0f32);
            for i in 0..gates.len() {
                let (g, y, a) = (gates[i], y[i], exact[i]);
                if g.is_nan() || (a != 0.0 && a.abs() < f64::from(f32::MIN_POSITIVE)) {
                    continue;
                }
                let exact = a * f64::from(up);
                let e = ulp_error(y, exact);
                if e > worst.0 {
                    worst = (e, g);
                }
                two_pass_worst = two_pass_worst.max(ulp_error(act[i] * up, exact));
            }
            assert!(
                worst.0 <= unit.max_ulp(),
                "{unit}, up = {up:e}: {:.3} ULP at gate = {:e}",
                worst.0,
                worst.1
            );
        }
        assert!(
            two_pass_worst > unit.max_ulp(),
            "{unit}: the two-pass product measured only {two_pass_worst:.3} ULP on this sweep"
        );
    }
}

/// At most [`GatedUnit::max_ulp`] against the float64 `act(gate) * up`
/// wherever the activation's value is a normal `f32` (or zero): below that
/// the `f32` activation itself has lost relative precision (it is
/// subnormal or flushed to zero, as in every two-pass computation), and a
/// large `up` scales that loss up. Those pairs are counted, and checked by
/// the test above.
#[test]
fn error_within_bound_against_float64() {
    let (g, u) = pairs();
    for &unit in GatedUnit::ALL {
        let y = run(unit, Isa::Scalar, &g, &u);
        let mut worst = (0.0f64, 0.0f32, 0.0f32);
        let mut outside = 0usize;
        for i in 0..g.len() {
            if g[i].is_nan() || u[i].is_nan() {
                continue;
            }
            let a = eval(unit.activation(), g[i]);
            if a != 0.0 && a.abs() < f64::from(f32::MIN_POSITIVE) {
                outside += 1;
                continue;
            }
            let r = a * f64::from(u[i]);
            let e = ulp_error(y[i], r);
            if e > worst.0 {
                worst = (e, g[i], u[i]);
            }
        }
        println!(
            "{unit}: max {:.3} ULP at gate = {:e}, up = {:e} ({outside} of {} pairs have a subnormal activation)",
            worst.0,
            worst.1,
            worst.2,
            g.len()
        );
        assert!(
            worst.0 <= unit.max_ulp(),
            "{unit}: {:.3} ULP at gate = {:e}, up = {:e}",
            worst.0,
            worst.1,
            worst.2
        );
    }
}

#[test]
fn every_path_gives_the_scalar_bits() {
    let (g, u) = pairs();
    for &unit in GatedUnit::ALL {
        let want = run(unit, Isa::Scalar, &g, &u);
        for isa in simd_paths() {
            let got = run(unit, isa, &g, &u);
            for i in 0..g.len() {
                assert_eq!(
                    want[i].to_bits(),
                    got[i].to_bits(),
                    "{unit} on {isa} at gate = {:e}, up = {:e}",
                    g[i],
                    u[i]
                );
            }
        }
    }
}

#[test]
fn every_length_and_offset_gives_the_same_bits() {
    let g: Vec<f32> = (0..120).map(|i| (i as f32 * 0.61).sin() * 7.0).collect();
    let u: Vec<f32> = (0..120).map(|i| (i as f32 * 0.23).cos() * 3.0).collect();
    for &unit in GatedUnit::ALL {
        let whole = run(unit, Isa::Scalar, &g, &u);
        for &isa in Isa::available() {
            for offset in 0..4 {
                for n in 0..=100 {
                    let mut buf = vec![-7.5f32; n + offset + 8];
                    unit.forward_on(
                        isa,
                        &g[offset..offset + n],
                        &u[offset..offset + n],
                        &mut buf[offset..offset + n],
                    )
                    .unwrap();
                    let got = &buf[offset..offset + n];
                    let want = &whole[offset..offset + n];
                    assert!(
                        got.iter()
                            .zip(want)
                            .all(|(a, b)| a.to_bits() == b.to_bits()),
                        "{unit} on {isa}, n = {n}, offset {offset}"
                    );
                    assert!(
                        buf[..offset]
                            .iter()
                            .chain(&buf[offset + n..])
                            .all(|&v| v == -7.5),
                        "{unit} on {isa}: wrote outside the slice"
                    );
                }
            }
        }
    }
}

/// The main loop tests the lanes a unit sets aside once per iteration and
/// computes an iteration holding one again, vector by vector: with one
/// such pair at every position of its iterations amid ordinary pairs, every
/// element comes out as a call on that element alone (the loop's tail,
/// which tests each vector) gives it, on every path.
#[test]
fn the_main_loop_gives_the_bits_of_one_element_calls() {
    let odd_pairs = [
        (0.0f32, 1.3f32),
        (-0.0, 2.0),
        (-200.0, 1.5),
        (-200.0, 1.0e30),
        (-130.0, -2.0e35),
        (f32::NAN, 1.0),
        (f32::INFINITY, 1.5),
        (f32::NEG_INFINITY, 2.0),
        (1.5, 0.0),
        (-1.5, 0.0),
        (1.5, -0.0),
        (-1.5, -0.0),
        (-0.3, 0.0),
        (-6.5, -0.0),
        (1.5, f32::INFINITY),
        (-0.7, f32::NAN),
        (0.7, 1.0e-40),
        (-3.0, f32::MAX),
        (-90.0, 1.0e-30),
        // About the bounds of `swiglu`'s short form (which lanes it holds
        // is checked in `kernels/sigmoid.rs`): a gate at -80 that it holds
        // and one just past with the same terms, which it sets aside; past
        // +80, held with a large `up` and set aside with an exact product;
        // an exact `a up` whose small terms vanish; products whose small
        // terms fall below the normal range; a subnormal gate.
        (-80.0, 1.0e10),
        (-80.000_01, 1.0e10),
        (85.0, 1.0e10),
        (85.0, 0.5),
        (-50.0, 2.0),
        (-30.0, 1.0e-25),
        (-2.0, 3.0e-30),
        (1.0e-30, 1.0e-8),
        (5.0e-39, 1.0),
    ];
    for &unit in GatedUnit::ALL {
        for &isa in Isa::available() {
            for &(odd_g, odd_u) in &odd_pairs {
                for at in 0..64 {
                    // No zero among the ordinary gates, which every unit
                    // sets aside: the first iteration takes the fast store
                    // unless the odd pair is in it.
                    let mut g: Vec<f32> = (0..80)
                        .map(|i| (i as f32 * 0.41 + 0.2).sin() * 6.0)
                        .collect();
                    let mut u: Vec<f32> = (0..80).map(|i| (i as f32 * 0.29).cos() * 2.5).collect();
                    (g[at], u[at]) = (odd_g, odd_u);
                    let whole = run(unit, isa, &g, &u);
                    for i in 0..g.len() {
                        let mut one = [0.0f32];
                        unit.forward_on(isa, &g[i..=i], &u[i..=i], &mut one)
                            .unwrap();
                        assert_eq!(
                            whole[i].to_bits(),
                            one[0].to_bits(),
                            "{unit} on {isa} at {i} (gate = {:e}, up = {:e}; \
                             gate = {odd_g:e}, up = {odd_u:e} at {at})",
                            g[i],
                            u[i]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn special_values() {
    let qnan = |v: f32| f32::from_bits(v.to_bits() | 0x0040_0000).to_bits();
    let gate_nan = f32::from_bits(0xffa0_0001);
    let up_nan = f32::from_bits(0x7f80_0123);
    for &unit in GatedUnit::ALL {
        for &isa in Isa::available() {
            let g = [gate_nan, gate_nan, 1.0, f32::INFINITY, 0.0, -0.0, 2.0];
            let u = [up_nan, 1.0, up_nan, 0.0, f32::INFINITY, 3.0, -0.0];
            let y = run(unit, isa, &g, &u);
            // A NaN gate first, then a NaN up, each quieted.
            assert_eq!(y[0].to_bits(), qnan(gate_nan), "{unit} on {isa}");
            assert_eq!(y[1].to_bits(), qnan(gate_nan), "{unit} on {isa}");
            assert_eq!(y[2].to_bits(), qnan(up_nan), "{unit} on {isa}");
            // act(+inf) = +inf, times 0: the positive quiet NaN everywhere.
            assert_eq!(y[3].to_bits(), f32::NAN.to_bits(), "{unit} on {isa}");
            // act(±0) = ±0, times inf: NaN; times 3: the IEEE signed zero.
            assert_eq!(y[4].to_bits(), f32::NAN.to_bits(), "{unit} on {isa}");
            let act_neg_zero = unit.activation().special_values()[2].1;
            assert_eq!(
                y[5].to_bits(),
                (act_neg_zero * 3.0).to_bits(),
                "{unit} on {isa}"
            );
            let act_two = eval(unit.activation(), 2.0) as f32;
            assert_eq!(
                y[6].to_bits(),
                (act_two * -0.0).to_bits(),
                "{unit} on {isa}"
            );
        }
    }
}

/// Zeros, infinities (also times gates below 1/2 in magnitude, where
/// `geglu` has a form of its own), gates past the activation's clamp (where
/// a unit that rounds the product itself takes the two-pass product) and
/// products that underflow (`(110, 1)`, `(-105, 1e-20)`): on every path,
/// the IEEE product of the `f32` activation's result and `up` (`0 * inf`
/// the positive quiet NaN). Products too large for the portable scaling's
/// first step (which such a unit rounds with `up` scaled down), and
/// `swiglu`'s where `silu` is subnormal: the scalar path's bits on every
/// path, within the bound of the float64 product.
#[test]
fn zeros_infinities_and_far_gates() {
    let g = [
        0.0f32,
        -0.0,
        f32::NEG_INFINITY,
        f32::NEG_INFINITY,
        f32::INFINITY,
        -200.0,
        -1.0e30,
        1.5,
        -1.5,
        -1.5,
        2.0,
        110.0,
        -105.0,
        f32::INFINITY,
        // Near zero, where `geglu` has a form of its own.
        -0.35,
        0.3,
        -0.35,
        0.25,
        -1.0e-20,
        0.45,
    ];
    let u = [
        -3.0f32,
        -3.0,
        1.0e30,
        f32::NEG_INFINITY,
        -2.0,
        3.0e38,
        -3.0e38,
        f32::INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        1.0,
        1.0e-20,
        3.0e38,
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0,
        f32::INFINITY,
    ];
    for &unit in GatedUnit::ALL {
        for &isa in Isa::available() {
            let y = run(unit, isa, &g, &u);
            let mut act = vec![0.0; g.len()];
            unit.activation()
                .forward_on(Isa::Scalar, &g, &mut act)
                .unwrap();
            for i in 0..g.len() {
                let want = act[i] * u[i];
                let want = if want.is_nan() { f32::NAN } else { want };
                assert_eq!(
                    y[i].to_bits(),
                    want.to_bits(),
                    "{unit} on {isa} at gate = {:e}, up = {:e}",
                    g[i],
                    u[i]
                );
            }
            // And `silu` below its normal range, times a large `up`.
            let far = if unit == GatedUnit::SwiGlu {
                &[(-100.0f32, 1.0e30f32), (-95.0, -3.0e20)][..]
            } else {
                &[]
            };
            let large = [(-5.0f32, 3.0e38f32), (-0.75, -2.0e38), (30.0, 1.0e37)];
            for &(g, u) in large.iter().chain(far) {
                let y = run(unit, isa, &[g], &[u])[0];
                let scalar = run(unit, Isa::Scalar, &[g], &[u])[0];
                assert_eq!(y.to_bits(), scalar.to_bits(), "{unit} on {isa}");
                let e = ulp_error(y, eval(unit.activation(), g) * f64::from(u));
                assert!(
                    e <= unit.max_ulp(),
                    "{unit} on {isa} at gate = {g:e}, up = {u:e}: {e:.3} ULP"
                );
            }
        }
    }
}

/// Every unit on `H`, on every path, over all 65 536 gates (and as many
/// `up` values), against `from_f32` of the `f32` result on the widened
/// inputs.
fn half_results<H: HalfElement>() {
    let g: Vec<H> = (0..=u16::MAX).map(H::from_bits).collect();
    let u: Vec<H> = (0..=u16::MAX)
        .map(|b| H::from_bits(b.rotate_left(5) ^ 0x3c00))
        .collect();
    for &unit in GatedUnit::ALL {
        assert_from_f32_of_f32(unit, &g, &u);
    }
}

/// `unit` on `H` gives, on every path, `from_f32` of the scalar `f32`
/// result on the widened inputs.
fn assert_from_f32_of_f32<H: HalfElement>(unit: GatedUnit, g: &[H], u: &[H]) {
    let wide = |v: &[H]| v.iter().map(|h| h.to_f32()).collect::<Vec<f32>>();
    let want = run(unit, Isa::Scalar, &wide(g), &wide(u));
    for &isa in Isa::available() {
        let mut y = vec![H::default(); g.len()];
        unit.forward_on(isa, g, u, &mut y).unwrap();
        for i in 0..g.len() {
            assert_eq!(
                y[i].to_bits(),
                H::from_f32(want[i]).to_bits(),
                "{unit} {} on {isa} at {i}",
                H::NAME
            );
        }
    }
}

#[test]
fn half_results_are_from_f32_of_the_f32_result() {
    half_results::<bf16>();
    half_results::<f16>();
}

/// The NaNs that `0 * inf` makes from inputs that are not NaN, amid finite
/// elements at every position of the main loop's groups: on `H`, every path
/// gives `from_f32` of the scalar `f32` result (the loop rounds such
/// vectors without its NaN test).
fn made_nans<H: HalfElement>() {
    for &unit in GatedUnit::ALL {
        for at in 0..64 {
            let mut g: Vec<f32> = (0..80).map(|i| (i as f32 * 0.37).sin() * 3.0).collect();
            let mut u: Vec<f32> = (0..80).map(|i| (i as f32 * 0.53).cos() * 2.0).collect();
            (g[at], u[at]) = (0.0, f32::INFINITY);
            (g[at + 7], u[at + 7]) = (f32::INFINITY, 0.0);
            let g: Vec<H> = g.iter().map(|&v| H::from_f32(v)).collect();
            let u: Vec<H> = u.iter().map(|&v| H::from_f32(v)).collect();
            let wide = |v: &[H]| v.iter().map(|h| h.to_f32()).collect::<Vec<f32>>();
            let want = run(unit, Isa::Scalar, &wide(&g), &wide(&u));
            assert!(want[at].is_nan() && want[at + 7].is_nan(), "{unit}");
            assert_from_f32_of_f32(unit, &g, &u);
        }
    }
}

#[test]
fn nans_made_by_the_product_round_alike_on_half_types() {
    made_nans::<bf16>();
    made_nans::<f16>();
}

#[test]
fn rows_split_each_row_into_its_halves() {
    let half_len = 37;
    let rows = 5;
    let x: Vec<f32> = (0..rows * 2 * half_len)
        .map(|i| (i as f32 * 0.17).sin() * 5.0)
        .collect();
    for &unit in GatedUnit::ALL {
        for swapped in [false, true] {
            let (mut g, mut u) = (Vec::new(), Vec::new());
            for row in x.chunks(2 * half_len) {
                let (first, second) = row.split_at(half_len);
                let (gate, up) = if swapped {
                    (second, first)
                } else {
                    (first, second)
                };
                g.extend_from_slice(gate);
                u.extend_from_slice(up);
            }
            let want = run(unit, Isa::Scalar, &g, &u);
            for &isa in Isa::available() {
                let mut y = vec![0.0; rows * half_len];
                unit.forward_rows_on(isa, &x, &mut y, half_len, swapped)
                    .unwrap();
                assert!(
                    y.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{unit} rows on {isa}, swapped = {swapped}"
                );
            }
        }
    }
}

#[test]
fn rows_refuse_bad_half_lengths_and_write_nothing() {
    let x = vec![1.0f32; 24];
    for half_len in [0, 5, 7] {
        let mut y = vec![9.0f32; 12];
        let err = GatedUnit::SwiGlu
            .forward_rows(&x, &mut y, half_len, false)
            .unwrap_err();
        assert!(matches!(err, Error::InvalidShape { .. }), "{err:?}");
        assert!(y.iter().all(|&v| v == 9.0));
    }
}

#[test]
fn empty_rows_are_fine_whatever_the_half_length() {
    for half_len in [1, 4, usize::MAX] {
        for swapped in [false, true] {
            GatedUnit::SwiGlu
                .forward_rows::<f32>(&[], &mut [], half_len, swapped)
                .unwrap();
        }
    }
    // SAFETY: empty buffers; null pointers are allowed with a zero count.
    let status = unsafe {
        simd_activations::capi::gated_f32::gated_rows(
            0,
            core::ptr::null(),
            core::ptr::null_mut(),
            0,
            4,
            0,
        )
    };
    assert_eq!(status, simd_activations::capi::SA_OK);
}

#[test]
#[should_panic(expected = "x has length 10 but y has length 4")]
fn rows_panic_on_mismatched_lengths() {
    let _ = GatedUnit::GeGlu.forward_rows(&[0.0f32; 10], &mut [0.0; 4], 2, false);
}

#[test]
#[should_panic(expected = "gate has length 3, up has length 2 and y has length 3")]
fn mismatched_lengths_panic_naming_them() {
    simd_activations::swiglu(&[0.0f32; 3], &[0.0; 2], &mut [0.0; 3]);
}

/// A gated unit's free function on `f32`.
type GatedFn = fn(&[f32], &[f32], &mut [f32]);

#[test]
fn free_functions_and_names_match_the_enum() {
    let g: Vec<f32> = (0..50).map(|i| i as f32 * 0.3 - 7.0).collect();
    let u: Vec<f32> = (0..50).map(|i| 1.0 + i as f32 * 0.01).collect();
    let free: [GatedFn; 5] = [
        simd_activations::swiglu,
        simd_activations::geglu,
        simd_activations::geglu_tanh,
        simd_activations::geglu_quick,
        simd_activations::reglu,
    ];
    assert_eq!(free.len(), GatedUnit::ALL.len());
    for (f, &unit) in free.iter().zip(GatedUnit::ALL) {
        let mut a = vec![0.0; 50];
        let mut b = vec![0.0; 50];
        f(&g, &u, &mut a);
        unit.forward(&g, &u, &mut b).unwrap();
        assert_eq!(a, b, "{unit}");
        assert_eq!(unit.to_string().parse::<GatedUnit>().unwrap(), unit);
    }
    assert!("SwiGLU".parse::<GatedUnit>().is_ok());
    assert!("swish".parse::<GatedUnit>().is_err());
}
