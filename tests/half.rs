//! The 16-bit element types: every function, on every path, over all 65 536
//! inputs of `bf16` and of `f16`, gives exactly `from_f32` of the `f32`
//! path's result on the widened input; the mixed forms convert once; every
//! length 0..=100 at several offsets gives the same bits and touches
//! nothing outside the slices.

mod common;

use common::functions;
use simd_activations::{Activation, Isa, bf16, f16};

// The 16-bit types with their conversions, as the measuring command has
// them.
#[path = "../cli/src/element.rs"]
mod element;

use element::HalfElement as Half;

/// Every bit pattern of `H`.
fn all<H: Half>() -> Vec<H> {
    (0..=u16::MAX).map(H::from_bits).collect()
}

/// `f` on the `f32` path of `isa` over the widened inputs.
fn f32_result<H: Half>(f: Activation, isa: Isa, x: &[H]) -> Vec<f32> {
    let wide: Vec<f32> = x.iter().map(|h| h.to_f32()).collect();
    let mut y = vec![0.0f32; x.len()];
    f.forward_on(isa, &wide, &mut y).unwrap();
    y
}

fn assert_bits<H: Half>(what: &str, x: &[H], want: &[H], got: &[H]) {
    for i in 0..x.len() {
        assert_eq!(
            want[i].to_bits(),
            got[i].to_bits(),
            "{what} at {} {:#06x}: want {:#06x}, got {:#06x}",
            H::NAME,
            x[i].to_bits(),
            want[i].to_bits(),
            got[i].to_bits()
        );
    }
}

fn every_input<H: Half>() {
    let x = all::<H>();
    for (f, _) in functions() {
        // The contract is on the scalar path's `f32` result, which every
        // path matches (tests/bitwise.rs).
        let want: Vec<H> = f32_result(f, Isa::Scalar, &x)
            .into_iter()
            .map(H::from_f32)
            .collect();
        for &isa in Isa::available() {
            let what = format!("{f} on {isa}");
            let mut y = vec![H::default(); x.len()];
            f.forward_on(isa, &x, &mut y).unwrap();
            assert_bits(&what, &x, &want, &y);
            let mut inplace = x.clone();
            if f.validate_inplace().is_ok() {
                f.forward_inplace_on(isa, &mut inplace).unwrap();
                assert_bits(&format!("{what} in place"), &x, &want, &inplace);
            }
        }
    }
}

#[test]
fn every_bf16_input_is_from_f32_of_the_f32_result() {
    every_input::<bf16>();
}

#[test]
fn every_f16_input_is_from_f32_of_the_f32_result() {
    every_input::<f16>();
}

/// Every input of `H` widened on the way (`H` in, `f32` out: the `f32`
/// result itself), and the same inputs as `f32` narrowed on the way (`f32`
/// in, `H` out: one rounding of the `f32` result).
fn mixed<H: Half>() {
    let x = all::<H>();
    let wide: Vec<f32> = x.iter().map(|h| h.to_f32()).collect();
    for (f, _) in functions() {
        for &isa in Isa::available() {
            mixed_matches::<H, f32>(f, isa, &x);
            mixed_matches::<f32, H>(f, isa, &wide);
        }
    }
}

#[test]
fn mixed_bf16_forms_convert_once() {
    mixed::<bf16>();
}

#[test]
fn mixed_f16_forms_convert_once() {
    mixed::<f16>();
}

/// From one 16-bit type to the other (through `f32` chunks inside the
/// library), over every input of `I` from an odd offset, so that the last
/// chunk is partial.
fn half_to_half<I: Half, O: Half>() {
    let x = &all::<I>()[3..];
    for (f, _) in functions() {
        for &isa in Isa::available() {
            mixed_matches::<I, O>(f, isa, x);
        }
    }
}

/// The three element types as the mixed-form tests compare them: by their
/// bits.
trait Bits: simd_activations::Element + Copy + Default {
    const NAME: &'static str;
    fn from_f32(v: f32) -> Self;
    fn to_f32(self) -> f32;
    fn bits(self) -> u32;
}

impl Bits for f32 {
    const NAME: &'static str = "f32";
    fn from_f32(v: f32) -> Self {
        v
    }
    fn to_f32(self) -> f32 {
        self
    }
    fn bits(self) -> u32 {
        self.to_bits()
    }
}

