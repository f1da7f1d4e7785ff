//! `SIMD_ACTIVATIONS_ISA` caps what dispatch picks, and a bad value is a clear
//! error. Each case runs in a child process (the choice is made once per
//! process), re-running this test binary with a filter.

use simd_activations::register::{self, wide::f32x8};
use simd_activations::{Activation, ISA_ENV_VAR, Isa, MaskedRows, capi};
use std::process::Command;

/// In a child: report what dispatch picked, or the error.
#[test]
fn child_report() {
    if std::env::var_os("SIMD_ACTIVATIONS_TEST_CHILD").is_none() {
        return;
    }
    // The C interface first: it must report, not panic, before anything has
    // cached the choice.
    let x = [-1.0f32, 2.0];
    let mut y = [0.0f32; 2];
    // SAFETY: `x` and `y` hold 2 floats.
    let status = unsafe { capi::elementwise::relu(x.as_ptr(), y.as_mut_ptr(), 2) };
    let name = capi::sa_isa_name();
    let name = if name.is_null() {
        "null".to_owned()
    } else {
        // SAFETY: a static NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned()
    };
    println!("CAPI={status} NAME={name} Y={y:?}");
    // A register function gives the scalar path's bits whatever the
    // variable says, and does not panic while it is invalid.
    let v = [-3.0f32, -1.0, -0.5, -0.0, 0.5, 1.0, 2.0, f32::NAN];
    let got = register::gelu(f32x8::from(v)).to_array().map(f32::to_bits);
    let mut want = [0.0f32; 8];
    Activation::Gelu
        .forward_on(Isa::Scalar, &v, &mut want)
        .unwrap();
    println!("REGISTER_BITS_EQUAL={}", got == want.map(f32::to_bits));
    // An unknown function and a bad shape: the path is checked first.
    let unknown = capi::SaActivation {
        function: 1000,
        params: [0.0; 2],
    };
    let bias = [0.0f32; 3];
    let mut z = [0.0f32; 3];
    // SAFETY: `x`, `z` and `bias` hold what the calls read and write.
    let order = unsafe {
        [
            capi::sa_activation_forward(unknown, x.as_ptr(), z.as_mut_ptr(), 2),
            capi::sa_activation_forward_par(unknown, x.as_ptr(), z.as_mut_ptr(), 2),
            capi::sa_activation_bias(unknown, x.as_ptr(), bias.as_ptr(), z.as_mut_ptr(), 2, 3),
            capi::sa_activation_bias_inplace(unknown, z.as_mut_ptr(), bias.as_ptr(), 1, 3, 2),
        ]
    };
    println!("ORDER={order:?}");
    // A null pointer with a nonzero count: the pointers come before the path.
    let first = capi::SaActivation {
        function: 0,
        params: [0.0; 2],
    };
    let null = core::ptr::null::<f32>();
    // SAFETY: every call is refused at its null pointer before any access;
    // the others point to what they would read or write.
    let pointers = unsafe {
        [
            capi::sa_activation_forward(first, null, z.as_mut_ptr(), 2),
            capi::sa_activation_bias_inplace(first, null.cast_mut(), bias.as_ptr(), 1, 3, 3),
            capi::gated_f32::gated_rows(0, null, z.as_mut_ptr(), 1, 1, 0),
            capi::sa_softmax(null, z.as_mut_ptr(), 2, 2),
        ]
    };
    println!("POINTERS={pointers:?} Z={z:?}");
    match Isa::from_env() {
        Ok(_) => println!("PICKED={}", Isa::best().name()),
        Err(e) => println!("ERROR={e}"),
    }
}

/// In a child under an invalid `SIMD_ACTIVATIONS_ISA`: the functions that
/// return a `Result` report the error, then a limit set in code overrides
/// the variable.
#[test]
fn child_limit() {
    if std::env::var_os("SIMD_ACTIVATIONS_TEST_CHILD").is_none() {
        return;
    }
    let x = [-1.0f32, 2.0];
    let mut y = [0.0f32; 2];
    let forward = Activation::Relu.forward(&x, &mut y);
    let softmax = simd_activations::softmax(&x, &mut y, 2);
    let elu = simd_activations::elu(&x, &mut y, 1.0);
    println!("BEFORE forward={forward:?} softmax={softmax:?} elu={elu:?} Y={y:?}");
    let unavailable = Isa::ALL
        .iter()
        .copied()
        .find(|i| !i.is_available())
        .unwrap();
    println!("UNAVAILABLE={:?}", Isa::set_limit(unavailable));
    println!("SET={:?}", Isa::set_limit(Isa::Scalar));
    let forward = Activation::Relu.forward(&x, &mut y);
    // SAFETY: `x` and `y` hold 2 floats.
    let status = unsafe { capi::elementwise::relu(x.as_ptr(), y.as_mut_ptr(), 2) };
    println!(
        "AFTER forward={forward:?} best={} limit={:?} capi={status} Y={y:?}",
        Isa::best(),
        Isa::limit()
    );
}

