//! The public API: free functions, `Activation`, `Isa`, errors and panics.

mod common;

use simd_activations as sa;
use simd_activations::{Activation, Error, Isa};

fn inputs() -> Vec<f32> {
    (0..1000).map(|i| (i as f32 - 500.0) * 0.037).collect()
}

#[test]
fn free_functions_equal_activation_forward() {
    type Free = fn(&[f32], &mut [f32]);
    type InPlace = fn(&mut [f32]);
    let cases: [(Activation, Free, InPlace); 8] = [
        (Activation::Exp, sa::exp, sa::exp_inplace),
        (Activation::Erf, sa::erf, sa::erf_inplace),
        (Activation::Tanh, sa::tanh, sa::tanh_inplace),
        (Activation::Sigmoid, sa::sigmoid, sa::sigmoid_inplace),
        (Activation::Silu, sa::silu, sa::silu_inplace),
        (Activation::Gelu, sa::gelu, sa::gelu_inplace),
        (Activation::GeluTanh, sa::gelu_tanh, sa::gelu_tanh_inplace),
        (Activation::Mish, sa::mish, sa::mish_inplace),
    ];
    let x = inputs();
    for (act, free, inplace) in cases {
        let mut a = vec![0.0; x.len()];
        let mut b = vec![0.0; x.len()];
        let mut c = x.clone();
        let mut d = x.clone();
        free(&x, &mut a);
        act.forward(&x, &mut b).unwrap();
        inplace(&mut c);
        act.forward_inplace(&mut d).unwrap();
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b), "{}", act.name());
        assert_eq!(bits(&a), bits(&c), "{}", act.name());
        assert_eq!(bits(&a), bits(&d), "{}", act.name());
    }
}

#[test]
fn softplus_free_function_equals_activation() {
    let x = inputs();
    let mut a = vec![0.0; x.len()];
    let mut b = vec![0.0; x.len()];
    sa::softplus(&x, &mut a, 1.5, 7.0).unwrap();
    Activation::Softplus {
        beta: 1.5,
        threshold: 7.0,
    }
    .forward(&x, &mut b)
    .unwrap();
    assert_eq!(a, b);
    let mut c = x.clone();
    sa::softplus_inplace(&mut c, 1.5, 7.0).unwrap();
    assert_eq!(a, c);
}

#[test]
fn softplus_follows_the_threshold_rule() {
    // PyTorch: x where beta * x > threshold.
    // beta = 2: 7 is below the threshold (softplus(7) rounds to 7.0000005),
    // 10.5 above it.
    let x = [7.0f32, 10.5, 3.0, 3.5];
    let mut y = [0.0; 4];
    sa::softplus(&x, &mut y, 2.0, 20.0).unwrap();
    assert_ne!(y[0], 10.0);
    assert_eq!(y[1], 10.5);
    sa::softplus(&x, &mut y, 1.0, 3.0).unwrap();
    assert_ne!(y[2], 3.0);
    assert_eq!(y[3], 3.5);
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
    for isa in Isa::ALL {
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
    for isa in Isa::ALL {
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
    let missing: Vec<Isa> = Isa::ALL.into_iter().filter(|i| !i.is_available()).collect();
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
    sa::gelu(&[], &mut []);
    sa::tanh_inplace(&mut []);
    sa::softplus(&[], &mut [], 1.0, 20.0).unwrap();
}

#[test]
fn activation_names_are_the_function_names() {
    for (act, _) in common::functions() {
        assert!(!act.name().is_empty());
        assert!(act.validate().is_ok());
    }
    assert_eq!(Activation::GeluTanh.name(), "gelu_tanh");
}