impl<H: Half> Bits for H {
    const NAME: &'static str = H::NAME;
    fn from_f32(v: f32) -> Self {
        <H as Half>::from_f32(v)
    }
    fn to_f32(self) -> f32 {
        <H as Half>::to_f32(self)
    }
    fn bits(self) -> u32 {
        <H as Half>::to_bits(self).into()
    }
}

/// `f.forward_mixed_on(isa, x, ..)` into a guarded buffer: each output is
/// `B::from_f32` of the scalar path's `f32` result on the widened input (the
/// result itself for `f32`), bit for bit, and the neighbours are untouched.
fn mixed_matches<A: Bits, B: Bits>(f: Activation, isa: Isa, x: &[A]) {
    let wide: Vec<f32> = x.iter().map(|v| v.to_f32()).collect();
    let mut want = vec![0.0f32; x.len()];
    f.forward_on(Isa::Scalar, &wide, &mut want).unwrap();
    let guard = B::from_f32(7.0);
    let mut buf = vec![guard; x.len() + 2];
    f.forward_mixed_on(isa, x, &mut buf[1..=x.len()]).unwrap();
    let what = format!(
        "{f} on {isa}, {} in, {} out, n = {}",
        A::NAME,
        B::NAME,
        x.len()
    );
    for (i, (&w, got)) in want.iter().zip(&buf[1..=x.len()]).enumerate() {
        assert_eq!(B::from_f32(w).bits(), got.bits(), "{what}, at {i}");
    }
    let ends = [buf[0], buf[x.len() + 1]];
    assert!(
        ends.iter().all(|g| g.bits() == guard.bits()),
        "{what}: wrote outside"
    );
}

/// A parameter outside its domain is refused before anything is written,
/// by every mixed form, on every path. The widening forms (16-bit in, `f32`
/// out) are the ones that would write first: they widen into the output
/// before the kernel runs.
#[test]
fn mixed_forms_write_nothing_on_error() {
    fn refused<A: Bits, B: Bits>(f: Activation, isa: Isa) {
        let x = vec![A::from_f32(-1.0); 9000];
        let mut y = vec![B::from_f32(7.0); x.len()];
        assert!(f.forward_mixed_on(isa, &x, &mut y).is_err(), "{f} on {isa}");
        assert!(
            y.iter().all(|v| v.to_f32() == 7.0),
            "{f} on {isa}: {} in, {} out: wrote",
            A::NAME,
            B::NAME
        );
    }
    for f in [
        Activation::Elu { alpha: f32::NAN },
        Activation::Celu { alpha: 0.0 },
    ] {
        for &isa in Isa::available() {
            refused::<bf16, f32>(f, isa);
            refused::<f16, f32>(f, isa);
            refused::<f32, f16>(f, isa);
            refused::<f32, bf16>(f, isa);
            refused::<f16, bf16>(f, isa);
        }
    }
}

/// The mixed forms with `f32` on one side at lengths around the library's
/// chunks of 4096 and at odd offsets: `from_f32` of the `f32` result (or
/// the `f32` result itself), and the output's neighbours untouched.
#[test]
fn mixed_forms_at_chunk_boundaries() {
    let pool: Vec<f32> = (0..12_400u32)
        .map(|i| (i as f32 * 0.37).sin() * 12.0 - 2.0)
        .collect();
    for (f, _) in functions() {
        for &isa in Isa::available() {
            for n in [1, 4095, 4096, 4097, 8192 + 37, 12_288 + 5] {
                let x = &pool[3..3 + n];
                let xb: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v)).collect();
                let xh: Vec<f16> = x.iter().map(|&v| f16::from_f32(v)).collect();
                mixed_matches::<bf16, f32>(f, isa, &xb);
                mixed_matches::<f16, f32>(f, isa, &xh);
                mixed_matches::<f32, bf16>(f, isa, x);
                mixed_matches::<f32, f16>(f, isa, x);
            }
        }
    }
}

#[test]
fn mixed_bf16_to_f16_converts_once() {
    half_to_half::<bf16, f16>();
}

#[test]
fn mixed_f16_to_bf16_converts_once() {
    half_to_half::<f16, bf16>();
}