/// In a child under an invalid `SIMD_ACTIVATIONS_ISA`: the free functions
/// that panic on it check their lengths first, so a length mismatch names
/// the lengths, not the variable.
#[test]
fn child_lengths_first() {
    if std::env::var_os("SIMD_ACTIVATIONS_TEST_CHILD").is_none() {
        return;
    }
    use std::panic::{AssertUnwindSafe, catch_unwind};
    std::panic::set_hook(Box::new(|_| {}));
    let report = |name: &str, f: &mut dyn FnMut()| {
        let message = match catch_unwind(AssertUnwindSafe(f)) {
            Ok(()) => "no panic".to_owned(),
            Err(payload) => payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        };
        println!("LENGTHS {name}: {message}");
    };
    let (a, b) = ([1.0f32, 2.0], [1.0f32]);
    let mut y = [0.0f32; 2];
    report("gelu", &mut || simd_activations::gelu(&a, &mut y[..1]));
    report("swiglu", &mut || simd_activations::swiglu(&a, &b, &mut y));
    report("geglu", &mut || simd_activations::geglu(&a, &b, &mut y));
    report("geglu_tanh", &mut || {
        simd_activations::geglu_tanh(&a, &b, &mut y)
    });
    report("geglu_quick", &mut || {
        simd_activations::geglu_quick(&a, &b, &mut y)
    });
    report("reglu", &mut || simd_activations::reglu(&a, &b, &mut y));
    report("frelu", &mut || simd_activations::frelu(&a, &b, &mut y));
    report("frelu_inplace", &mut || {
        simd_activations::frelu_inplace(&mut y, &b)
    });
    // The entry points that return a `Result`: the mismatch panics before
    // the variable is read.
    let gelu = Activation::Gelu;
    let swiglu = simd_activations::GatedUnit::SwiGlu;
    let mut yh = [simd_activations::bf16::ZERO; 1];
    let mut uninit = [std::mem::MaybeUninit::<f32>::uninit(); 1];
    report("forward", &mut || drop(gelu.forward(&a, &mut y[..1])));
    report("forward_mixed", &mut || {
        drop(gelu.forward_mixed(&a, &mut yh))
    });
    report("forward_uninit", &mut || {
        drop(gelu.forward_uninit(&a, &mut uninit))
    });
    report("forward_bias", &mut || {
        drop(gelu.forward_bias(&a, &b, &mut y[..1]))
    });
    report("gated forward", &mut || {
        drop(swiglu.forward(&a, &b, &mut y))
    });
    report("gated forward_uninit", &mut || {
        drop(swiglu.forward_uninit(&a, &b, &mut uninit))
    });
    report("forward_rows", &mut || {
        drop(swiglu.forward_rows(&b, &mut y, 1, false))
    });
    report("softmax", &mut || {
        drop(simd_activations::softmax(&a, &mut y[..1], 1))
    });
    report("softmax_masked", &mut || {
        let options = (1.0, simd_activations::Mask::None, MaskedRows::Zero);
        drop(simd_activations::softmax_masked(
            &a,
            &mut y[..1],
            1,
            options,
        ))
    });
    report("softmax_uninit", &mut || {
        drop(simd_activations::softmax_uninit(&a, &mut uninit, 1))
    });
    report("prelu", &mut || {
        drop(simd_activations::prelu(&a, &mut y[..1], &b, 1, 1))
    });
    #[cfg(feature = "rayon")]
    {
        report("forward_par", &mut || {
            drop(gelu.forward_par(&a, &mut y[..1]))
        });
        report("gated forward_par", &mut || {
            drop(swiglu.forward_par(&a, &b, &mut y))
        });
        report("softmax_par", &mut || {
            drop(simd_activations::softmax_par(&a, &mut y[..1], 1))
        });
    }
}

fn run_child(value: &str) -> String {
    run_child_test("child_report", value)
}

