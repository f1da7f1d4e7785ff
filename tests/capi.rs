//! The C interface (`sa_*`): the Rust functions' bits, in place and not, and
//! a status (never a crash or a write) for every bad argument.

mod common;

use simd_activations::capi::*;
use simd_activations::{Activation, Isa};
use std::ffi::CStr;

/// Calls the C function of `f`, `sa_<name>`, with `f`'s parameters.
fn call(f: Activation, x: *const f32, y: *mut f32, n: usize) -> i32 {
    // SAFETY: the callers pass buffers valid for `n` floats, or exercise the
    // checks the functions make before touching memory.
    unsafe { call_elementwise(f, x, y, n) }
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// `f` as the C interface's value, from its name through
/// `sa_activation_parse` (which must accept it).
fn parsed(f: Activation) -> SaActivation {
    let text = std::ffi::CString::new(f.to_string()).unwrap();
    let mut c = SaActivation {
        function: u32::MAX,
        params: [0.0; 2],
    };
    // SAFETY: a NUL-terminated string and a writable `SaActivation`.
    assert_eq!(
        unsafe { sa_activation_parse(text.as_ptr(), &mut c) },
        SA_OK,
        "{f}"
    );
    c
}

fn inputs() -> Vec<f32> {
    let mut x = common::specials();
    x.extend(common::strided(1 << 18, 12_345));
    x
}

#[test]
fn elementwise_functions_give_the_rust_bits_in_place_and_not() {
    let x = inputs();
    for (f, _) in common::functions() {
        let mut want = vec![0.0; x.len()];
        f.forward(&x, &mut want).unwrap();
        let mut y = vec![7.0; x.len()];
        assert_eq!(call(f, x.as_ptr(), y.as_mut_ptr(), x.len()), SA_OK, "{f:?}");
        assert_eq!(bits(&y), bits(&want), "{f:?}");
        if f.validate_inplace().is_ok() {
            let mut z = x.clone();
            let p = z.as_mut_ptr();
            assert_eq!(call(f, p, p, z.len()), SA_OK, "{f:?} in place");
            assert_eq!(bits(&z), bits(&want), "{f:?} in place");
        }
    }
}

#[test]
fn row_wise_and_paired_functions_give_the_rust_bits() {
    let x: Vec<f32> = (0..96).map(|i| (i as f32 * 0.37).sin() * 30.0).collect();
    let mut want = vec![0.0; 96];
    let mut y = vec![0.0; 96];

    simd_activations::softmax(&x, &mut want, 32).unwrap();
    // SAFETY: `x` and `y` hold 96 floats.
    assert_eq!(
        unsafe { sa_softmax(x.as_ptr(), y.as_mut_ptr(), 96, 32) },
        SA_OK
    );
    assert_eq!(bits(&y), bits(&want));
    let mut z = x.clone();
    // SAFETY: `z` holds 96 floats.
    assert_eq!(
        unsafe { sa_softmax(z.as_ptr(), z.as_mut_ptr(), 96, 32) },
        SA_OK
    );
    assert_eq!(bits(&z), bits(&want));

    simd_activations::log_softmax(&x, &mut want, 48).unwrap();
    // SAFETY: `x` and `y` hold 96 floats.
    assert_eq!(
        unsafe { sa_log_softmax(x.as_ptr(), y.as_mut_ptr(), 96, 48) },
        SA_OK
    );
    assert_eq!(bits(&y), bits(&want));

    let w = [0.25f32, -1.5, 3.0];
    simd_activations::prelu(&x, &mut want, &w, 3, 4).unwrap();
    // SAFETY: `x`, `y` hold 96 floats, `w` 3.
    let status = unsafe { sa_prelu(x.as_ptr(), y.as_mut_ptr(), 96, w.as_ptr(), 3, 3, 4) };
    assert_eq!(status, SA_OK);
    assert_eq!(bits(&y), bits(&want));

    let t: Vec<f32> = x.iter().map(|v| v * -0.5 + 1.0).collect();
    simd_activations::frelu(&x, &t, &mut want);
    // SAFETY: `x`, `t`, `y` hold 96 floats.
    assert_eq!(
        unsafe { sa_frelu(x.as_ptr(), t.as_ptr(), y.as_mut_ptr(), 96) },
        SA_OK
    );
    assert_eq!(bits(&y), bits(&want));
    let mut z = x.clone();
    // SAFETY: `z`, `t` hold 96 floats.
    assert_eq!(
        unsafe { sa_frelu(z.as_ptr(), t.as_ptr(), z.as_mut_ptr(), 96) },
        SA_OK
    );
    assert_eq!(bits(&z), bits(&want));
}

#[test]
fn bad_pointers_are_a_status_and_nothing_is_written() {
    let x = [1.0f32; 8];
    let mut y = [9.0f32; 9];
    let null = std::ptr::null_mut::<f32>();
    assert_eq!(
        call(Activation::Gelu, null, y.as_mut_ptr(), 8),
        SA_ERR_POINTER
    );
    assert_eq!(call(Activation::Gelu, x.as_ptr(), null, 8), SA_ERR_POINTER);
    // Null with nothing to do is fine.
    assert_eq!(call(Activation::Gelu, null, null, 0), SA_OK);
    // Misaligned output.
    let misaligned = y.as_mut_ptr().cast::<u8>().wrapping_add(1).cast::<f32>();
    assert_eq!(
        call(Activation::Relu, x.as_ptr(), misaligned, 4),
        SA_ERR_POINTER
    );
    // A length no address space holds.
    assert_eq!(
        call(Activation::Relu, x.as_ptr(), y.as_mut_ptr(), usize::MAX / 2),
        SA_ERR_POINTER
    );
    assert_eq!(bits(&y), bits(&[9.0; 9]));
}

#[test]
fn partial_overlap_is_refused_and_nothing_is_written() {
    let mut buf: Vec<f32> = (0..16).map(|i| i as f32 - 8.0).collect();
    let before = bits(&buf);
    let p = buf.as_mut_ptr();
    for shift in [1usize, 3, 7] {
        let status = call(Activation::Relu, p, p.wrapping_add(shift), 8);
        assert_eq!(status, SA_ERR_OVERLAP, "shift {shift}");
        let status = call(Activation::Relu, p.wrapping_add(shift), p, 8);
        assert_eq!(status, SA_ERR_OVERLAP, "shift {shift}");
    }
    assert_eq!(bits(&buf), before, "nothing written by a refused call");
    // Adjacent, not overlapping.
    assert_eq!(call(Activation::Relu, p, p.wrapping_add(8), 8), SA_OK);
    assert_eq!(&bits(&buf)[..8], &before[..8]);
    assert_eq!(buf[8..], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);

    let t = [0.0f32; 4];
    let w = [0.5f32];
    let mut y = [5.0f32; 8];
    // SAFETY: `t` and `w` are read, `y` holds 8 floats; the output is `t`
    // or `w` themselves, which the checks refuse before any write.
    unsafe {
        let t_out = t.as_ptr().cast_mut();
        assert_eq!(sa_frelu(y.as_ptr(), t.as_ptr(), t_out, 4), SA_ERR_OVERLAP);
        let w_out = w.as_ptr().cast_mut();
        assert_eq!(
            sa_prelu(y.as_ptr(), w_out, 1, w.as_ptr(), 1, 1, 1),
            SA_ERR_OVERLAP
        );
        let y_ptr = y.as_mut_ptr();
        assert_eq!(
            sa_prelu(y_ptr, y_ptr, 8, y_ptr.wrapping_add(2), 1, 1, 1),
            SA_ERR_OVERLAP
        );
    }
    assert_eq!(t, [0.0; 4]);
    assert_eq!(w, [0.5]);
    assert_eq!(y, [5.0; 8]);
}

#[test]
fn bad_parameters_and_shapes_are_a_status_and_nothing_is_written() {
    let x = [-2.0f32, -0.5, 0.5, 2.0];
    let mut y = [9.0f32; 4];
    let yp = y.as_mut_ptr();
    let bad = [
        Activation::Softplus {
            beta: 0.0,
            threshold: 20.0,
        },
        Activation::Softplus {
            beta: 1.0,
            threshold: f32::NAN,
        },
        Activation::Hardtanh {
            min_val: 1.0,
            max_val: -1.0,
        },
        Activation::LeakyRelu {
            negative_slope: f32::INFINITY,
        },
        Activation::Celu { alpha: 0.0 },
    ];
    for f in bad {
        assert_eq!(call(f, x.as_ptr(), yp, 4), SA_ERR_PARAMETER, "{f:?}");
        assert_eq!(call(f, x.as_ptr(), yp, 0), SA_ERR_PARAMETER, "{f:?}, empty");
    }
    // A negative alpha: PyTorch's rule, refused in place only.
    let elu = Activation::Elu { alpha: -1.0 };
    let mut z = x;
    let zp = z.as_mut_ptr();
    assert_eq!(call(elu, zp, zp, 4), SA_ERR_PARAMETER);
    assert_eq!(z, x);
    assert_eq!(y, [9.0; 4]);
    assert_eq!(call(elu, x.as_ptr(), yp, 4), SA_OK);

    let mut y = [9.0f32; 4];
    let yp = y.as_mut_ptr();
    // SAFETY: `x` and `y` hold 4 floats, `w` 2.
    unsafe {
        assert_eq!(sa_softmax(x.as_ptr(), yp, 4, 3), SA_ERR_SHAPE);
        assert_eq!(sa_softmax(x.as_ptr(), yp, 4, 0), SA_ERR_SHAPE);
        assert_eq!(sa_log_softmax(x.as_ptr(), yp, 4, 8), SA_ERR_SHAPE);
        let w = [0.1f32, 0.2];
        assert_eq!(
            sa_prelu(x.as_ptr(), yp, 4, w.as_ptr(), 2, 4, 1),
            SA_ERR_SHAPE
        );
        assert_eq!(
            sa_prelu(x.as_ptr(), yp, 4, w.as_ptr(), 2, 3, 1),
            SA_ERR_SHAPE
        );
        assert_eq!(
            sa_prelu(x.as_ptr(), yp, 4, std::ptr::null(), 2, 2, 1),
            SA_ERR_POINTER
        );
    }
    assert_eq!(y, [9.0; 4]);
}

#[test]
fn names_and_messages() {
    // SAFETY: both return static NUL-terminated strings (or null).
    let name = unsafe { CStr::from_ptr(sa_isa_name()) };
    assert_eq!(name.to_str().unwrap(), Isa::best().name());
    let codes = [
        SA_OK,
        SA_ERR_POINTER,
        SA_ERR_OVERLAP,
        SA_ERR_PARAMETER,
        SA_ERR_SHAPE,
        SA_ERR_ISA,
        SA_ERR_INTERNAL,
    ];
    let mut seen = Vec::new();
    for code in codes {
        // SAFETY: as above.
        let m = unsafe { CStr::from_ptr(sa_status_message(code)) };
        let m = m.to_str().unwrap().to_owned();
        assert!(!seen.contains(&m), "{code}: {m}");
        seen.push(m);
    }
    // SAFETY: as above.
    let unknown = unsafe { CStr::from_ptr(sa_status_message(-3)) };
    assert_eq!(unknown.to_str().unwrap(), "unknown status");
    let isa = &seen[SA_ERR_ISA as usize];
    for valid in ["scalar", "avx2", "avx512", "neon"] {
        assert!(isa.contains(valid), "{isa}");
    }
}

/// The C smoke test (`tests/c/capi_smoke.c`, run by CI) calls every function
/// the header declares: the elementwise ones through the calls
/// `tests/c/elementwise_calls.sh` generates from the header, the others by
/// name.
#[test]
fn the_c_smoke_test_calls_every_function_of_the_header() {
    let header = include_str!("../capi/assets/simd_activations.h");
    let smoke = include_str!("c/capi_smoke.c");
    assert!(smoke.contains("#include \"elementwise_calls.inc\""));
    let shapes = [
        "(const float *x, float *y, size_t n",
        "(const uint16_t *x, uint16_t *y, size_t n",
    ];
    let mut declared = 0;
    let declarations = header
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()) && l.contains("sa_"));
    for line in declarations.filter(|l| l.contains('(')) {
        let name = &line[line.find("sa_").unwrap() + 3..line.find('(').unwrap()];
        let rest = &line[line.find('(').unwrap()..];
        let elementwise = shapes.iter().any(|shape| {
            rest.starts_with(shape)
                && rest[shape.len()..]
                    .trim_end_matches(|c| c != ')')
                    .split(", ")
                    .skip(1)
                    .all(|p| p.starts_with("float "))
        });
        // Called by name, or through a table of function pointers.
        let word = format!("sa_{name}");
        let by_name = smoke.match_indices(&word).any(|(i, _)| {
            !smoke[i + word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        });
        assert!(
            by_name || elementwise,
            "the C smoke test does not call sa_{name}"
        );
        declared += 1;
    }
    assert!(declared >= 3 * Activation::ALL.len() + 6);
}

