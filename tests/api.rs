//! The public API: free functions, `Activation`, `Isa`, errors and panics.

mod common;

use simd_activations as sa;
use simd_activations::{Activation, Error, Isa};

#[test]
fn softplus_follows_the_threshold_rule() {
    // PyTorch: x where beta * x > threshold, ln(1 + e^(beta x)) / beta
    // elsewhere. beta = 2: 7 is below the threshold of 20, and
    // 7 + ln(1 + e^-14) / 2 rounds to 7.0000005.
    let x = [7.0f32, 2.0, 2.25, 3.0, 3.5];
    let mut y = [0.0; 5];
    sa::softplus(&x, &mut y, 2.0, 20.0).unwrap();
    assert_eq!(y[0], 7.000_000_5);
    // beta = 2, threshold 4: 2 is on it (not above), so 2 + ln(1 + e^-4) / 2
    // = 2.00907; 2.25 is above it, so 2.25 where the function gives 2.2555.
    sa::softplus(&x, &mut y, 2.0, 4.0).unwrap();
    assert!((y[1] - 2.009_07).abs() < 1e-5, "{}", y[1]);
    assert_eq!(y[2], 2.25);
    // beta = 1, threshold 3: 3 on it, 3.5 above it.
    sa::softplus(&x, &mut y, 1.0, 3.0).unwrap();
    assert!((y[3] - 3.048_587_4).abs() < 1e-5, "{}", y[3]);
    assert_eq!(y[4], 3.5);
}

#[test]
fn bad_softplus_parameters_are_errors_and_write_nothing() {
    let x = [1.0f32; 4];
    for (beta, threshold, param) in [
        (0.0, 20.0, "beta"),
        (-1.0, 20.0, "beta"),
        (f32::NAN, 20.0, "beta"),
        (f32::INFINITY, 20.0, "beta"),
        (1.0, f32::NAN, "threshold"),
    ] {
        let mut y = [7.0f32; 4];
        let err = sa::softplus(&x, &mut y, beta, threshold).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { parameter, .. } if parameter == param),
            "{err:?}"
        );
        assert!(err.to_string().contains(param), "{err}");
        assert_eq!(y, [7.0; 4]);
        let act = Activation::Softplus { beta, threshold };
        assert!(act.validate().is_err());
        assert!(act.forward(&x, &mut y).is_err());
        assert_eq!(y, [7.0; 4]);
    }
    // Infinite thresholds are fine: always or never the identity.
    let mut y = [0.0f32; 4];
    sa::softplus(&x, &mut y, 1.0, f32::INFINITY).unwrap();
    sa::softplus(&x, &mut y, 1.0, f32::NEG_INFINITY).unwrap();
    assert_eq!(y, x);
}

#[test]
#[should_panic(expected = "input x has length 3 but output y has length 2")]
fn mismatched_lengths_panic_naming_both() {
    sa::gelu(&[1.0, 2.0, 3.0], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "input x has length 2 but output y has length 5")]
fn mismatched_lengths_panic_through_activation() {
    let _ = Activation::Silu.forward(&[1.0, 2.0], &mut [0.0; 5]);
}

#[test]
fn isa_names_parse_and_errors_list_valid_names() {
    for &isa in Isa::ALL {
        assert_eq!(isa.name().parse::<Isa>().unwrap(), isa);
        assert_eq!(isa.to_string(), isa.name());
        assert_eq!(isa.name().to_uppercase().parse::<Isa>().unwrap(), isa);
    }
    let err = "sse9".parse::<Isa>().unwrap_err();
    assert_eq!(
        err,
        Error::UnknownIsa {
            name: "sse9".into()
        }
    );
    let text = err.to_string();
    for name in ["sse9", "scalar", "avx2", "avx512", "neon"] {
        assert!(text.contains(name), "{text}");
    }
}

#[test]
fn available_paths_are_consistent() {
    let avail = Isa::available();
    assert_eq!(avail[0], Isa::Scalar);
    assert!(avail.contains(&Isa::best()) || std::env::var_os(sa::ISA_ENV_VAR).is_some());
    for &isa in Isa::ALL {
        assert_eq!(isa.is_available(), avail.contains(&isa));
        assert_eq!(isa.check().is_ok(), isa.is_available());
    }
    if cfg!(target_arch = "aarch64") {
        assert!(!Isa::Avx2.is_available() && !Isa::Avx512.is_available());
    } else {
        assert!(!Isa::Neon.is_available());
    }
}