fn run_child_test(test: &str, value: &str) -> String {
    let exe = std::env::current_exe().unwrap();
    let args = ["--exact", test, "--nocapture", "--test-threads=1"];
    let run = |mut cmd: Command| {
        cmd.args(args)
            .env("SIMD_ACTIVATIONS_TEST_CHILD", "1")
            .env(ISA_ENV_VAR, value)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    if let Some(out) = run(Command::new(&exe)) {
        return out;
    }
    // A cross-built binary under qemu-user without binfmt_misc cannot start
    // itself directly: start the child through the same emulator.
    let mut qemu = Command::new("qemu-aarch64");
    qemu.args(["-L", "/usr/aarch64-linux-gnu"]).arg(&exe);
    run(qemu).expect("run the test binary")
}

#[test]
fn cap_to_each_available_path() {
    for isa in Isa::available() {
        let out = run_child(isa.name());
        assert!(
            out.contains(&format!("PICKED={}", isa.name())),
            "{isa}: {out}"
        );
        let capi = format!("CAPI={} NAME={} Y=[0.0, 2.0]", capi::SA_OK, isa.name());
        assert!(out.contains(&capi), "{isa}: {out}");
        assert!(out.contains("REGISTER_BITS_EQUAL=true"), "{isa}: {out}");
    }
}

#[test]
fn unknown_value_is_an_error_naming_variable_and_values() {
    let out = run_child("avx9000");
    assert!(out.contains("ERROR="), "{out}");
    // The C interface reports it as a status and writes nothing.
    let capi = format!("CAPI={} NAME=none Y=[0.0, 0.0]", capi::SA_ERR_ISA);
    assert!(out.contains(&capi), "{out}");
    let order = format!("ORDER={:?}", [capi::SA_ERR_ISA; 4]);
    assert!(out.contains(&order), "{out}");
    // The pointers are checked before the path, and nothing is written.
    let pointers = format!("POINTERS={:?} Z=[0.0, 0.0, 0.0]", [capi::SA_ERR_POINTER; 4]);
    assert!(out.contains(&pointers), "{out}");
    assert!(out.contains("REGISTER_BITS_EQUAL=true"), "{out}");
    for needle in [ISA_ENV_VAR, "avx9000", "scalar", "avx2", "avx512", "neon"] {
        assert!(out.contains(needle), "missing {needle}: {out}");
    }
}

#[test]
fn unavailable_value_is_an_error() {
    let missing = Isa::ALL
        .iter()
        .copied()
        .find(|i| !i.is_available())
        .unwrap();
    let out = run_child(missing.name());
    assert!(out.contains("ERROR="), "{out}");
    assert!(
        out.contains(ISA_ENV_VAR) && out.contains(missing.name()),
        "{out}"
    );
}

#[test]
fn empty_value_means_no_cap() {
    let out = run_child("");
    let best = Isa::available().last().unwrap().name();
    assert!(out.contains(&format!("PICKED={best}")), "{out}");
}

#[test]
fn a_limit_set_in_code_overrides_an_invalid_variable() {
    let out = run_child_test("child_limit", "avx9000");
    let before = out[out.find("BEFORE").expect(&out)..]
        .lines()
        .next()
        .unwrap();
    assert_eq!(before.matches("Err(Env").count(), 3, "{out}");
    assert!(before.ends_with("Y=[0.0, 0.0]"), "{out}");
    assert!(out.contains("UNAVAILABLE=Err(UnavailableIsa"), "{out}");
    assert!(out.contains("SET=Ok(())"), "{out}");
    let after = format!(
        "AFTER forward=Ok(()) best=scalar limit=Some(Scalar) capi={} Y=[0.0, 2.0]",
        capi::SA_OK
    );
    assert!(out.contains(&after), "{out}");
}

#[test]
fn lengths_are_checked_before_an_invalid_variable() {
    let out = run_child_test("child_lengths_first", "avx9000");
    let lines: Vec<&str> = out
        .lines()
        .filter_map(|l| l.find("LENGTHS ").map(|i| &l[i..]))
        .collect();
    let par = if cfg!(feature = "rayon") { 3 } else { 0 };
    assert_eq!(lines.len(), 8 + 11 + par, "{out}");
    for line in lines {
        assert!(
            line.contains("has length 2") && line.contains("has length 1"),
            "{line}"
        );
        assert!(!line.contains(ISA_ENV_VAR), "{line}");
    }
}