#[test]
fn functions_chosen_at_run_time_give_the_rust_bits() {
    let x = inputs();
    for (f, _) in common::functions() {
        let c = parsed(f);
        let mut want = vec![0.0; x.len()];
        f.forward(&x, &mut want).unwrap();
        let mut y = vec![0.0; x.len()];
        // SAFETY: `x` and `y` hold `x.len()` floats.
        let status = unsafe { sa_activation_forward(c, x.as_ptr(), y.as_mut_ptr(), x.len()) };
        assert_eq!(status, SA_OK, "{f:?}");
        assert_eq!(bits(&y), bits(&want), "{f:?}");
    }
    let unknown = SaActivation {
        function: 1000,
        params: [0.0; 2],
    };
    let mut y = [0.0f32; 1];
    // SAFETY: one float each.
    let status = unsafe { sa_activation_forward(unknown, [1.0].as_ptr(), y.as_mut_ptr(), 1) };
    assert_eq!(status, SA_ERR_FUNCTION);
    let mut c = unknown;
    // SAFETY: NUL-terminated strings and a writable `SaActivation`.
    unsafe {
        assert_eq!(
            sa_activation_parse(c"gleu".as_ptr(), &mut c),
            SA_ERR_FUNCTION
        );
        assert_eq!(
            sa_activation_parse(c"celu(alpha=0)".as_ptr(), &mut c),
            SA_ERR_PARAMETER
        );
        assert_eq!(
            sa_activation_parse(std::ptr::null(), &mut c),
            SA_ERR_POINTER
        );
    }
    assert_eq!(c, unknown, "nothing written on error");
}