#[test]
fn unavailable_path_is_an_error_naming_it() {
    let missing: Vec<Isa> = Isa::ALL
        .iter()
        .copied()
        .filter(|i| !i.is_available())
        .collect();
    assert!(!missing.is_empty());
    for isa in missing {
        let mut y = [5.0f32; 2];
        let err = Activation::Gelu
            .forward_on(isa, &[1.0, 2.0], &mut y)
            .unwrap_err();
        assert_eq!(err, Error::UnavailableIsa { isa });
        assert!(err.to_string().contains(isa.name()));
        assert_eq!(y, [5.0; 2]);
    }
}

#[test]
fn empty_slices_are_fine() {
    sa::gelu::<f32>(&[], &mut []);
    sa::tanh_inplace::<f32>(&mut []);
    sa::softplus::<f32>(&[], &mut [], 1.0, 20.0).unwrap();
}

#[test]
fn activation_names_are_the_function_names() {
    for (act, _) in common::functions() {
        assert!(!act.name().is_empty());
        assert!(act.validate().is_ok());
    }
    assert_eq!(Activation::GeluTanh.name(), "gelu_tanh");
}

fn assert_invalid(result: Result<(), Error>, parameter: &str) {
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidParameter { parameter: p, .. } if *p == parameter),
        "{err:?}"
    );
    assert!(err.to_string().contains(parameter), "{err}");
}

fn assert_shape(result: Result<(), Error>, words: &[&str]) {
    let err = result.unwrap_err();
    assert!(matches!(err, Error::InvalidShape { .. }), "{err:?}");
    let text = err.to_string();
    for w in words {
        assert!(text.contains(w), "{text:?} lacks {w:?}");
    }
}

#[test]
fn non_finite_parameters_are_errors_and_write_nothing() {
    let x = [1.0f32, -1.0, 0.0, -3.0];
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut y = [7.0f32; 4];
        let mut z = x;
        assert_invalid(sa::leaky_relu(&x, &mut y, bad), "negative_slope");
        assert_invalid(sa::leaky_relu_inplace(&mut z, bad), "negative_slope");
        assert_invalid(sa::step(&x, &mut y, bad), "at_zero");
        assert_invalid(sa::elu(&x, &mut y, bad), "alpha");
        assert_invalid(sa::elu_inplace(&mut z, bad), "alpha");
        assert_invalid(sa::celu(&x, &mut y, bad), "alpha");
        assert_invalid(sa::hardtanh(&x, &mut y, bad, 1.0), "min_val");
        assert_invalid(sa::hardtanh(&x, &mut y, -1.0, bad), "max_val");
        assert_invalid(sa::hardtanh_inplace(&mut z, bad, 1.0), "min_val");
        assert_invalid(sa::prelu(&x, &mut y, &[0.1, bad], 2, 1), "weight");
        assert_invalid(sa::prelu_inplace(&mut z, &[bad], 4, 1), "weight");
        assert_eq!(y, [7.0; 4]);
        assert_eq!(z, x);
        for act in [
            Activation::LeakyRelu {
                negative_slope: bad,
            },
            Activation::Step { at_zero: bad },
            Activation::Elu { alpha: bad },
            Activation::Celu { alpha: bad },
            Activation::Hardtanh {
                min_val: bad,
                max_val: 1.0,
            },
        ] {
            let parameter = |r: Result<(), Error>| matches!(r, Err(Error::InvalidParameter { .. }));
            assert!(parameter(act.validate()), "{act:?}");
            assert!(parameter(act.forward(&x, &mut y)), "{act:?}");
            assert!(
                parameter(act.forward_f32x8(wide::f32x8::ZERO).map(|_| ())),
                "{act:?}"
            );
        }
        assert_eq!(y, [7.0; 4]);
    }
}

#[test]
fn domain_errors_of_the_family() {
    let x = [1.0f32, -1.0, 0.0, -3.0];
    let mut y = [7.0f32; 4];
    // celu(alpha = 0) divides by zero.
    assert_invalid(sa::celu(&x, &mut y, 0.0), "alpha");
    assert_invalid(sa::celu(&x, &mut y, -0.0), "alpha");
    // min_val > max_val.
    assert_invalid(sa::hardtanh(&x, &mut y, 1.0, -1.0), "min_val");
    assert_eq!(y, [7.0; 4]);
    // Equal bounds are fine: a constant.
    sa::hardtanh(&x, &mut y, 0.5, 0.5).unwrap();
    assert_eq!(y, [0.5; 4]);
    // Negative alpha: allowed out of place, rejected in place (as PyTorch).
    sa::elu(&x, &mut y, -1.0).unwrap();
    sa::celu(&x, &mut y, -1.0).unwrap();
    let mut z = x;
    assert_invalid(sa::elu_inplace(&mut z, -1.0), "alpha");
    assert_invalid(sa::celu_inplace(&mut z, -0.5), "alpha");
    assert_invalid(
        Activation::Elu { alpha: -1.0 }.forward_inplace(&mut z),
        "alpha",
    );
    assert_invalid(
        Activation::Celu { alpha: -1.0 }.forward_inplace_on(Isa::Scalar, &mut z),
        "alpha",
    );
    assert!(Activation::Elu { alpha: -1.0 }.validate().is_ok());
    assert!(Activation::Elu { alpha: -1.0 }.validate_inplace().is_err());
    assert_eq!(z, x);
    sa::elu_inplace(&mut z, 0.0).unwrap();
}