/// Every length 0..=100 at offsets 0..4 into a guarded buffer: the same
/// bits as the whole-slice result, and the guard untouched.
fn lengths<H: Half>() {
    let guard = H::from_bits(0x7bcd);
    let pool: Vec<H> = (0..200u32)
        .map(|i| H::from_f32((i as f32 * 0.37).sin() * 9.0 - 1.0))
        .collect();
    for (f, _) in functions() {
        for &isa in Isa::available() {
            for offset in 0..4 {
                for n in 0..=100 {
                    let x = &pool[offset..offset + n];
                    let want: Vec<H> = f32_result(f, Isa::Scalar, x)
                        .into_iter()
                        .map(H::from_f32)
                        .collect();
                    let mut buf = vec![guard; n + 2 * offset + 8];
                    f.forward_on(isa, x, &mut buf[offset..offset + n]).unwrap();
                    let what = format!("{f} on {isa}, n = {n}, offset {offset}");
                    assert_bits(&what, x, &want, &buf[offset..offset + n]);
                    assert!(
                        buf[..offset]
                            .iter()
                            .chain(&buf[offset + n..])
                            .all(|g| g.to_bits() == guard.to_bits()),
                        "{what}: wrote outside the slice"
                    );
                }
            }
        }
    }
}

#[test]
fn every_bf16_length_and_offset() {
    lengths::<bf16>();
}

#[test]
fn every_f16_length_and_offset() {
    lengths::<f16>();
}

#[test]
fn free_functions_take_half_slices() {
    let x: Vec<bf16> = [-2.0f32, -0.5, 0.0, 1.5, 3.0]
        .iter()
        .map(|&v| bf16::from_f32(v))
        .collect();
    let mut y = vec![bf16::ZERO; x.len()];
    simd_activations::gelu(&x, &mut y);
    let mut want = vec![bf16::ZERO; x.len()];
    Activation::Gelu.forward(&x, &mut want).unwrap();
    assert_eq!(y, want);
    let mut z = x.clone();
    simd_activations::gelu_inplace(&mut z);
    assert_eq!(z, want);
}

/// Each path's conversions, through `identity`: every 257th `f32` bit
/// pattern narrowed to the 16-bit type is `from_f32`'s bits (NaN quieted
/// first, as every function does), and widened back is `to_f32`'s value.
fn conversions<H: Half>() {
    let x = common::strided(257, 3);
    for &isa in Isa::available() {
        let mut y = vec![H::default(); x.len()];
        Activation::Identity
            .forward_mixed_on(isa, &x, &mut y)
            .unwrap();
        for (v, h) in x.iter().zip(&y) {
            let quiet = if v.is_nan() {
                f32::from_bits(v.to_bits() | 0x0040_0000)
            } else {
                *v
            };
            let want = H::from_f32(quiet);
            assert_eq!(
                want.to_bits(),
                h.to_bits(),
                "{isa}: {} of {v:e} ({:#010x})",
                H::NAME,
                v.to_bits()
            );
        }
        let mut back = vec![0.0f32; y.len()];
        Activation::Identity
            .forward_mixed_on(isa, &y, &mut back)
            .unwrap();
        for (h, b) in y.iter().zip(&back) {
            // `to_f32`'s value, a NaN quieted (the crate's rule for NaN).
            let wide = h.to_f32();
            let want = if wide.is_nan() {
                f32::from_bits(wide.to_bits() | 0x0040_0000)
            } else {
                wide
            };
            assert!(
                want.to_bits() == b.to_bits(),
                "{isa}: widening {} {:#06x}",
                H::NAME,
                h.to_bits()
            );
        }
    }
}

#[test]
fn every_path_converts_bf16_as_half_does() {
    conversions::<bf16>();
}

#[test]
fn every_path_converts_f16_as_half_does() {
    conversions::<f16>();
}