#[test]
fn the_c_bias_epilogue_gives_the_rust_bits_and_checks_its_tile() {
    let f = Activation::Gelu;
    let mut c = SaActivation {
        function: 0,
        params: [0.0; 2],
    };
    // SAFETY: a NUL-terminated string and a writable `SaActivation`.
    assert_eq!(
        unsafe { sa_activation_parse(c"gelu".as_ptr(), &mut c) },
        SA_OK
    );
    let (rows, cols, ld) = (5, 13, 16);
    let mut tile: Vec<f32> = (0..rows * ld)
        .map(|i| (i as f32 * 0.7).cos() * 4.0)
        .collect();
    let bias: Vec<f32> = (0..cols).map(|i| i as f32 * 0.1).collect();
    let mut want = tile.clone();
    f.forward_bias_inplace(&mut want, &bias, rows, cols, ld)
        .unwrap();
    let (y, b) = (tile.as_mut_ptr(), bias.as_ptr());
    // SAFETY: the tile holds `rows * ld` floats and the bias `cols`.
    unsafe {
        assert_eq!(sa_activation_bias_inplace(c, y, b, rows, cols, ld), SA_OK);
        assert_eq!(
            sa_activation_bias_inplace(c, y, b, rows, cols, 12),
            SA_ERR_SHAPE
        );
        assert_eq!(
            sa_activation_bias_inplace(c, y, y, rows, cols, ld),
            SA_ERR_OVERLAP
        );
        assert_eq!(
            sa_activation_bias_inplace(c, y, b, usize::MAX, cols, ld),
            SA_ERR_SHAPE
        );
    }
    assert_eq!(bits(&tile), bits(&want));
}