#[test]
fn prelu_shape_errors() {
    let x = [1.0f32; 12];
    let mut y = [7.0f32; 12];
    assert_shape(sa::prelu(&x, &mut y, &[0.1; 3], 3, 0), &["inner = 0"]);
    assert_shape(sa::prelu(&x, &mut y, &[0.1], 0, 4), &["channels = 0"]);
    assert_shape(
        sa::prelu(&x, &mut y, &[0.1; 5], 5, 1),
        &["5", "does not divide", "12"],
    );
    assert_shape(
        sa::prelu(&x, &mut y, &[0.1; 3], 3, 8),
        &["24", "does not divide"],
    );
    assert_shape(
        sa::prelu(&x, &mut y, &[0.1; 2], 3, 2),
        &["weight has length 2", "1 or channels = 3"],
    );
    assert_shape(sa::prelu(&x, &mut y, &[], 3, 2), &["weight has length 0"]);
    assert_shape(sa::prelu(&x, &mut y, &[0.1], usize::MAX, 2), &["channels"]);
    let mut z = x;
    assert_shape(sa::prelu_inplace(&mut z, &[0.1; 4], 4, 2), &["8"]);
    assert_eq!(y, [7.0; 12]);
    assert_eq!(z, x);
    // A single weight, and empty slices, are fine.
    sa::prelu(&x, &mut y, &[0.1], 3, 2).unwrap();
    sa::prelu::<f32>(&[], &mut [], &[0.1, 0.2], 2, 5).unwrap();
}

#[test]
fn softmax_shape_errors() {
    let x = [1.0f32; 12];
    let mut y = [7.0f32; 12];
    assert_shape(sa::softmax(&x, &mut y, 0), &["row length 0"]);
    assert_shape(sa::softmax(&x, &mut y, 5), &["5", "12"]);
    assert_shape(sa::log_softmax(&x, &mut y, 0), &["row length 0"]);
    assert_shape(sa::log_softmax(&x, &mut y, 24), &["24", "12"]);
    let mut z = x;
    assert_shape(sa::softmax_inplace(&mut z, 7), &["7"]);
    assert_shape(sa::log_softmax_inplace(&mut z, 0), &["0"]);
    assert_eq!(y, [7.0; 12]);
    assert_eq!(z, x);
    // Empty slices have zero rows of any positive length.
    sa::softmax::<f32>(&[], &mut [], 3).unwrap();
    assert!(sa::softmax::<f32>(&[], &mut [], 0).is_err());
}

#[test]
#[should_panic(expected = "frelu: x has length 3, t has length 2 and y has length 3")]
fn frelu_mismatched_lengths_panic_naming_them() {
    sa::frelu(&[1.0, 2.0, 3.0], &[0.0; 2], &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "frelu: x has length 2 but t has length 4")]
fn frelu_inplace_mismatched_lengths_panic() {
    sa::frelu_inplace(&mut [1.0, 2.0], &[0.0; 4]);
}

#[test]
#[should_panic(expected = "softmax: input x has length 4 but output y has length 3")]
fn softmax_mismatched_lengths_panic() {
    let _ = sa::softmax(&[1.0; 4], &mut [0.0; 3], 2);
}

#[test]
#[should_panic(expected = "prelu: input x has length 4 but output y has length 5")]
fn prelu_mismatched_lengths_panic() {
    let _ = sa::prelu(&[1.0; 4], &mut [0.0; 5], &[0.1], 1, 1);
}

#[test]
fn the_paired_and_row_functions_name_unavailable_paths() {
    let missing: Vec<Isa> = Isa::ALL
        .iter()
        .copied()
        .filter(|i| !i.is_available())
        .collect();
    for isa in missing {
        let mut y = [5.0f32; 2];
        let want = Error::UnavailableIsa { isa };
        assert_eq!(
            sa::softmax_on(isa, &[1.0, 2.0], &mut y, 2),
            Err(want.clone())
        );
        assert_eq!(
            sa::frelu_on(isa, &[1.0, 2.0], &[0.0; 2], &mut y),
            Err(want.clone())
        );
        assert_eq!(
            sa::prelu_on(isa, &[1.0, 2.0], &mut y, &[0.1], 1, 1),
            Err(want)
        );
        assert_eq!(y, [5.0; 2]);
    }
}