/// The portable binary16 widening forms subnormal values from normal
/// operands only, so a CPU set to treat subnormal inputs as zero (DAZ, as
/// some engines run) gets the same bits on the scalar path as on F16C.
#[cfg(target_arch = "x86_64")]
#[test]
#[allow(deprecated)] // `_mm_getcsr`/`_mm_setcsr`: the way to reach MXCSR
fn f16_widening_is_the_same_with_denormals_as_zero() {
    use std::arch::x86_64::{_mm_getcsr, _mm_setcsr};
    let x = all::<f16>();
    let want: Vec<u32> = x.iter().map(|h| h.to_f32().to_bits()).collect();
    let mut results = Vec::new();
    // SAFETY: reading MXCSR has no preconditions; setting DAZ (bit 6) only
    // changes how this thread's SSE arithmetic reads subnormal inputs, and
    // the saved value is restored before any assertion.
    let saved = unsafe { _mm_getcsr() };
    unsafe { _mm_setcsr(saved | 0x0040) };
    for &isa in Isa::available() {
        let mut y = vec![0.0f32; x.len()];
        Activation::Identity
            .forward_mixed_on(isa, &x, &mut y)
            .unwrap();
        results.push((isa, y));
    }
    // SAFETY: restores the thread's own earlier MXCSR.
    unsafe { _mm_setcsr(saved) };
    for (isa, y) in results {
        for (i, v) in y.iter().enumerate() {
            let w = want[i];
            let nan = f32::from_bits(w).is_nan() && v.is_nan();
            assert!(v.to_bits() == w || nan, "{isa}: {:#06x}", x[i].to_bits());
        }
    }
}

/// `frelu` on every `H` input `x`, each against a `t` from a shuffle of
/// every pattern (so NaNs, infinities and zeros meet every value), and
/// `prelu` on every `H` input, on every path, out of place and in place:
/// `from_f32` of the `f32` result.
fn two_inputs_every_input<H: Half>() {
    let x = all::<H>();
    let t: Vec<H> = (0..x.len())
        .map(|i| H::from_bits((i as u32).wrapping_mul(40_503) as u16))
        .collect();
    let (wide_x, wide_t): (Vec<f32>, Vec<f32>) = (
        x.iter().map(|h| h.to_f32()).collect(),
        t.iter().map(|h| h.to_f32()).collect(),
    );
    let mut wide_y = vec![0.0f32; x.len()];
    simd_activations::frelu_on(Isa::Scalar, &wide_x, &wide_t, &mut wide_y).unwrap();
    let want: Vec<H> = wide_y.into_iter().map(H::from_f32).collect();
    for &isa in Isa::available() {
        let mut y = vec![H::default(); x.len()];
        simd_activations::frelu_on(isa, &x, &t, &mut y).unwrap();
        assert_bits(&format!("frelu on {isa}"), &x, &want, &y);
        let mut inplace = x.clone();
        simd_activations::frelu_inplace_on(isa, &mut inplace, &t).unwrap();
        assert_bits(&format!("frelu in place on {isa}"), &x, &want, &inplace);
    }
    // prelu with one weight, and per channel over runs of 1, 5 and 64, and
    // over 300 channels of 7 (a block longer than the short runs' pieces).
    let weights = [0.3f32, -1.75, 0.0, 2.5e-3];
    let many: Vec<f32> = (0..300).map(|c| (c as f32 - 150.0) * 0.013).collect();
    for (weight, inner) in [
        (&weights[..1], 1),
        (&weights[..], 1),
        (&weights[..], 5),
        (&weights[..], 64),
        (&many[..], 7),
    ] {
        let channels = weight.len();
        let len = x.len() - x.len() % (channels * inner);
        let mut wide_y = vec![0.0f32; len];
        simd_activations::prelu_on(
            Isa::Scalar,
            &wide_x[..len],
            &mut wide_y,
            weight,
            channels,
            inner,
        )
        .unwrap();
        let want: Vec<H> = wide_y.into_iter().map(H::from_f32).collect();
        for &isa in Isa::available() {
            let what = format!("prelu on {isa}, {channels} channels of {inner}");
            let mut y = vec![H::default(); len];
            simd_activations::prelu_on(isa, &x[..len], &mut y, weight, channels, inner).unwrap();
            assert_bits(&what, &x[..len], &want, &y);
            let mut inplace = x[..len].to_vec();
            simd_activations::prelu_inplace_on(isa, &mut inplace, weight, channels, inner).unwrap();
            assert_bits(&format!("{what} in place"), &x[..len], &want, &inplace);
        }
    }
}

#[test]
fn frelu_and_prelu_on_every_bf16_input_are_from_f32_of_the_f32_result() {
    two_inputs_every_input::<bf16>();
}

#[test]
fn frelu_and_prelu_on_every_f16_input_are_from_f32_of_the_f32_result() {
    two_inputs_every_input::<f16>();
}