/// The pointers are checked before the function, the shape and the
/// parameters (an overlap too), by the functions that take an
/// `SaActivation` as by the rest;
/// and a contiguous bias whose length does not divide `n` is a shape error
/// in place too.
#[test]
fn pointers_come_before_the_function_and_the_shape() {
    let unknown = SaActivation {
        function: 1000,
        params: [0.0; 2],
    };
    let mut gelu = unknown;
    // SAFETY: a NUL-terminated string and a writable `SaActivation`.
    assert_eq!(
        unsafe { sa_activation_parse(c"gelu".as_ptr(), &mut gelu) },
        SA_OK
    );
    // elu with a NaN alpha (any use), and with a negative one (in place).
    let mut elu_nan = unknown;
    let mut elu_negative = unknown;
    // SAFETY: NUL-terminated strings and writable `SaActivation`s.
    unsafe {
        assert_eq!(sa_activation_parse(c"elu".as_ptr(), &mut elu_nan), SA_OK);
        assert_eq!(
            sa_activation_parse(c"elu(alpha=-1)".as_ptr(), &mut elu_negative),
            SA_OK
        );
    }
    elu_nan.params[0] = f32::NAN;
    let null = std::ptr::null_mut::<f32>();
    let x = [1.0f32; 8];
    let mut y = [7.0f32; 8];
    let b = [1.0f32; 4];
    let (xp, yp, bp) = (x.as_ptr(), y.as_mut_ptr(), b.as_ptr());
    let ycp = yp.cast_const();
    // SAFETY: the non-null pointers hold 8 (`x`, `y`) and 4 (`b`) floats, at
    // least as many as each call reads or writes; null ones come with
    // nonzero counts only to be refused.
    let got = unsafe {
        [
            sa_activation_forward(unknown, null, yp, 8),
            sa_activation_forward_par(unknown, null, yp, 8),
            sa_activation_forward(unknown, ycp, yp, 8),
            sa_activation_bias(gelu, null, bp, yp, 8, 3),
            sa_activation_bias(unknown, null, bp, yp, 8, 3),
            sa_activation_bias(unknown, ycp, bp, yp, 6, 3),
            sa_activation_bias(gelu, xp, bp, yp, 8, 3),
            sa_activation_bias(gelu, ycp, bp, yp, 8, 3),
            sa_activation_bias_inplace(gelu, null, bp, 2, 4, 3),
            sa_activation_bias_inplace(unknown, null, bp, 2, 3, 3),
            sa_activation_bias_inplace(unknown, yp, ycp, 2, 3, 3),
            sa_activation_bias_inplace(unknown, yp, bp, 2, 3, 3),
            sa_activation_bias_inplace(gelu, yp, bp, 2, 4, 3),
            sa_activation_forward(elu_nan, null, yp, 8),
            sa_activation_bias(elu_nan, xp, bp, yp, 8, 3),
            sa_activation_bias_inplace(elu_negative, yp, bp, 2, 4, 3),
            sa_activation_bias_inplace(elu_negative, yp, bp, 2, 3, 3),
        ]
    };
    let want = [
        SA_ERR_POINTER,
        SA_ERR_POINTER,
        SA_ERR_FUNCTION,
        SA_ERR_POINTER,
        SA_ERR_POINTER,
        SA_ERR_FUNCTION,
        SA_ERR_SHAPE,
        SA_ERR_SHAPE,
        SA_ERR_POINTER,
        SA_ERR_POINTER,
        SA_ERR_OVERLAP,
        SA_ERR_FUNCTION,
        SA_ERR_SHAPE,
        SA_ERR_POINTER,
        SA_ERR_SHAPE,
        SA_ERR_SHAPE,
        SA_ERR_PARAMETER,
    ];
    assert_eq!(got, want);
    assert_eq!(y, [7.0; 8], "nothing written on error");
}

