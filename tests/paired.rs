//! `prelu` (a weight per channel) and `frelu` (a second slice): exact
//! results, the NaN rules, every layout and length on every path, in place and
//! out of place, nothing written outside the slices.

mod common;

use simd_activations as sa;
use simd_activations::Isa;

const GUARD: f32 = 12345.678;

fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

fn quiet(v: f32) -> f32 {
    f32::from_bits(v.to_bits() | 0x0040_0000)
}

/// What `prelu` must give: exact, NaN quieted, the limit for `-inf * 0`.
fn prelu_want(x: f32, w: f32) -> f32 {
    if x.is_nan() {
        quiet(x)
    } else if x > 0.0 {
        x
    } else if (x * w).is_nan() {
        -w
    } else {
        x * w
    }
}

/// Inputs with every kind of value, and more.
fn pool(n: usize) -> Vec<f32> {
    let sp = common::specials();
    (0..n)
        .map(|i| {
            if i % 3 == 0 {
                sp[(i / 3) % sp.len()]
            } else {
                (i as f32 * 0.731 - 45.0) * if i % 5 == 0 { 1e-3 } else { 1.0 }
            }
        })
        .collect()
}

#[test]
fn prelu_is_exact_on_every_layout_and_path() {
    let weights = [0.25f32, -1.5, 0.0, -0.0, 3.0, 1e-3, 0.01, 7.0];
    for (channels, inner) in [
        (1, 1),
        (3, 1),
        (8, 1),
        (3, 2),
        (5, 3),
        (2, 15),
        (3, 16),
        (2, 17),
        (4, 40),
    ] {
        for outer in [0, 1, 2, 5] {
            let n = outer * channels * inner;
            let x = pool(n + 3);
            let x = &x[3..];
            for single in [false, true] {
                let w: Vec<f32> = if single {
                    vec![-0.75]
                } else {
                    weights.iter().cycle().take(channels).copied().collect()
                };
                for &isa in Isa::available() {
                    let mut buf = vec![GUARD; n + 32];
                    sa::prelu_on(isa, x, &mut buf[16..16 + n], &w, channels, inner).unwrap();
                    let mut inplace = vec![GUARD; n + 32];
                    inplace[16..16 + n].copy_from_slice(x);
                    sa::prelu_inplace_on(isa, &mut inplace[16..16 + n], &w, channels, inner)
                        .unwrap();
                    for (name, out) in [("out of place", &buf), ("in place", &inplace)] {
                        assert!(
                            out[..16].iter().chain(&out[16 + n..]).all(|v| *v == GUARD),
                            "prelu {name} on {isa} wrote outside [{outer}, {channels}, {inner}]"
                        );
                        for i in 0..n {
                            let c = (i / inner) % channels;
                            let wi = if single { w[0] } else { w[c] };
                            let want = prelu_want(x[i], wi);
                            assert!(
                                same(out[16 + i], want),
                                "prelu {name} on {isa}, [{outer}, {channels}, {inner}] at {i}: \
                                 x = {:e}, w = {wi}: got {:e}, want {want:e}",
                                x[i],
                                out[16 + i]
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn prelu_with_one_weight_is_leaky_relu() {
    let x = common::strided(65_521, 3);
    let mut a = vec![0.0; x.len()];
    let mut b = vec![0.0; x.len()];
    for w in [0.01f32, -2.0, 0.0] {
        sa::prelu(&x, &mut a, &[w], 1, x.len()).unwrap();
        sa::leaky_relu(&x, &mut b, w).unwrap();
        assert!(a.iter().zip(&b).all(|(p, q)| same(*p, *q)), "w = {w}");
    }
}

fn frelu_want(x: f32, t: f32) -> f32 {
    if x.is_nan() {
        quiet(x)
    } else if t.is_nan() {
        quiet(t)
    } else if t > x {
        t
    } else {
        x
    }
}

#[test]
fn frelu_nan_rules_and_ties() {
    let sp = common::specials();
    let x: Vec<f32> = sp.iter().flat_map(|&a| sp.iter().map(move |_| a)).collect();
    let t: Vec<f32> = sp.iter().flat_map(|_| sp.iter().copied()).collect();
    for &isa in Isa::available() {
        let mut y = vec![0.0; x.len()];
        sa::frelu_on(isa, &x, &t, &mut y).unwrap();
        let mut z = x.clone();
        sa::frelu_inplace_on(isa, &mut z, &t).unwrap();
        for i in 0..x.len() {
            let want = frelu_want(x[i], t[i]);
            assert!(
                same(y[i], want) && same(z[i], want),
                "frelu({:e} = {:#010x}, {:e} = {:#010x}) on {isa} = {:#010x}, want {:#010x}",
                x[i],
                x[i].to_bits(),
                t[i],
                t[i].to_bits(),
                y[i].to_bits(),
                want.to_bits()
            );
        }
    }
    // Ties keep x, signed zeros included.
    let mut y = [7.0f32; 2];
    sa::frelu(&[-0.0, 0.0], &[0.0, -0.0], &mut y);
    assert!(same(y[0], -0.0) && same(y[1], 0.0));
}

#[test]
fn frelu_every_length_and_alignment_in_bounds() {
    let x = pool(140);
    let t: Vec<f32> = pool(150).into_iter().rev().collect();
    for &isa in Isa::available() {
        for offset in 0..4 {
            for len in 0..=100 {
                let xs = &x[offset..offset + len];
                let ts = &t[7..7 + len];
                let mut buf = vec![GUARD; len + 32];
                sa::frelu_on(isa, xs, ts, &mut buf[16..16 + len]).unwrap();
                let mut inplace = vec![GUARD; len + 32];
                inplace[16..16 + len].copy_from_slice(xs);
                sa::frelu_inplace_on(isa, &mut inplace[16..16 + len], ts).unwrap();
                for out in [&buf, &inplace] {
                    assert!(
                        out[..16]
                            .iter()
                            .chain(&out[16 + len..])
                            .all(|v| *v == GUARD)
                    );
                    for i in 0..len {
                        assert!(same(out[16 + i], frelu_want(xs[i], ts[i])), "{isa} {len}");
                    }
                }
            }
        }
    }
}

#[test]
fn frelu_with_itself_is_identity() {
    let x = common::strided(65_521, 9);
    let mut y = vec![0.0; x.len()];
    sa::frelu(&x, &x, &mut y);
    for (a, b) in x.iter().zip(&y) {
        assert!(same(if a.is_nan() { quiet(*a) } else { *a }, *b));
    }
}