/// `softmax` or `log_softmax` (`log`) of rows of `row_len` on `isa`, plain,
/// in place or into uninitialized memory (`form` 0, 1, 2), with `options`
/// or without (`None`). The outputs of forms 0 and 2 start one element
/// into a buffer (an address 2 mod 4 for the 16-bit types) whose elements
/// around them must stay as they were (`+0.0`).
fn rows_on<T: simd_activations::Element + Default>(
    isa: Isa,
    log: bool,
    form: usize,
    x: &[T],
    row_len: usize,
    options: Option<simd_activations::MaskOptions<'_, T>>,
) -> Vec<T> {
    use simd_activations as sa;
    const GUARD: usize = 40;
    let len = x.len();
    let mut y_buffer = vec![T::default(); len + GUARD];
    let mut u_buffer = vec![core::mem::MaybeUninit::new(T::default()); len + GUARD];
    // The uninitialized output itself holds all-ones bits (a NaN with every
    // payload bit set, which no row here gives), so that an element left
    // unwritten is seen, zeros of hidden rows included.
    // SAFETY: `1 + len <= u_buffer.len()`, and a `MaybeUninit` may hold
    // any bytes.
    unsafe { core::ptr::write_bytes(u_buffer.as_mut_ptr().add(1), 0xff, len) };
    let (mut y, u) = (vec![], &mut u_buffer[1..1 + len]);
    let out = &mut y_buffer[1..1 + len];
    let mut z = x.to_vec();
    let r = match (log, form, options) {
        (false, 0, None) => sa::softmax_on(isa, x, out, row_len).map(|()| y = out.to_vec()),
        (false, 1, None) => sa::softmax_inplace_on(isa, &mut z, row_len).map(|()| y = z),
        (false, _, None) => sa::softmax_uninit_on(isa, x, u, row_len).map(|v| y = v.to_vec()),
        (true, 0, None) => sa::log_softmax_on(isa, x, out, row_len).map(|()| y = out.to_vec()),
        (true, 1, None) => sa::log_softmax_inplace_on(isa, &mut z, row_len).map(|()| y = z),
        (true, _, None) => sa::log_softmax_uninit_on(isa, x, u, row_len).map(|v| y = v.to_vec()),
        (false, 0, Some(o)) => {
            sa::softmax_masked_on(isa, x, out, row_len, o).map(|()| y = out.to_vec())
        }
        (false, 1, Some(o)) => {
            sa::softmax_masked_inplace_on(isa, &mut z, row_len, o).map(|()| y = z)
        }
        (false, _, Some(o)) => {
            sa::softmax_masked_uninit_on(isa, x, u, row_len, o).map(|v| y = v.to_vec())
        }
        (true, 0, Some(o)) => {
            sa::log_softmax_masked_on(isa, x, out, row_len, o).map(|()| y = out.to_vec())
        }
        (true, 1, Some(o)) => {
            sa::log_softmax_masked_inplace_on(isa, &mut z, row_len, o).map(|()| y = z)
        }
        (true, _, Some(o)) => {
            sa::log_softmax_masked_uninit_on(isa, x, u, row_len, o).map(|v| y = v.to_vec())
        }
    };
    r.unwrap();
    // Zero bits, as `T::default()` has (the three types' `+0.0`).
    let untouched = |v: &[T]| {
        // SAFETY: `v`'s elements are initialized floats, read as bytes.
        let bytes = unsafe { core::slice::from_raw_parts(v.as_ptr().cast::<u8>(), size_of_val(v)) };
        bytes.iter().all(|&b| b == 0)
    };
    assert!(untouched(&y_buffer[..1]) && untouched(&y_buffer[1 + len..]));
    // SAFETY: the buffer was initialized whole (its elements as floats or
    // as all-ones bits), then partly written.
    let u_buffer: Vec<T> = u_buffer
        .iter()
        .map(|e| unsafe { e.assume_init() })
        .collect();
    assert!(untouched(&u_buffer[..1]) && untouched(&u_buffer[1 + len..]));
    y
}