/// The calling thread's last failure in words.
fn last_error() -> String {
    // SAFETY: a NUL-terminated string that stays valid until the next
    // failing call on this thread.
    unsafe { CStr::from_ptr(sa_last_error()) }
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_last_error_says_what_was_wrong() {
    let x = [1.0f32; 4];
    let mut y = [0.0f32; 4];
    let (xp, yp) = (x.as_ptr(), y.as_mut_ptr());
    // SAFETY: `x` and `y` hold 4 floats; the failing calls write nothing.
    unsafe {
        assert_eq!(
            elementwise::softplus(xp, yp, 4, -1.5, 20.0),
            SA_ERR_PARAMETER
        );
        let message = last_error();
        assert!(
            message.contains("beta") && message.contains("-1.5"),
            "{message}"
        );
        assert_eq!(sa_softmax(xp, yp, 4, 3), SA_ERR_SHAPE);
        let message = last_error();
        assert!(message.contains('3') && message.contains('4'), "{message}");
        assert_eq!(elementwise::gelu(std::ptr::null(), yp, 4), SA_ERR_POINTER);
        let message = last_error();
        assert!(
            message.contains("0x0") && message.contains("n = 4"),
            "{message}"
        );
        // A later success leaves the message of the last failure.
        assert_eq!(elementwise::gelu(xp, yp, 4), SA_OK);
        assert_eq!(last_error(), message);
    }
    // Per thread: another thread has its own.
    let other = std::thread::spawn(last_error).join().unwrap();
    assert_eq!(other, "no error");
}

#[test]
fn the_c_attention_softmax_gives_the_rust_bits_and_hides_rows() {
    let row_len = 16;
    let x: Vec<f32> = (0..row_len * 4)
        .map(|i| (i as f32 * 0.37).sin() * 9.0)
        .collect();
    let mut mask: Vec<f32> = (0..x.len()).map(|i| -((i % 5) as f32)).collect();
    mask[2 * row_len..3 * row_len].fill(f32::NEG_INFINITY);
    let mut want = vec![0.0; x.len()];
    simd_activations::softmax_masked(
        &x,
        &mut want,
        row_len,
        (
            0.25,
            simd_activations::Mask::PerRow(&mask),
            simd_activations::MaskedRows::Zero,
        ),
    )
    .unwrap();
    let mut y = vec![0.0; x.len()];
    let mut z = x.clone();
    // SAFETY: every buffer holds the counts passed.
    unsafe {
        let (m, n) = (mask.as_ptr(), x.len());
        assert_eq!(
            sa_softmax_masked(x.as_ptr(), y.as_mut_ptr(), n, row_len, 0.25, m, n, 1),
            SA_OK
        );
        let zp = z.as_mut_ptr();
        assert_eq!(sa_softmax_masked(zp, zp, n, row_len, 0.25, m, n, 1), SA_OK);
        assert_eq!(
            sa_softmax_masked(x.as_ptr(), y.as_mut_ptr(), n, row_len, 0.25, m, 7, 1),
            SA_ERR_SHAPE
        );
    }
    assert_eq!(bits(&y), bits(&want));
    assert_eq!(bits(&z), bits(&want));
    assert!(y[2 * row_len..3 * row_len].iter().all(|v| *v == 0.0));
}

/// A 16-bit C row function: `x`, `y`, `n`, `row_len`.
type HalfRows = unsafe extern "C" fn(*const u16, *mut u16, usize, usize) -> i32;
/// A 16-bit C masked row function: `x`, `y`, `n`, `row_len`, `scale`,
/// `mask`, `mask_len`, `zero_masked_rows`.
type HalfMasked =
    unsafe extern "C" fn(*const u16, *mut u16, usize, usize, f32, *const u16, usize, i32) -> i32;

/// A 16-bit type's `from_f32` and `to_bits`.
type Conversions<T> = (fn(f32) -> T, fn(T) -> u16);

/// The 16-bit row functions of one type (`softmax`, `log_softmax`, then
/// their `_par` forms; the masked ones in the same order) against the Rust
/// forms: the same bits, in place too, and nothing written on error.
fn half_rows<T: simd_activations::Element + Default>(
    (narrow, bits): Conversions<T>,
    plain: [HalfRows; 4],
    masked: [HalfMasked; 4],
) {
    use simd_activations::{Mask, MaskedRows};
    let row_len = 24;
    let wide: Vec<f32> = (0..row_len * 5)
        .map(|i| (i as f32 * 0.61).cos() * 7.0)
        .collect();
    let n = wide.len();
    let x: Vec<T> = wide.iter().map(|&v| narrow(v)).collect();
    let mask: Vec<T> = (0..row_len)
        .map(|i| narrow(if i % 4 == 0 { f32::NEG_INFINITY } else { -0.5 }))
        .collect();
    let options = (0.5, Mask::Row(&mask), MaskedRows::Zero);
    let to_bits = |v: &[T]| v.iter().map(|&h| bits(h)).collect::<Vec<u16>>();
    let mut want = vec![vec![T::default(); n]; 4];
    simd_activations::softmax(&x, &mut want[0], row_len).unwrap();
    simd_activations::log_softmax(&x, &mut want[1], row_len).unwrap();
    simd_activations::softmax_masked(&x, &mut want[2], row_len, options).unwrap();
    simd_activations::log_softmax_masked(&x, &mut want[3], row_len, options).unwrap();
    let want: Vec<Vec<u16>> = want.iter().map(|w| to_bits(w)).collect();
    let (xb, mb) = (to_bits(&x), to_bits(&mask));
    // The output, filled with a value no call gives, so that a call that
    // writes nothing fails the comparison after it.
    let mut y = vec![0u16; n];
    let fresh = |y: &mut Vec<u16>| {
        y.fill(0x7bcd);
        y.as_mut_ptr()
    };
    // SAFETY: every buffer holds the counts passed.
    unsafe {
        for (k, f) in plain.into_iter().enumerate() {
            assert_eq!(f(xb.as_ptr(), fresh(&mut y), n, row_len), SA_OK);
            assert_eq!(y, want[k % 2], "row function {k}");
            let mut z = xb.clone();
            assert_eq!(f(z.as_ptr(), z.as_mut_ptr(), n, row_len), SA_OK);
            assert_eq!(z, want[k % 2], "row function {k} in place");
        }
        for (k, f) in masked.into_iter().enumerate() {
            let (m, yp) = (mb.as_ptr(), fresh(&mut y));
            assert_eq!(f(xb.as_ptr(), yp, n, row_len, 0.5, m, row_len, 1), SA_OK);
            assert_eq!(y, want[2 + k % 2], "masked row function {k}");
            let yp = fresh(&mut y);
            let short = f(xb.as_ptr(), yp, n, row_len, 0.5, m, row_len - 1, 1);
            assert_eq!(short, SA_ERR_SHAPE, "masked row function {k}");
            assert!(y.iter().all(|&v| v == 0x7bcd), "nothing written on error");
        }
        let yp = fresh(&mut y);
        assert_eq!(plain[2](xb.as_ptr(), yp, n, 7), SA_ERR_SHAPE);
        assert!(y.iter().all(|&v| v == 0x7bcd), "nothing written on error");
    }
}

#[test]
fn the_c_half_rows_give_the_rust_bits() {
    use simd_activations::capi::{rows_bf16 as b, rows_f16 as h};
    use simd_activations::{bf16, f16};
    half_rows::<bf16>(
        (bf16::from_f32, bf16::to_bits),
        [
            b::softmax,
            b::log_softmax,
            b::softmax_par,
            b::log_softmax_par,
        ],
        [
            b::softmax_masked,
            b::log_softmax_masked,
            b::softmax_masked_par,
            b::log_softmax_masked_par,
        ],
    );
    half_rows::<f16>(
        (f16::from_f32, f16::to_bits),
        [
            h::softmax,
            h::log_softmax,
            h::softmax_par,
            h::log_softmax_par,
        ],
        [
            h::softmax_masked,
            h::log_softmax_masked,
            h::softmax_masked_par,
            h::log_softmax_masked_par,
        ],
    );
}

/// The 16-bit C functions give the Rust bits, in place and not; the gated
/// units and their row form too, and refuse an output over `up`.
#[test]
fn half_and_gated_functions_give_the_rust_bits() {
    use simd_activations::{GatedUnit, bf16, f16};
    let x: Vec<u16> = (0..=u16::MAX).step_by(7).collect();
    let b: Vec<bf16> = x.iter().map(|&h| bf16::from_bits(h)).collect();
    let h: Vec<f16> = x.iter().map(|&h| f16::from_bits(h)).collect();
    let mut want_b = vec![bf16::ZERO; x.len()];
    let mut want_h = vec![f16::ZERO; x.len()];
    Activation::Gelu.forward(&b, &mut want_b).unwrap();
    Activation::Gelu.forward(&h, &mut want_h).unwrap();
    let mut y = vec![0u16; x.len()];
    // SAFETY: `x` and `y` hold `x.len()` elements.
    assert_eq!(
        unsafe { simd_activations::capi::bf16::gelu(x.as_ptr(), y.as_mut_ptr(), x.len()) },
        SA_OK
    );
    assert!(y.iter().zip(&want_b).all(|(a, w)| *a == w.to_bits()));
    // SAFETY: as above.
    assert_eq!(
        unsafe { simd_activations::capi::f16::gelu(x.as_ptr(), y.as_mut_ptr(), x.len()) },
        SA_OK
    );
    assert!(y.iter().zip(&want_h).all(|(a, w)| *a == w.to_bits()));
    let mut z = x.clone();
    let p = z.as_mut_ptr();
    // SAFETY: `z` holds `x.len()` elements; in place.
    assert_eq!(
        unsafe { simd_activations::capi::f16::gelu(p, p, x.len()) },
        SA_OK
    );
    assert!(z.iter().zip(&want_h).all(|(a, w)| *a == w.to_bits()));

    let g: Vec<f32> = (0..300).map(|i| (i as f32 * 0.3).sin() * 6.0).collect();
    let u: Vec<f32> = (0..300).map(|i| (i as f32 * 0.7).cos() * 2.0).collect();
    let mut want = vec![0.0; 300];
    GatedUnit::SwiGlu.forward(&g, &u, &mut want).unwrap();
    let mut y = vec![0.0f32; 300];
    // SAFETY: every buffer holds 300 floats.
    assert_eq!(
        unsafe { gated_f32::swiglu(g.as_ptr(), u.as_ptr(), y.as_mut_ptr(), 300) },
        SA_OK
    );
    assert_eq!(bits(&y), bits(&want));
    let mut z = g.clone();
    let p = z.as_mut_ptr();
    // SAFETY: as above, in place over `gate`.
    assert_eq!(unsafe { gated_f32::swiglu(p, u.as_ptr(), p, 300) }, SA_OK);
    assert_eq!(bits(&z), bits(&want));
    let mut v = u.clone();
    let q = v.as_mut_ptr();
    // SAFETY: as above; `y` over `up` is refused before anything is written.
    assert_eq!(
        unsafe { gated_f32::swiglu(g.as_ptr(), q, q, 300) },
        SA_ERR_OVERLAP
    );
    assert_eq!(bits(&v), bits(&u));

    let rows: Vec<f32> = (0..600).map(|i| (i as f32 * 0.11).sin() * 4.0).collect();
    let mut want = vec![0.0; 300];
    GatedUnit::GeGlu
        .forward_rows(&rows, &mut want, 30, true)
        .unwrap();
    let mut y = vec![0.0f32; 300];
    // SAFETY: `rows` holds 600 floats and `y` 300.
    let status = unsafe { gated_f32::gated_rows(1, rows.as_ptr(), y.as_mut_ptr(), 300, 30, 1) };
    assert_eq!(status, SA_OK);
    assert_eq!(bits(&y), bits(&want));
}

/// The 16-bit forms of the run-time entry (in place and not), `prelu` (on
/// bf16) and `frelu` (on binary16): the Rust functions' bits on every
/// pattern.
#[test]
fn sixteen_bit_run_time_and_second_input_forms_give_the_rust_bits() {
    use simd_activations::{bf16, f16};
    let hb: Vec<bf16> = (0..=u16::MAX).map(bf16::from_bits).collect();
    let hf: Vec<f16> = (0..=u16::MAX).map(f16::from_bits).collect();
    let (xb, xf): (Vec<u16>, Vec<u16>) = (
        hb.iter().map(|h| h.to_bits()).collect(),
        hf.iter().map(|h| h.to_bits()).collect(),
    );
    let n = xb.len();
    let t: Vec<u16> = (0..n as u32)
        .map(|i| i.wrapping_mul(40_503) as u16)
        .collect();
    let w = [0.25f32, -1.5, 3.0, 0.0];
    let mut y = vec![0u16; n];
    for f in [
        Activation::Gelu,
        Activation::Silu,
        Activation::Elu { alpha: 0.5 },
    ] {
        let c = parsed(f);
        let mut want_b = vec![bf16::ZERO; n];
        f.forward(&hb, &mut want_b).unwrap();
        let want_b: Vec<u16> = want_b.iter().map(|h| h.to_bits()).collect();
        let mut want_f = vec![f16::ZERO; n];
        f.forward(&hf, &mut want_f).unwrap();
        let want_f: Vec<u16> = want_f.iter().map(|h| h.to_bits()).collect();
        type Forward = unsafe extern "C" fn(SaActivation, *const u16, *mut u16, usize) -> i32;
        let forms: [(Forward, &[u16], &[u16]); 4] = [
            (runtime_bf16::forward, &xb, &want_b),
            (runtime_bf16::forward_par, &xb, &want_b),
            (runtime_f16::forward, &xf, &want_f),
            (runtime_f16::forward_par, &xf, &want_f),
        ];
        for (k, (form, x, want)) in forms.into_iter().enumerate() {
            // A value no form gives for every input, so that a form that
            // writes nothing is seen.
            y.fill(0x7bcd);
            // SAFETY: `x` and `y` hold `n` elements.
            assert_eq!(unsafe { form(c, x.as_ptr(), y.as_mut_ptr(), n) }, SA_OK);
            assert!(y == want, "{f}, form {k}");
            let mut z = x.to_vec();
            // SAFETY: `z` holds `n` elements.
            assert_eq!(unsafe { form(c, z.as_ptr(), z.as_mut_ptr(), n) }, SA_OK);
            assert!(z == want, "{f}, form {k} in place");
        }
    }

    // prelu over [4096, 4, 4] and frelu against a shuffle of the patterns.
    let mut want_b = vec![bf16::ZERO; n];
    simd_activations::prelu(&hb, &mut want_b, &w, 4, 4).unwrap();
    // SAFETY: `xb`, `y` hold `n` elements, `w` 4.
    let status = unsafe { second_bf16::prelu(xb.as_ptr(), y.as_mut_ptr(), n, w.as_ptr(), 4, 4, 4) };
    assert_eq!(status, SA_OK);
    assert!(y.iter().zip(&want_b).all(|(a, b)| *a == b.to_bits()));
    let mut want_f = vec![f16::ZERO; n];
    let tf: Vec<f16> = t.iter().map(|&b| f16::from_bits(b)).collect();
    simd_activations::frelu(&hf, &tf, &mut want_f);
    // SAFETY: `xf`, `t`, `y` hold `n` elements.
    let status = unsafe { second_f16::frelu(xf.as_ptr(), t.as_ptr(), y.as_mut_ptr(), n) };
    assert_eq!(status, SA_OK);
    assert!(y.iter().zip(&want_f).all(|(a, b)| *a == b.to_bits()));
}

/// `sa_activation_forward_mixed`: every pair of element types gives
/// `forward_mixed`'s bits; one buffer of one type computes in place; an
/// unknown type, and one buffer read as two types, are refused unwritten.
#[test]
fn mixed_run_time_entry_gives_forward_mixed_bits_for_every_pair_of_types() {
    use simd_activations::{Element, bf16, f16};
    fn pair<A: Element + Copy + Default, B: Element + Copy + Default + PartialEq>(
        c: SaActivation,
        f: Activation,
        types: (i32, i32),
        x: &[A],
    ) {
        let mut want = vec![B::default(); x.len()];
        f.forward_mixed(x, &mut want).unwrap();
        let mut got = vec![B::default(); x.len()];
        // SAFETY: `x` and `got` hold `x.len()` elements of the named types.
        let status = unsafe {
            sa_activation_forward_mixed(
                c,
                x.as_ptr().cast(),
                types.0,
                got.as_mut_ptr().cast(),
                types.1,
                x.len(),
            )
        };
        assert_eq!(status, SA_OK, "{types:?}");
        let same = want.iter().zip(&got).all(|(a, b)| {
            // SAFETY: plain values of 2 or 4 bytes; compare their bytes.
            let bytes = |v: &B| unsafe {
                core::slice::from_raw_parts((v as *const B).cast::<u8>(), size_of::<B>()).to_vec()
            };
            bytes(a) == bytes(b)
        });
        assert!(same, "{types:?}");
    }
    let f = Activation::Silu;
    let mut c = SaActivation {
        function: 0,
        params: [0.0; 2],
    };
    // SAFETY: a NUL-terminated string and a writable `SaActivation`.
    assert_eq!(
        unsafe { sa_activation_parse(c"silu".as_ptr(), &mut c) },
        SA_OK
    );
    let x = inputs();
    let xb: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v)).collect();
    let xh: Vec<f16> = x.iter().map(|&v| f16::from_f32(v)).collect();
    let (f32_t, bf16_t, f16_t) = (SA_TYPE_F32, SA_TYPE_BF16, SA_TYPE_F16);
    pair::<f32, f32>(c, f, (f32_t, f32_t), &x);
    pair::<f32, bf16>(c, f, (f32_t, bf16_t), &x);
    pair::<f32, f16>(c, f, (f32_t, f16_t), &x);
    pair::<bf16, f32>(c, f, (bf16_t, f32_t), &xb);
    pair::<bf16, bf16>(c, f, (bf16_t, bf16_t), &xb);
    pair::<bf16, f16>(c, f, (bf16_t, f16_t), &xb);
    pair::<f16, f32>(c, f, (f16_t, f32_t), &xh);
    pair::<f16, bf16>(c, f, (f16_t, bf16_t), &xh);
    pair::<f16, f16>(c, f, (f16_t, f16_t), &xh);
    // In place on one type.
    let mut want = vec![bf16::ZERO; xb.len()];
    f.forward(&xb, &mut want).unwrap();
    let mut z = xb.clone();
    let p = z.as_mut_ptr().cast();
    // SAFETY: `z` holds `z.len()` bf16 values.
    let status = unsafe { sa_activation_forward_mixed(c, p, bf16_t, p, bf16_t, z.len()) };
    assert_eq!(status, SA_OK);
    assert!(z.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()));
    // Refused, nothing written.
    let mut w = x.clone();
    let p = w.as_mut_ptr().cast();
    // SAFETY: `w` holds `w.len()` floats; the calls are refused first.
    unsafe {
        assert_eq!(
            sa_activation_forward_mixed(c, p, f32_t, p, bf16_t, 8),
            SA_ERR_OVERLAP
        );
        assert_eq!(
            sa_activation_forward_mixed(c, p, 3, p, f32_t, 8),
            SA_ERR_PARAMETER
        );
        assert_eq!(
            sa_activation_forward_mixed(c, p, f32_t, p, -1, 8),
            SA_ERR_PARAMETER
        );
    }
    assert_eq!(bits(&w), bits(&x));
}