#[test]
fn activations_round_trip_through_their_text() {
    for (f, _) in common::functions() {
        let text = f.to_string();
        assert_eq!(text.parse::<Activation>(), Ok(f), "{text}");
    }
    assert_eq!(Activation::Gelu.to_string(), "gelu");
    assert_eq!(
        Activation::LeakyRelu {
            negative_slope: 0.2
        }
        .to_string(),
        "leaky_relu(negative_slope=0.2)"
    );
}

#[test]
fn pytorch_and_hugging_face_names_parse() {
    let cases = [
        ("GELU", Activation::Gelu),
        ("GELU(approximate='none')", Activation::Gelu),
        ("GELU(approximate='tanh')", Activation::GeluTanh),
        ("GELU(approximate=\"tanh\")", Activation::GeluTanh),
        ("gelu_pytorch_tanh", Activation::GeluTanh),
        ("gelu_new", Activation::GeluTanh),
        ("quick_gelu", Activation::GeluQuick),
        ("SiLU", Activation::Silu),
        ("swish", Activation::Silu),
        ("Hardswish", Activation::Hardswish),
        ("ReLU(inplace=True)", Activation::Relu),
        (
            "LeakyReLU(negative_slope=0.2)",
            Activation::LeakyRelu {
                negative_slope: 0.2,
            },
        ),
        (
            "Hardtanh(min_val=-2.0, max_val=2.0)",
            Activation::Hardtanh {
                min_val: -2.0,
                max_val: 2.0,
            },
        ),
        (
            "softplus(beta = 2)",
            Activation::Softplus {
                beta: 2.0,
                threshold: 20.0,
            },
        ),
        ("ELU", Activation::Elu { alpha: 1.0 }),
    ];
    for (text, want) in cases {
        assert_eq!(text.parse::<Activation>(), Ok(want), "{text}");
    }
}

#[test]
fn unreadable_functions_are_errors_naming_what_is_wrong() {
    let err = "gleu".parse::<Activation>().unwrap_err();
    assert!(matches!(err, Error::UnknownFunction { .. }));
    let message = err.to_string();
    assert!(message.contains("\"gleu\"") && message.contains("gelu_tanh, "));
    for f in Activation::ALL {
        assert!(message.contains(f.name()), "{message}");
    }
    for bad in ["gelu(alpha=1)", "elu(alpha=x)", "elu(alpha)", "elu(alpha=1"] {
        let err = bad.parse::<Activation>().unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{bad}: {err:?}");
    }
    assert_invalid("celu(alpha=0)".parse::<Activation>().map(|_| ()), "alpha");
    assert_invalid(
        "hardtanh(min_val=2, max_val=1)"
            .parse::<Activation>()
            .map(|_| ()),
        "min_val",
    );
}

#[test]
#[should_panic(expected = "input x has length 2 but output y has length 3")]
fn lengths_are_checked_before_parameters() {
    let _ = sa::softplus(&[1.0, 2.0], &mut [0.0; 3], -1.0, 20.0);
}

#[test]
#[should_panic(expected = "input x has length 2 but output y has length 3")]
fn lengths_are_checked_before_a_nan_parameter() {
    let _ = sa::elu(&[1.0, 2.0], &mut [0.0; 3], f32::NAN);
}

#[test]
#[should_panic(expected = "input x has length 2 but output y has length 3")]
fn lengths_are_checked_before_the_path() {
    let missing = Isa::ALL
        .iter()
        .copied()
        .find(|i| !i.is_available())
        .unwrap();
    let _ = Activation::Gelu.forward_on(missing, &[1.0, 2.0], &mut [0.0; 3]);
}

#[test]
fn an_empty_call_follows_the_rules_of_a_full_one() {
    let mut empty: [f32; 0] = [];
    let parameter = |r: Result<(), Error>| matches!(r, Err(Error::InvalidParameter { .. }));
    assert!(parameter(sa::elu_inplace(&mut empty, -1.0)));
    assert!(parameter(sa::elu::<f32>(&[], &mut [], f32::NAN)));
    let shape = sa::softmax::<f32>(&[], &mut [], 0);
    assert!(matches!(shape, Err(Error::InvalidShape { .. })));
    let x = [1.0f32; 4];
    let p = x.as_ptr().cast_mut();
    // SAFETY: `x` holds 4 floats; `n = 0` reads and writes nothing.
    let (empty, four) = unsafe {
        (
            simd_activations::capi::elementwise::elu(p, p, 0, -1.0),
            simd_activations::capi::elementwise::elu(p, p, 4, -1.0),
        )
    };
    assert_eq!(empty, simd_activations::capi::SA_ERR_PARAMETER);
    assert_eq!(four, empty);
}