/// The row functions on `H`, with and without the attention input's scale
/// and mask: on every path and in every form, `from_f32` of the `f32`
/// result on the widened rows (and mask). The rows: every bit pattern of
/// `H` in rows of 256 (NaN, infinite, zero and subnormal entries, rows at
/// the top of the range), and rows of every length 1..=70 and a few longer
/// ones of ordinary values, at several offsets.
fn row_functions<H: Half>() {
    use simd_activations::{Mask, MaskOptions, MaskedRows};
    let widen = |v: &[H]| v.iter().map(|h| h.to_f32()).collect::<Vec<f32>>();
    let narrow = |v: Vec<f32>| v.into_iter().map(H::from_f32).collect::<Vec<H>>();
    let pool: Vec<H> = (0..8300u32)
        .map(|i| H::from_f32((i as f32 * 0.731).sin() * 12.0 + (i % 7) as f32))
        .collect();
    let mut cases: Vec<(Vec<H>, usize)> = vec![(all::<H>(), 256)];
    for n in (1..=70).chain([255, 1000, 4096, 4097]) {
        let offset = n % 5;
        cases.push((pool[offset..offset + 2 * n].to_vec(), n));
    }
    // Rows longer than softmax's stack buffer, whose last pass computes
    // `e^(x_i - m)` again where neither the output nor the buffer has room
    // for it: values over [-120, 0], with results down to the subnormal
    // range (in `f32`; zero or subnormal in the 16-bit types).
    // Out of place, 5000 and 8191 keep every `e_i` (half over the output,
    // the rest on the stack), 8209 computes its last one again, and 10000
    // its last 896, its stack part across pass 2's chunks of 8192.
    for n in [5000, 8191, 8209, 10000] {
        let wide_range: Vec<H> = (0..2 * n as u32)
            .map(|i| H::from_f32(-((i as f32 * 2.37) % 120.0)))
            .collect();
        cases.push((wide_range, n));
    }
    for (x, row_len) in &cases {
        let row_len = *row_len;
        let wide = widen(x);
        // A mask row with hidden entries, and its second half hidden (whole
        // vectors of `-inf`, which pass 2 passes over; on rows of 255 or
        // more, the first quarter too, whose `e_i` softmax keeps over a
        // 16-bit output), and one hidden row
        // in the mask per row (where there are two rows or more).
        let mask_row: Vec<H> = (0..row_len)
            .map(|i| {
                let hidden = i % 3 == 1 || i >= row_len / 2 || (row_len >= 255 && i < row_len / 4);
                H::from_f32(if hidden {
                    f32::NEG_INFINITY
                } else {
                    -(i as f32) * 0.25
                })
            })
            .collect();
        let per_row: Vec<H> = (0..x.len())
            .map(|i| {
                H::from_f32(if i < row_len || i % 2 == 0 {
                    f32::NEG_INFINITY
                } else {
                    0.5
                })
            })
            .collect();
        let (wide_row, wide_per_row) = (widen(&mask_row), widen(&per_row));
        let options: [(Option<MaskOptions<'_, H>>, Option<MaskOptions<'_>>); 4] = [
            (None, None),
            (
                Some((0.125, Mask::None, MaskedRows::Uniform)),
                Some((0.125, Mask::None, MaskedRows::Uniform)),
            ),
            (
                Some((1.0, Mask::Row(&mask_row), MaskedRows::Zero)),
                Some((1.0, Mask::Row(&wide_row), MaskedRows::Zero)),
            ),
            (
                Some((-0.5, Mask::PerRow(&per_row), MaskedRows::Uniform)),
                Some((-0.5, Mask::PerRow(&wide_per_row), MaskedRows::Uniform)),
            ),
        ];
        for log in [false, true] {
            for (half_options, f32_options) in options {
                let want = narrow(rows_on(Isa::Scalar, log, 0, &wide, row_len, f32_options));
                for &isa in Isa::available() {
                    for form in 0..3 {
                        let got = rows_on(isa, log, form, x, row_len, half_options);
                        let what = format!(
                            "{} on {isa}, rows of {row_len}, form {form}, options {:?}",
                            if log { "log_softmax" } else { "softmax" },
                            half_options.map(|o| (o.0, o.2)),
                        );
                        assert_bits(&what, x, &want, &got);
                    }
                }
            }
        }
    }
}

#[test]
fn bf16_rows_are_from_f32_of_the_f32_rows() {
    row_functions::<bf16>();
}

#[test]
fn f16_rows_are_from_f32_of_the_f32_rows() {
    row_functions::<f16>();
}