/// The f32 `_par` functions on slices long enough to be split (above
/// `PARALLEL_MIN`, rows of an odd length, offset from the allocation by one
/// element) give the one-thread Rust bits, in place and not.
#[test]
fn the_c_par_functions_split_large_slices_with_the_one_thread_bits() {
    use simd_activations::{Error, GatedUnit, Mask, MaskOptions, MaskedRows, PARALLEL_MIN};
    let row_len = 1001;
    let n = row_len * (PARALLEL_MIN / row_len + 37);
    let data: Vec<f32> = (0..2 * n + 1)
        .map(|i| (i as f32 * 0.37).sin() * 9.0)
        .collect();
    let (x, up) = (&data[1..n + 1], &data[n + 1..]);
    let mut y = vec![0.0f32; n + 1];
    let check = |y: &[f32], want: &[f32], what: &str| assert!(bits(y) == bits(want), "{what}");

    for f in [Activation::Gelu, Activation::Relu, Activation::Silu] {
        let mut want = vec![0.0; n];
        f.forward(x, &mut want).unwrap();
        let c = parsed(f);
        // SAFETY: `x` and `y[1..]` hold `n` floats.
        unsafe {
            y.fill(f32::NAN);
            let status = sa_activation_forward_par(c, x.as_ptr(), y[1..].as_mut_ptr(), n);
            assert_eq!(status, SA_OK, "{f}");
        }
        check(&y[1..], &want, &format!("sa_activation_forward_par, {f}"));
    }

    for (number, unit) in GatedUnit::ALL.iter().enumerate() {
        let mut want = vec![0.0; n];
        unit.forward(x, up, &mut want).unwrap();
        let mut z = x.to_vec();
        // SAFETY: every buffer holds `n` floats; `z` is the gate, in place.
        unsafe {
            y.fill(f32::NAN);
            let (g, u, yp) = (x.as_ptr(), up.as_ptr(), y[1..].as_mut_ptr());
            assert_eq!(gated_f32::gated_par_c(number as i32, g, u, yp, n), SA_OK);
            let zp = z.as_mut_ptr();
            assert_eq!(gated_f32::gated_par_c(number as i32, zp, u, zp, n), SA_OK);
        }
        check(&y[1..], &want, &format!("sa_gated_par, {unit:?}"));
        check(&z, &want, &format!("sa_gated_par in place, {unit:?}"));
        // Rows of `[gate | up]`: `n` outputs, `row_len` per row, from the
        // `2 n` floats after the first.
        let joined = &data[1..];
        let mut want = vec![0.0; n];
        unit.forward_rows(joined, &mut want, row_len, false)
            .unwrap();
        // SAFETY: `joined` holds `2 n` floats and `y[1..]` `n`.
        unsafe {
            y.fill(f32::NAN);
            let (xp, yp) = (joined.as_ptr(), y[1..].as_mut_ptr());
            let status = gated_f32::gated_rows_par(number as i32, xp, yp, n, row_len, 0);
            assert_eq!(status, SA_OK);
        }
        check(&y[1..], &want, &format!("sa_gated_rows_par, {unit:?}"));
    }

    type Rows = unsafe extern "C" fn(*const f32, *mut f32, usize, usize) -> i32;
    type RowsRust = fn(&[f32], &mut [f32], usize) -> Result<(), Error>;
    let plain: [(Rows, RowsRust); 2] = [
        (sa_softmax_par, simd_activations::softmax),
        (sa_log_softmax_par, simd_activations::log_softmax),
    ];
    for (k, (c_form, rust_form)) in plain.into_iter().enumerate() {
        let mut want = vec![0.0; n];
        rust_form(x, &mut want, row_len).unwrap();
        let mut z = x.to_vec();
        // SAFETY: `x`, `y[1..]` and `z` hold `n` floats.
        unsafe {
            y.fill(f32::NAN);
            assert_eq!(c_form(x.as_ptr(), y[1..].as_mut_ptr(), n, row_len), SA_OK);
            assert_eq!(c_form(z.as_ptr(), z.as_mut_ptr(), n, row_len), SA_OK);
        }
        check(&y[1..], &want, &format!("row function {k}"));
        check(&z, &want, &format!("row function {k} in place"));
    }

    let mut mask: Vec<f32> = (0..n).map(|i| -((i % 7) as f32) * 0.5).collect();
    mask[3 * row_len..4 * row_len].fill(f32::NEG_INFINITY);
    type MaskedC = unsafe extern "C" fn(
        *const f32,
        *mut f32,
        usize,
        usize,
        f32,
        *const f32,
        usize,
        i32,
    ) -> i32;
    type MaskedRust = fn(&[f32], &mut [f32], usize, MaskOptions) -> Result<(), Error>;
    let masked: [(MaskedC, MaskedRust); 2] = [
        (sa_softmax_masked_par, simd_activations::softmax_masked),
        (
            sa_log_softmax_masked_par,
            simd_activations::log_softmax_masked,
        ),
    ];
    for (k, (c_form, rust_form)) in masked.into_iter().enumerate() {
        let mut want = vec![0.0; n];
        rust_form(
            x,
            &mut want,
            row_len,
            (0.125, Mask::PerRow(&mask), MaskedRows::Zero),
        )
        .unwrap();
        // SAFETY: `x`, `y[1..]` and `mask` hold `n` floats.
        unsafe {
            y.fill(f32::NAN);
            let (xp, yp, m) = (x.as_ptr(), y[1..].as_mut_ptr(), mask.as_ptr());
            assert_eq!(c_form(xp, yp, n, row_len, 0.125, m, n, 1), SA_OK);
        }
        check(&y[1..], &want, &format!("masked row function {k}"));
        // The hidden row: zeros, or `-inf` for `log_softmax`.
        let hidden = [0.0, f32::NEG_INFINITY][k];
        let row = &y[1 + 3 * row_len..1 + 4 * row_len];
        assert!(row.iter().all(|&v| v == hidden), "masked row function {k}");
    }
}
