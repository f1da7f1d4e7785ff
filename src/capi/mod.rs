//! The C interface: each function of the crate as an `extern "C"` symbol
//! `sa_<name>`, declared in `capi/assets/simd_activations.h`, for engines
//! written in C or C++. The `capi/` package builds it into
//! `libsimd_activations.a` and `libsimd_activations.so`.
//!
//! Every call computes exactly what the Rust function of the same name
//! computes on the dispatch path ([`Isa::try_best`]), with the same bits,
//! the same error bounds and the same special values; see that function's
//! documentation.
//!
//! Conventions, shared by every function:
//! - `x` is read and `y` written, `n` elements each (`float`, or `uint16_t`
//!   for the `_bf16` and `_f16` functions). `y == x` computes in
//!   place (with the in-place parameter rules of the Rust `_inplace`
//!   functions); any other overlap of `y` with an input is refused. Where `y`
//!   is not `x`, every element is written before it is read (only the
//!   softmax functions read back what they stored): it may be uninitialized
//!   memory, which the functions see as `MaybeUninit` (never as a `&mut`
//!   slice of values), and the bias epilogue's tile is reached through a
//!   pointer, so that the elements between its rows are not borrowed.
//! - The return value is a status: [`SA_OK`] (0) or one of the `SA_ERR_*`
//!   codes, and nothing is written when it is not `SA_OK`. A null or
//!   misaligned pointer with `n > 0`, a bad parameter, a shape that does not
//!   fit, or an invalid `SIMD_ACTIVATIONS_ISA` are errors, never undefined
//!   behaviour or a wrong answer; [`sa_status_message`] describes each code.
//! - The checks come in one order: the pointers and their counts
//!   ([`SA_ERR_POINTER`], then [`SA_ERR_OVERLAP`]), the path
//!   ([`SA_ERR_ISA`]), then the rest: the function, the shape and the
//!   parameters. The one exception: [`sa_activation_forward_mixed`] checks
//!   its element type numbers first, as the pointers' alignment depends on
//!   them.
//! - Nothing panics across the boundary, and no successful call of a
//!   computing function allocates but the `_par` functions of a library
//!   built with `rayon`, which start rayon's global pool on first use (the
//!   header says when not to call them), `sa_prelu*` with per-channel weights
//!   over fewer than 16 inner elements, and a call that reads
//!   `SIMD_ACTIVATIONS_ISA`; [`sa_activation_parse`] allocates while it
//!   reads, and a failing call formats its message for [`sa_last_error`].

use crate::kernels::softmax::{Flavor, LogSoftmax, Softmax};
use crate::rows::{self, RowOptions};
use crate::table::activation_table;
use crate::{Activation, Error, GatedUnit, Isa, Mask, MaskedRows};
use core::ffi::{CStr, c_char};
use core::mem::MaybeUninit;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Success.
pub const SA_OK: i32 = 0;
/// The library's major version (the header's `SA_VERSION_MAJOR`).
pub const SA_VERSION_MAJOR: u32 = parse_version(0);
/// The library's minor version.
pub const SA_VERSION_MINOR: u32 = parse_version(1);
/// The library's patch version.
pub const SA_VERSION_PATCH: u32 = parse_version(2);

/// Part `index` of the package version `MAJOR.MINOR.PATCH`.
const fn parse_version(index: usize) -> u32 {
    let bytes = env!("CARGO_PKG_VERSION").as_bytes();
    let (mut part, mut value, mut i) = (0, 0u32, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'.' => part += 1,
            b'0'..=b'9' if part == index => value = value * 10 + (bytes[i] - b'0') as u32,
            b'0'..=b'9' => {}
            _ => break,
        }
        i += 1;
    }
    value
}
/// A pointer is null (with a nonzero length) or not aligned to its element
/// (4 bytes for `float`, 2 for `uint16_t`), or
/// the length exceeds what the address space can hold.
pub const SA_ERR_POINTER: i32 = 1;
/// The output overlaps an input without being the same buffer as `x`.
pub const SA_ERR_OVERLAP: i32 = 2;
/// A parameter is outside its domain (e.g. `beta <= 0` for softplus).
pub const SA_ERR_PARAMETER: i32 = 3;
/// A length or shape does not fit (e.g. a row length that does not divide
/// `n`, a prelu weight count that is neither 1 nor the channel count).
pub const SA_ERR_SHAPE: i32 = 4;
/// `SIMD_ACTIVATIONS_ISA` names an unknown path or one this CPU lacks.
pub const SA_ERR_ISA: i32 = 5;
/// An internal error (a bug): reported instead of unwinding into C.
pub const SA_ERR_INTERNAL: i32 = 6;
/// An unknown function name or number, or parameters that cannot be read
/// ([`sa_activation_parse`] and the `sa_activation_*` functions).
pub const SA_ERR_FUNCTION: i32 = 7;

/// A static description of a status code (never null): for [`SA_OK`] and
/// each `SA_ERR_*` code, and `"unknown status"` for any other value.
#[unsafe(no_mangle)]
pub extern "C" fn sa_status_message(status: i32) -> *const c_char {
    let message: &'static CStr = match status {
        SA_OK => c"ok",
        SA_ERR_POINTER => {
            c"a pointer is null or misaligned (with a nonzero length), or the length is too large"
        }
        SA_ERR_OVERLAP => c"the output overlaps an input without being the same buffer as x",
        SA_ERR_PARAMETER => c"a parameter is outside its domain",
        SA_ERR_SHAPE => c"a length or shape does not fit the function's layout",
        SA_ERR_ISA => {
            c"SIMD_ACTIVATIONS_ISA names an unknown or unavailable path (valid: scalar, avx2, avx512, neon)"
        }
        SA_ERR_INTERNAL => c"internal error",
        SA_ERR_FUNCTION => c"an unknown function, or parameters that cannot be read",
        _ => c"unknown status",
    };
    message.as_ptr()
}

/// The name of the path the functions run on (`"avx512"`, `"avx2"`,
/// `"neon"` or `"scalar"`), static and NUL-terminated; `"none"` if
/// `SIMD_ACTIVATIONS_ISA` is invalid (every call whose pointers pass their
/// checks then returns [`SA_ERR_ISA`], and [`sa_last_error`] says why).
/// Never null.
#[unsafe(no_mangle)]
pub extern "C" fn sa_isa_name() -> *const c_char {
    let name: &'static CStr = match Isa::try_best() {
        Ok(Isa::Scalar) => c"scalar",
        Ok(Isa::Avx2) => c"avx2",
        Ok(Isa::Avx512) => c"avx512",
        Ok(Isa::Neon) => c"neon",
        Err(e) => {
            fail(SA_ERR_ISA, e);
            c"none"
        }
    };
    name.as_ptr()
}

/// The library's version, `"MAJOR.MINOR.PATCH"` (static, NUL-terminated):
/// the header's `SA_VERSION_STRING` for the library it was built with.
#[unsafe(no_mangle)]
pub extern "C" fn sa_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"unknown",
        };
    VERSION.as_ptr()
}

std::thread_local! {
    /// The detailed message of this thread's last failure.
    static LAST_ERROR: core::cell::RefCell<std::ffi::CString> =
        core::cell::RefCell::new(std::ffi::CString::from(c"no error"));
}

/// Records `detail` as this thread's last failure and returns `code`.
fn fail(code: i32, detail: impl core::fmt::Display) -> i32 {
    let text = format!("{detail}").replace('\0', " ");
    let message = std::ffi::CString::new(text).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
    code
}

/// The detailed message of the calling thread's last failure (which
/// parameter and value, which lengths, which pointer): NUL-terminated, never
/// null, `"no error"` before any failure. It stays valid until the next
/// failing call on the same thread.
#[unsafe(no_mangle)]
pub extern "C" fn sa_last_error() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

/// The status for a result of the Rust API.
fn status(result: Result<(), Error>) -> i32 {
    match result {
        Ok(()) => SA_OK,
        Err(e @ Error::InvalidParameter { .. }) => fail(SA_ERR_PARAMETER, e),
        Err(e @ Error::InvalidShape { .. }) => fail(SA_ERR_SHAPE, e),
        Err(e @ (Error::UnknownFunction { .. } | Error::Parse { .. })) => fail(SA_ERR_FUNCTION, e),
        Err(e) => fail(SA_ERR_ISA, e),
    }
}

/// Runs `body`, turning a panic (a bug) into [`SA_ERR_INTERNAL`] rather
/// than unwinding into C.
fn guarded(body: impl FnOnce() -> i32) -> i32 {
    catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|_| fail(SA_ERR_INTERNAL, "internal error: a panic was caught"))
}

/// The dispatch path, or [`SA_ERR_ISA`] (with its message) where
/// `SIMD_ACTIVATIONS_ISA` is invalid: every function asks for it after the
/// pointers are checked and before anything else.
fn path() -> Result<Isa, i32> {
    Isa::try_best().map_err(|e| fail(SA_ERR_ISA, e))
}

/// A caller's buffer of `n` elements (`float`, or `uint16_t` holding
/// bf16 or binary16 bits).
struct Buffer<T> {
    ptr: *const T,
    n: usize,
}

impl<T> Clone for Buffer<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Buffer<T> {}

impl<T> Buffer<T> {
    /// Checks what can be checked: non-null and aligned when `n > 0`, and a
    /// size the address space can hold.
    fn new(ptr: *const T, n: usize) -> Result<Buffer<T>, i32> {
        let fits = n <= isize::MAX as usize / size_of::<T>();
        if n == 0 || (!ptr.is_null() && ptr.is_aligned() && fits) {
            Ok(Buffer { ptr, n })
        } else {
            Err(SA_ERR_POINTER)
        }
    }

    /// Whether the two buffers share a byte.
    fn overlaps<U>(self, other: Buffer<U>) -> bool {
        let (a, b) = (self.ptr as usize, other.ptr as usize);
        let (sa, sb) = (size_of::<T>(), size_of::<U>());
        let bytes = |n: usize, size: usize| n * size;
        self.n > 0 && other.n > 0 && a < b + bytes(other.n, sb) && b < a + bytes(self.n, sa)
    }

    /// The buffer as a slice (empty when `n == 0`, whatever the pointer).
    ///
    /// # Safety
    /// The caller's contract: `ptr` points to `n` readable elements that
    /// nothing writes during the call.
    unsafe fn read<'a>(self) -> &'a [T] {
        if self.n == 0 {
            return &[];
        }
        // SAFETY: non-null, aligned and of a valid size (`Buffer::new`),
        // readable and unchanged for the call (the caller's contract).
        unsafe { core::slice::from_raw_parts(self.ptr, self.n) }
    }

    /// The buffer as a mutable slice of the values it holds: an input
    /// written in place.
    ///
    /// # Safety
    /// The caller's contract: `ptr` points to `n` readable and writable
    /// elements that no other slice of this call covers.
    unsafe fn write<'a>(self) -> &'a mut [T] {
        if self.n == 0 {
            return &mut [];
        }
        // SAFETY: as in `read`, initialized (readable), writable, and not
        // covered by another slice (the callers check overlaps first).
        unsafe { core::slice::from_raw_parts_mut(self.ptr.cast_mut(), self.n) }
    }

    /// The buffer as an output, which may be uninitialized (a C engine's
    /// fresh allocation): the functions only write it.
    ///
    /// # Safety
    /// The caller's contract: `ptr` points to `n` writable elements that no
    /// other slice of this call covers.
    unsafe fn write_uninit<'a>(self) -> &'a mut [MaybeUninit<T>] {
        if self.n == 0 {
            return &mut [];
        }
        // SAFETY: as in `read`, writable, and not covered by another slice
        // (the callers check overlaps first); `MaybeUninit` asks nothing of
        // the values.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.cast_mut().cast(), self.n) }
    }
}

/// An output `y` and input `x` of `n` elements: the same buffer of one type
/// (in place) or disjoint ones.
enum Io<'a, A, B> {
    /// `x`, and the output, which may be uninitialized: only written.
    Separate(&'a [A], &'a mut [MaybeUninit<B>]),
    InPlace(&'a mut [A]),
}

/// The slices [`io`] makes: `x` and `y`, and the further inputs.
type Checked<'a, A, B, U, const N: usize> = (Io<'a, A, B>, [&'a [U]; N]);

/// Checks `extra` (further inputs: weights, conditions, which `y` must not
/// overlap), then `x` and `y`, and makes slices of them: `y == x` with one
/// element type is in place, any other overlap is refused.
///
/// # Safety
/// `x` points to `n` readable elements, `y` to `n` writable ones and each
/// `extra` pointer to its count of readable ones, valid for the call (any
/// may be anything when its count is 0).
unsafe fn io<'a, A: crate::Element, B: crate::Element, U, const N: usize>(
    x: *const A,
    y: *mut B,
    n: usize,
    extra: [(*const U, usize); N],
) -> Result<Checked<'a, A, B, U, N>, i32> {
    let mut extra_buffers = [Buffer {
        ptr: core::ptr::null(),
        n: 0,
    }; N];
    for (buffer, (ptr, len)) in extra_buffers.iter_mut().zip(extra) {
        *buffer = Buffer::new(ptr, len)?;
    }
    let xb = Buffer::new(x, n)?;
    let yb = Buffer::new(y, n)?;
    if extra_buffers.iter().any(|e| e.overlaps(yb)) {
        return Err(SA_ERR_OVERLAP);
    }
    // SAFETY: readable (the caller's contract) and not written during the
    // call: they do not overlap `y` (checked above).
    let extra = extra_buffers.map(|e| unsafe { e.read() });
    let one_type = crate::element::format::<A>() == crate::element::format::<B>();
    if one_type && core::ptr::eq(x.cast::<u8>(), y.cast::<u8>()) {
        // SAFETY: `x` is `y` (one address, and one type: the same format of
        // a sealed trait), writable for `n` elements, used through this one
        // slice only.
        return Ok((Io::InPlace(unsafe { xb.write() }), extra));
    }
    if xb.overlaps(yb) {
        return Err(SA_ERR_OVERLAP);
    }
    // SAFETY: `x` readable, `y` writable (the caller's contract), and the two
    // do not overlap (checked above).
    Ok((unsafe { Io::Separate(xb.read(), yb.write_uninit()) }, extra))
}

/// No further input, for [`run`].
const NO_EXTRA: [(*const f32, usize); 0] = [];

/// Every `sa_*` function: checks the buffers (see [`io`]), then the path,
/// then runs `separate` (`x` into `y`) or `in_place` (`y == x`) on it with
/// the further inputs as slices, and returns the status.
///
/// # Safety
/// As [`io`].
unsafe fn run<A: crate::Element, B: crate::Element, U, const N: usize>(
    (x, y, n): (*const A, *mut B, usize),
    extra: [(*const U, usize); N],
    separate: impl FnOnce(Isa, &[A], &mut [MaybeUninit<B>], [&[U]; N]) -> Result<(), Error>,
    in_place: impl FnOnce(Isa, &mut [A], [&[U]; N]) -> Result<(), Error>,
) -> i32 {
    guarded(|| {
        // SAFETY: forwarded from the caller.
        match unsafe { io(x, y, n, extra) } {
            Err(code) => {
                let what = match code {
                    SA_ERR_OVERLAP => {
                        "the output overlaps an input without being x (of x's element type)"
                    }
                    _ => {
                        "a pointer is null or not aligned to its element with a nonzero count, or a count is too large"
                    }
                };
                let extra: Vec<String> = extra
                    .iter()
                    .map(|(p, len)| format!(", {p:?} ({len} elements)"))
                    .collect();
                fail(
                    code,
                    format_args!("{what}: x = {x:?}, y = {y:?}, n = {n}{}", extra.concat()),
                )
            }
            Ok((io, extra)) => match (path(), io) {
                (Err(code), _) => code,
                (Ok(isa), Io::Separate(x, y)) => status(separate(isa, x, y, extra)),
                (Ok(isa), Io::InPlace(x)) => status(in_place(isa, x, extra)),
            },
        }
    })
}

/// Declares the C function `sa_<name>` of every row of the table, with the
/// parameters as trailing `float` arguments, forwarding to [`Activation`];
/// each one's C prototype, for the test that holds the header to the table;
/// and [`call_elementwise`], which reaches each through its variant.
macro_rules! declare_c_functions {
    ($([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal $pdoc:tt)+ })?) $($rest:tt)*])*) => {
        /// The elementwise functions, exported to C as `sa_<name>` (declared
        /// in `simd_activations.h`).
        pub mod elementwise {
            use super::{NO_EXTRA, run};
            use crate::Activation;
            $(
                #[doc = concat!("`sa_", stringify!($name), "`: [`crate::", stringify!($name), "`] from `x` into `y` (`n` floats each; `y == x` in place), ")]
                #[doc = "with its bits, max error and special values."]
                #[doc = ""]
                #[doc = "Returns `SA_OK` or an `SA_ERR_*` status (see the module docs); nothing"]
                #[doc = "is written on error."]
                #[doc = ""]
                #[doc = "# Safety"]
                #[doc = "`x` points to `n` readable floats and `y` to `n` writable ones (either"]
                #[doc = "may be null when `n == 0`), valid for the duration of the call."]
                #[unsafe(export_name = concat!("sa_", stringify!($name)))]
                pub unsafe extern "C" fn $name(x: *const f32, y: *mut f32, n: usize $($(, $param: f32)+)?) -> i32 {
                    let f = Activation::$variant $({ $($param),+ })?;
                    // SAFETY: this function's contract is `run`'s.
                    unsafe {
                        run(
                            (x, y, n),
                            NO_EXTRA,
                            |isa, x, y, []| f.forward_uninit_on(isa, x, y).map(drop),
                            |isa, x, []| f.forward_inplace_on(isa, x),
                        )
                    }
                }
            )*
        }

        /// The C prototype of each elementwise function, as the header
        /// declares it.
        #[cfg(test)]
        const PROTOTYPES: &[&str] = &[$(
            concat!("int32_t sa_", stringify!($name), "(const float *x, float *y, size_t n" $($(, ", float ", stringify!($param))+)? , ");"),
        )*];

        $( const _: () = assert!(0 $($(+ { let _ = stringify!($param); 1 })+)? <= 2, "SaActivation holds two parameters"); )*

        impl SaActivation {
            /// The C form of `f`.
            fn new(f: Activation) -> SaActivation {
                let function = Activation::ALL.iter().position(|g| g.name() == f.name()).unwrap_or(0);
                let mut params = [0.0f32; 2];
                match f {
                    $( Activation::$variant $({ $($param),+ })? => {
                        $( let values = [$($param),+];
                        params[..values.len()].copy_from_slice(&values); )?
                    } )*
                }
                SaActivation { function: function as u32, params }
            }

            /// The function this names, or the error naming its number and
            /// the range of the known ones.
            fn known(self) -> Result<Activation, Error> {
                self.activation().ok_or_else(|| Error::Parse {
                    input: self.function.to_string(),
                    message: format!(
                        "not a function number (0 to {})",
                        Activation::ALL.len() - 1
                    ),
                })
            }

            /// The function this names, if its number is known.
            fn activation(self) -> Option<Activation> {
                let mut values = self.params.into_iter();
                #[allow(unused_mut, unused_variables)]
                let mut next = move || values.next().unwrap_or(f32::NAN);
                Some(match Activation::ALL.get(self.function as usize)? {
                    $( Activation::$variant { .. } => Activation::$variant $({ $($param: next()),+ })?, )*
                })
            }
        }

        /// Calls the C function of `f` (`sa_<name>`) with `f`'s parameters.
        ///
        /// # Safety
        /// As the C function's.
        #[doc(hidden)]
        pub unsafe fn call_elementwise(f: Activation, x: *const f32, y: *mut f32, n: usize) -> i32 {
            match f {
                // SAFETY: the caller's guarantees, passed on.
                $( Activation::$variant $({ $($param),+ })? => unsafe { elementwise::$name(x, y, n $($(, $param)+)?) }, )*
            }
        }
    };
}

activation_table!(declare_c_functions);

/// Declares `sa_<name>_bf16` and `sa_<name>_f16` for every row of the
/// table (see `half_functions!`).
macro_rules! declare_c_half_functions {
    ($($row:tt)*) => {
        half_functions!(bf16 crate::bf16, "_bf16"; $($row)*);
        half_functions!(f16 crate::f16, "_f16"; $($row)*);

        /// The C prototype of each 16-bit elementwise function, as the
        /// header declares it.
        #[cfg(test)]
        const HALF_PROTOTYPES: &[&[&str]] = &[
            half_prototypes!("_bf16"; $($row)*),
            half_prototypes!("_f16"; $($row)*),
        ];
    };
}

/// The C prototypes of one 16-bit type's elementwise functions.
#[cfg(test)]
macro_rules! half_prototypes {
    ($suffix:literal; $([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal $pdoc:tt)+ })?) $($rest:tt)*])*) => {
        &[$(
            concat!("int32_t sa_", stringify!($name), $suffix, "(const uint16_t *x, uint16_t *y, size_t n" $($(, ", float ", stringify!($param))+)? , ");"),
        )*]
    };
}

/// Declares module `$module` with the C function `sa_<name><suffix>` of
/// every row: the elementwise function on elements of type `$ty` (bf16 or
/// binary16 bits in `uint16_t`, 2-byte aligned).
macro_rules! half_functions {
    ($module:ident $ty:ty, $suffix:literal; $([$name:ident $inplace:ident $variant:ident ($({ $($param:ident $default:literal $pdoc:tt)+ })?) $($rest:tt)*])*) => {
        #[doc = concat!("The elementwise functions on `", stringify!($module), "` elements, exported to C as `sa_<name>", $suffix, "`.")]
        pub mod $module {
            use super::{NO_EXTRA, run};
            use crate::Activation;
            $(
                #[doc = concat!("`sa_", stringify!($name), $suffix, "`: [`crate::", stringify!($name), "`] on `", stringify!($module), "` bits from `x` into `y` (`n` each; `y == x` in place): ")]
                #[doc = "the `float` result rounded once, to nearest even."]
                #[doc = ""]
                #[doc = "Returns `SA_OK` or an `SA_ERR_*` status; nothing is written on error."]
                #[doc = ""]
                #[doc = "# Safety"]
                #[doc = "`x` points to `n` readable `uint16_t` and `y` to `n` writable ones"]
                #[doc = "(either may be null when `n == 0`), valid for the duration of the call."]
                #[unsafe(export_name = concat!("sa_", stringify!($name), $suffix))]
                pub unsafe extern "C" fn $name(x: *const u16, y: *mut u16, n: usize $($(, $param: f32)+)?) -> i32 {
                    let f = Activation::$variant $({ $($param),+ })?;
                    // SAFETY: this function's contract is `run`'s; the
                    // element type is `repr(transparent)` over `u16`.
                    unsafe {
                        run(
                            (x.cast::<$ty>(), y.cast::<$ty>(), n),
                            NO_EXTRA,
                            |isa, x, y, []| f.forward_uninit_on(isa, x, y).map(drop),
                            |isa, x, []| f.forward_inplace_on(isa, x),
                        )
                    }
                }
            )*
        }
    };
}

activation_table!(declare_c_half_functions);

/// `SA_GATED_*`: the number of each gated unit in the `sa_gated_rows`
/// functions, in [`GatedUnit::ALL`]'s order.
fn gated_unit(unit: i32) -> Result<GatedUnit, i32> {
    gated_unit_or_error(unit).map_err(|e| status(Err(e)))
}

/// [`gated_unit`] as the Rust API's error, for the functions built on
/// [`run`] (which checks the pointers first).
fn gated_unit_or_error(unit: i32) -> Result<GatedUnit, Error> {
    usize::try_from(unit)
        .ok()
        .and_then(|i| GatedUnit::ALL.get(i).copied())
        .ok_or_else(|| Error::Parse {
            input: unit.to_string(),
            message: format!(
                "not a gated unit number (0 to {}: {})",
                GatedUnit::ALL.len() - 1,
                GatedUnit::ALL
                    .iter()
                    .map(|u| u.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// The gated unit numbered `unit`, on all cores where `par` is set and the
/// library has the `rayon` feature, else on the calling thread on `isa`
/// (the same bits either way).
fn gated_forward<T: crate::Element>(
    (unit, par): (i32, bool),
    isa: Isa,
    gate: &[T],
    up: &[T],
    y: &mut [MaybeUninit<T>],
) -> Result<(), Error> {
    let unit = gated_unit_or_error(unit)?;
    #[cfg(feature = "rayon")]
    if par {
        return unit.forward_par_on(isa, (gate, up), y);
    }
    #[cfg(not(feature = "rayon"))]
    let _ = par;
    unit.forward_uninit_on(isa, gate, up, y).map(drop)
}

/// [`gated_forward`] in place (`y == gate`).
fn gated_forward_inplace<T: crate::Element>(
    (unit, par): (i32, bool),
    isa: Isa,
    gate: &mut [T],
    up: &[T],
) -> Result<(), Error> {
    let unit = gated_unit_or_error(unit)?;
    #[cfg(feature = "rayon")]
    if par {
        return unit.forward_inplace_par_on(isa, gate, up);
    }
    #[cfg(not(feature = "rayon"))]
    let _ = par;
    unit.forward_inplace_on(isa, gate, up)
}

/// [`GatedUnit::forward_rows`], on all cores where `par` is set and the
/// library has the `rayon` feature.
fn gated_rows_on<T: crate::Element>(
    unit: GatedUnit,
    isa: Isa,
    (x, y): (&[T], &mut [MaybeUninit<T>]),
    half_len: usize,
    swapped: bool,
    par: bool,
) -> Result<(), Error> {
    #[cfg(feature = "rayon")]
    if par {
        return unit.forward_rows_par_on(isa, (x, y), (half_len, swapped));
    }
    #[cfg(not(feature = "rayon"))]
    let _ = par;
    unit.forward_rows_uninit_on(isa, x, y, half_len, swapped)
        .map(drop)
}

/// Declares the C functions of each gated unit on each element type, and
/// the row form of each element type.
macro_rules! gated_c_functions {
    ($([$module:ident $ty:ty, $cty:ty, $cname:literal, $suffix:literal])*) => {
        $(
            #[doc = concat!("The fused gated units on `", stringify!($module), "` elements, exported to C as `sa_<unit>", $suffix, "`.")]
            pub mod $module {
                use super::{
                    Buffer, SA_ERR_OVERLAP, fail, gated_forward, gated_forward_inplace,
                    gated_rows_on, gated_unit, guarded, path, run, status,
                };
                use crate::GatedUnit;

                /// `y[i] = act(gate[i]) * up[i]` for the unit numbered
                /// `unit`, `y == gate` in place, on all cores where `par`
                /// is set (see `gated_forward`).
                ///
                /// # Safety
                /// As the C functions'.
                unsafe fn unit(
                    unit: (i32, bool),
                    gate: *const $cty,
                    up: *const $cty,
                    y: *mut $cty,
                    n: usize,
                ) -> i32 {
                    // SAFETY: the caller's contract is `run`'s, with `up` a
                    // further input; the element type is the C type's.
                    unsafe {
                        run(
                            (gate.cast::<$ty>(), y.cast::<$ty>(), n),
                            [(up.cast::<$ty>(), n)],
                            |isa, gate, y, [up]| gated_forward(unit, isa, gate, up, y),
                            |isa, gate, [up]| gated_forward_inplace(unit, isa, gate, up),
                        )
                    }
                }

                gated_c_functions!(@units $module $cty, $suffix;
                    swiglu SwiGlu, geglu GeGlu, geglu_tanh GeGluTanh, geglu_quick GeGluQuick, reglu ReGlu);

                #[doc = concat!("`sa_gated_par", $suffix, "`: the unit numbered `number` (`SA_GATED_*`) over `n` elements on all cores when the library has the `rayon` feature (fixed split, the one-thread bits), else on the calling thread; `y == gate` in place, `y` must not overlap `up`.")]
                ///
                /// # Safety
                /// As the unit functions'.
                #[unsafe(export_name = concat!("sa_gated_par", $suffix))]
                pub unsafe extern "C" fn gated_par_c(
                    number: i32,
                    gate: *const $cty,
                    up: *const $cty,
                    y: *mut $cty,
                    n: usize,
                ) -> i32 {
                    // SAFETY: this function's contract is `unit`'s.
                    unsafe { unit((number, true), gate, up, y, n) }
                }

                /// The row form, on all cores where `par` is set.
                ///
                /// # Safety
                /// As `gated_rows`.
                unsafe fn rows(
                    unit: i32,
                    (x, y): (*const $cty, *mut $cty),
                    n_out: usize,
                    half_len: usize,
                    swapped: i32,
                    par: bool,
                ) -> i32 {
                    guarded(|| {
                        let n_in = n_out.checked_mul(2).unwrap_or(usize::MAX);
                        let (xb, yb) = match (
                            Buffer::new(x.cast::<$ty>(), n_in),
                            Buffer::new(y.cast_const().cast::<$ty>(), n_out),
                        ) {
                            (Ok(xb), Ok(yb)) => (xb, yb),
                            (Err(code), _) | (_, Err(code)) => {
                                return fail(
                                    code,
                                    format_args!("a pointer is null or misaligned with a nonzero count, or a count is too large: x = {x:?}, y = {y:?}, n_out = {n_out}"),
                                );
                            }
                        };
                        if xb.overlaps(yb) {
                            return fail(SA_ERR_OVERLAP, format_args!("y = {y:?} overlaps x = {x:?}"));
                        }
                        let isa = match path() {
                            Ok(isa) => isa,
                            Err(code) => return code,
                        };
                        let unit = match gated_unit(unit) {
                            Ok(u) => u,
                            Err(code) => return code,
                        };
                        // SAFETY: readable and writable for their counts (the
                        // caller's contract), checked non-null, aligned and
                        // disjoint.
                        let (x, y) = unsafe { (xb.read(), yb.write_uninit()) };
                        status(gated_rows_on(unit, isa, (x, y), half_len, swapped != 0, par))
                    })
                }

                #[doc = concat!("`sa_gated_rows", $suffix, "`: [`GatedUnit::forward_rows`] over `n_out` outputs from `2 n_out` inputs.")]
                ///
                /// # Safety
                /// `x` points to `2 n_out` readable elements and `y` to
                /// `n_out` writable ones, not overlapping (either may be null
                /// when `n_out == 0`), valid for the duration of the call.
                #[unsafe(export_name = concat!("sa_gated_rows", $suffix))]
                pub unsafe extern "C" fn gated_rows(
                    unit: i32,
                    x: *const $cty,
                    y: *mut $cty,
                    n_out: usize,
                    half_len: usize,
                    swapped: i32,
                ) -> i32 {
                    // SAFETY: this function's contract is `rows`'.
                    unsafe { rows(unit, (x, y), n_out, half_len, swapped, false) }
                }

                #[doc = concat!("`sa_gated_rows_par", $suffix, "`: `sa_gated_rows", $suffix, "` on all cores when the library has the `rayon` feature (whole rows per piece, the one-thread bits).")]
                ///
                /// # Safety
                /// As `gated_rows`.
                #[unsafe(export_name = concat!("sa_gated_rows_par", $suffix))]
                pub unsafe extern "C" fn gated_rows_par(
                    unit: i32,
                    x: *const $cty,
                    y: *mut $cty,
                    n_out: usize,
                    half_len: usize,
                    swapped: i32,
                ) -> i32 {
                    // SAFETY: this function's contract is `rows`'.
                    unsafe { rows(unit, (x, y), n_out, half_len, swapped, true) }
                }
            }
        )*

        /// The C prototypes of the gated functions, as the header declares
        /// them.
        #[cfg(test)]
        const GATED_PROTOTYPES: &[&str] = &[$(
            gated_c_functions!(@prototype swiglu $suffix $cname),
            gated_c_functions!(@prototype geglu $suffix $cname),
            gated_c_functions!(@prototype geglu_tanh $suffix $cname),
            gated_c_functions!(@prototype geglu_quick $suffix $cname),
            gated_c_functions!(@prototype reglu $suffix $cname),
            concat!("int32_t sa_gated_par", $suffix, "(int32_t unit, const ", $cname, " *gate, const ", $cname, " *up, ", $cname, " *y, size_t n);"),
            concat!("int32_t sa_gated_rows", $suffix, "(int32_t unit, const ", $cname, " *x, ", $cname, " *y, size_t n_out, size_t half_len, int32_t swapped);"),
            concat!("int32_t sa_gated_rows_par", $suffix, "(int32_t unit, const ", $cname, " *x, ", $cname, " *y, size_t n_out, size_t half_len, int32_t swapped);"),
        )*];
    };
    (@prototype $name:ident $suffix:literal $cname:literal) => {
        concat!("int32_t sa_", stringify!($name), $suffix, "(const ", $cname, " *gate, const ", $cname, " *up, ", $cname, " *y, size_t n);")
    };
    (@units $module:ident $cty:ty, $suffix:literal; $($name:ident $variant:ident),*) => {
        $(
            #[doc = concat!("`sa_", stringify!($name), $suffix, "`: [`crate::", stringify!($name), "`] over `n` elements; `y == gate` in place, `y` must not overlap `up`.")]
            ///
            /// # Safety
            /// `gate` and `up` point to `n` readable elements and `y` to `n`
            /// writable ones (any may be null when `n == 0`), valid for the
            /// duration of the call.
            #[unsafe(export_name = concat!("sa_", stringify!($name), $suffix))]
            pub unsafe extern "C" fn $name(gate: *const $cty, up: *const $cty, y: *mut $cty, n: usize) -> i32 {
                // The unit's number is its index in `GatedUnit::ALL`.
                const NUMBER: i32 = GatedUnit::$variant as i32;
                const _: () = assert!(matches!(GatedUnit::ALL[NUMBER as usize], GatedUnit::$variant));
                // SAFETY: this function's contract is `unit`'s.
                unsafe { unit((NUMBER, false), gate, up, y, n) }
            }
        )*
    };
}

gated_c_functions! {
    [gated_f32 f32, f32, "float", ""]
    [gated_bf16 crate::bf16, u16, "uint16_t", "_bf16"]
    [gated_f16 crate::f16, u16, "uint16_t", "_f16"]
}

/// `log_softmax` (where `log`) or `softmax` over the rows of `row_len` of
/// `io` on the available path `isa`, with `options` (`()` or a masked
/// form's): on all cores where `par` is set and the library has the `rayon`
/// feature (whole rows per piece, the one-thread bits), else on the calling
/// thread.
fn rows_on_path<T: crate::Element, O: RowOptions<T> + Sync>(
    (log, par): (bool, bool),
    isa: Isa,
    (io, row_len): (Io<'_, T, T>, usize),
    options: O,
) -> Result<(), Error> {
    fn go<L: Flavor + Sync, T: crate::Element, O: RowOptions<T> + Sync>(
        (name, flavor): (&'static str, L),
        par: bool,
        isa: Isa,
        (io, row_len): (Io<'_, T, T>, usize),
        options: O,
    ) -> Result<(), Error> {
        #[cfg(feature = "rayon")]
        if par {
            return match io {
                Io::InPlace(y) => {
                    crate::parallel::rows_par(name, flavor, isa, (y, row_len), options)
                }
                Io::Separate(x, y) => {
                    crate::parallel::rows_par_to(name, flavor, isa, (x, y, row_len), options)
                }
            };
        }
        #[cfg(not(feature = "rayon"))]
        let _ = par;
        match io {
            Io::InPlace(y) => {
                rows::apply(name, flavor, || isa.check(), (None, y, row_len), options)
            }
            Io::Separate(x, y) => {
                rows::apply_to(name, flavor, || isa.check(), (x, y, row_len), options)
            }
        }
    }
    if log {
        go(
            ("log_softmax", LogSoftmax),
            par,
            isa,
            (io, row_len),
            options,
        )
    } else {
        go(("softmax", Softmax), par, isa, (io, row_len), options)
    }
}

/// The row functions on the caller's buffers, `log_softmax` where `log`
/// and `softmax` otherwise: the buffers checked by [`run`], then on all
/// cores where `par` is set and the library has the `rayon` feature (whole
/// rows per piece, the one-thread bits), else on the calling thread. The
/// masked forms pass their mask as the one further input, with
/// `Some((scale, zero_masked_rows))`.
///
/// # Safety
/// As [`sa_softmax`], and each of `extra` points to its count of readable
/// elements (or is null with a count of 0).
unsafe fn rows_c<T: crate::Element, const N: usize>(
    (log, par): (bool, bool),
    (x, y, n, row_len): (*const T, *mut T, usize, usize),
    extra: [(*const T, usize); N],
    masked: Option<(f32, i32)>,
) -> i32 {
    let call = |isa, io: Io<'_, T, T>, extra: [&[T]; N]| match (masked, extra.first()) {
        (Some((scale, zero_masked_rows)), Some(m)) => {
            let (m, hidden) = mask_options(m, row_len, zero_masked_rows);
            rows_on_path((log, par), isa, (io, row_len), (scale, m, hidden))
        }
        _ => rows_on_path((log, par), isa, (io, row_len), ()),
    };
    // SAFETY: the caller's contract is `run`'s.
    unsafe {
        run(
            (x, y, n),
            extra,
            |isa, x, y, extra| call(isa, Io::Separate(x, y), extra),
            |isa, x, extra| call(isa, Io::InPlace(x), extra),
        )
    }
}

/// Declares one unmasked row function: `$name`, exported to C as
/// `$export`, with rows of `$c` (the bits of `$elem`), running
/// through [`rows_c`] (`log_softmax` where `$log`), on all cores where `$par`.
/// The `half` form writes the docs of the 16-bit functions of
/// `row_c_functions!`.
macro_rules! row_c_function {
    (half $ty:ty, $suffix:literal, $name:ident, $export:literal, $what:literal, $par:literal, $log:literal) => {
        row_c_function! {
            #[doc = concat!("`", $export, $suffix, "`: [`super::", $export, "`] on `", stringify!($ty), "` bits (`uint16_t`): ", $what)]
            ///
            /// # Safety
            /// As [`super::sa_softmax`], with `uint16_t` elements.
            $name: $ty as u16, concat!($export, $suffix), $par, $log
        }
    };
    ($(#[$attr:meta])* $name:ident: $elem:ty as $c:ty, $export:expr, $par:literal, $log:literal) => {
        $(#[$attr])*
        #[unsafe(export_name = $export)]
        pub unsafe extern "C" fn $name(x: *const $c, y: *mut $c, n: usize, row_len: usize) -> i32 {
            let io = (x.cast::<$elem>(), y.cast::<$elem>(), n, row_len);
            // SAFETY: this function's contract is `rows_c`'s; the element
            // type is `$c` itself or `repr(transparent)` over it.
            unsafe { rows_c(($log, $par), io, [], None) }
        }
    };
}
use row_c_function;

row_c_function! {
    /// `softmax` over each row of `row_len` consecutive floats of `x` (`n` in
    /// all) into `y` (`y == x` in place): exactly [`crate::softmax`]'s bits,
    /// error bound and special rows. [`SA_ERR_SHAPE`] if `row_len` is 0 or does
    /// not divide `n`.
    ///
    /// # Safety
    /// `x` points to `n` readable floats and `y` to `n` writable ones (either
    /// may be null when `n == 0`), valid for the duration of the call.
    sa_softmax: f32 as f32, "sa_softmax", false, false
}

row_c_function! {
    /// `log_softmax` over rows, as [`sa_softmax`]: exactly
    /// [`crate::log_softmax`]'s bits, error bound and special rows.
    ///
    /// # Safety
    /// As [`sa_softmax`].
    sa_log_softmax: f32 as f32, "sa_log_softmax", false, true
}

row_c_function! {
    /// [`sa_softmax`] on all cores when the library has the `rayon` feature
    /// (whole rows per piece, the one-thread bits), else on the calling thread.
    ///
    /// # Safety
    /// As [`sa_softmax`].
    sa_softmax_par: f32 as f32, "sa_softmax_par", true, false
}

row_c_function! {
    /// [`sa_log_softmax`] on all cores, as [`sa_softmax_par`].
    ///
    /// # Safety
    /// As [`sa_softmax`].
    sa_log_softmax_par: f32 as f32, "sa_log_softmax_par", true, true
}

/// Declares one masked row function: `$name`, exported to C as `$export`,
/// with rows and mask of `$c` (the bits of `$elem`), running through
/// [`rows_c`] (`log_softmax` where `$log`), on all cores where `$par`. The `half` form
/// writes the docs of the 16-bit functions of `row_c_functions!`.
macro_rules! masked_row_c_function {
    (half $ty:ty, $suffix:literal, $name:ident, $export:literal, $par:literal, $log:literal) => {
        masked_row_c_function! {
            #[doc = concat!("`", $export, $suffix, "`: [`super::", $export, "`] on `", stringify!($ty), "` bits, the mask of the same type: each result the `float` one rounded once.")]
            ///
            /// # Safety
            /// As [`super::sa_softmax_masked`], with `uint16_t` elements and
            /// mask.
            $name: $ty as u16, concat!($export, $suffix), $par, $log
        }
    };
    ($(#[$attr:meta])* $name:ident: $elem:ty as $c:ty, $export:expr, $par:literal, $log:literal) => {
        $(#[$attr])*
        #[unsafe(export_name = $export)]
        pub unsafe extern "C" fn $name(
            x: *const $c,
            y: *mut $c,
            n: usize,
            row_len: usize,
            scale: f32,
            mask: *const $c,
            mask_len: usize,
            zero_masked_rows: i32,
        ) -> i32 {
            let io = (x.cast::<$elem>(), y.cast::<$elem>(), n, row_len);
            let mask = [(mask.cast::<$elem>(), mask_len)];
            // SAFETY: this function's contract is `rows_c`'s, the mask one
            // of its further inputs; the element type is `$c` itself or
            // `repr(transparent)` over it.
            unsafe { rows_c(($log, $par), io, mask, Some((scale, zero_masked_rows))) }
        }
    };
}
use masked_row_c_function;

/// Declares, for each 16-bit element type, the row functions of the `float`
/// ones (`sa_softmax`, `sa_log_softmax`, their `_par` and `_masked` forms)
/// as `sa_softmax<suffix>` and so on: the rows and the mask of that type,
/// each result `from_f32` of the `float` function's on the widened rows.
macro_rules! row_c_functions {
    ($([$module:ident $ty:ty, $suffix:literal])*) => {
        $(
            #[doc = concat!("The row functions on `", stringify!($ty), "` elements, exported to C as `sa_softmax", $suffix, "` and the like.")]
            pub mod $module {
                use super::rows_c;

                super::row_c_function!(half $ty, $suffix, softmax, "sa_softmax", "each result the `float` one rounded once, to nearest even.", false, false);
                super::row_c_function!(half $ty, $suffix, log_softmax, "sa_log_softmax", "each result the `float` one rounded once.", false, true);
                super::row_c_function!(half $ty, $suffix, softmax_par, "sa_softmax_par", "the one-thread bits.", true, false);
                super::row_c_function!(half $ty, $suffix, log_softmax_par, "sa_log_softmax_par", "the one-thread bits.", true, true);
                super::masked_row_c_function!(half $ty, $suffix, softmax_masked, "sa_softmax_masked", false, false);
                super::masked_row_c_function!(half $ty, $suffix, log_softmax_masked, "sa_log_softmax_masked", false, true);
                super::masked_row_c_function!(half $ty, $suffix, softmax_masked_par, "sa_softmax_masked_par", true, false);
                super::masked_row_c_function!(half $ty, $suffix, log_softmax_masked_par, "sa_log_softmax_masked_par", true, true);
            }
        )*

        /// The C prototypes of the 16-bit row functions, as the header
        /// declares them.
        #[cfg(test)]
        const ROW_PROTOTYPES: &[&str] = &[$(
            concat!("int32_t sa_softmax", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);"),
            concat!("int32_t sa_log_softmax", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);"),
            concat!("int32_t sa_softmax_par", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);"),
            concat!("int32_t sa_log_softmax_par", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);"),
            concat!("int32_t sa_softmax_masked", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len, float scale, const uint16_t *mask, size_t mask_len, int32_t zero_masked_rows);"),
            concat!("int32_t sa_log_softmax_masked", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len, float scale, const uint16_t *mask, size_t mask_len, int32_t zero_masked_rows);"),
            concat!("int32_t sa_softmax_masked_par", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len, float scale, const uint16_t *mask, size_t mask_len, int32_t zero_masked_rows);"),
            concat!("int32_t sa_log_softmax_masked_par", $suffix, "(const uint16_t *x, uint16_t *y, size_t n, size_t row_len, float scale, const uint16_t *mask, size_t mask_len, int32_t zero_masked_rows);"),
        )*];
    };
}

row_c_functions! {
    [rows_bf16 crate::bf16, "_bf16"]
    [rows_f16 crate::f16, "_f16"]
}

/// Declares, for each element type, the C functions with a second input:
/// `sa_prelu<suffix>` (its weights `float` on every type) and
/// `sa_frelu<suffix>`.
macro_rules! second_input_c_functions {
    ($([$module:ident $ty:ty, $cty:ty, $cname:literal, $suffix:literal])*) => {
        $(
            #[doc = concat!("`prelu` and `frelu` on `", stringify!($module), "` elements, exported to C as `sa_prelu", $suffix, "` and `sa_frelu", $suffix, "`.")]
            pub mod $module {
                use super::run;
                use crate::two_inputs::{frelu_at, prelu_at};

                #[doc = concat!("`sa_prelu", $suffix, "`: `prelu` over an `[outer, channels, inner]` layout of `n` elements (`", $cname, "`), with `n_weight` `float` weights (1, or one per channel): exactly [`crate::prelu`]'s bits and rules. `y == x` computes in place; `y` must not overlap `weight`.")]
                ///
                /// # Safety
                /// `x` points to `n` readable elements, `y` to `n` writable
                /// ones and `weight` to `n_weight` readable floats (any may
                /// be null when its count is 0), valid for the duration of
                /// the call.
                #[unsafe(export_name = concat!("sa_prelu", $suffix))]
                pub unsafe extern "C" fn prelu(
                    x: *const $cty,
                    y: *mut $cty,
                    n: usize,
                    weight: *const f32,
                    n_weight: usize,
                    channels: usize,
                    inner: usize,
                ) -> i32 {
                    // SAFETY: this function's contract is `run`'s; the
                    // element type is the C type's, or `repr(transparent)`
                    // over it.
                    unsafe {
                        run(
                            (x.cast::<$ty>(), y.cast::<$ty>(), n),
                            [(weight, n_weight)],
                            |isa, x, y, [w]| prelu_at(isa, x, y, w, [channels, inner]),
                            |isa, x, [w]| crate::prelu_inplace_on(isa, x, w, channels, inner),
                        )
                    }
                }

                #[doc = concat!("`sa_frelu", $suffix, "`: `y[i] = max(x[i], t[i])` over `n` elements (`", $cname, "`): exactly [`crate::frelu`]'s bits and NaN rule. `y == x` computes in place; `y` must not overlap `t`.")]
                ///
                /// # Safety
                /// `x` and `t` point to `n` readable elements and `y` to `n`
                /// writable ones (any may be null when `n == 0`), valid for
                /// the duration of the call.
                #[unsafe(export_name = concat!("sa_frelu", $suffix))]
                pub unsafe extern "C" fn frelu(
                    x: *const $cty,
                    t: *const $cty,
                    y: *mut $cty,
                    n: usize,
                ) -> i32 {
                    // SAFETY: as in `prelu`.
                    unsafe {
                        run(
                            (x.cast::<$ty>(), y.cast::<$ty>(), n),
                            [(t.cast::<$ty>(), n)],
                            |isa, x, y, [t]| frelu_at(|| isa.check(), x, t, y),
                            |isa, x, [t]| crate::frelu_inplace_on(isa, x, t),
                        )
                    }
                }
            }
        )*

        /// The C prototypes of the functions with a second input, as the
        /// header declares them.
        #[cfg(test)]
        const SECOND_PROTOTYPES: &[&str] = &[$(
            concat!("int32_t sa_prelu", $suffix, "(const ", $cname, " *x, ", $cname, " *y, size_t n, const float *weight, size_t n_weight, size_t channels, size_t inner);"),
            concat!("int32_t sa_frelu", $suffix, "(const ", $cname, " *x, const ", $cname, " *t, ", $cname, " *y, size_t n);"),
        )*];
    };
}

second_input_c_functions! {
    [second_f32 f32, f32, "float", ""]
    [second_bf16 crate::bf16, u16, "uint16_t", "_bf16"]
    [second_f16 crate::f16, u16, "uint16_t", "_f16"]
}

pub use second_f32::{frelu as sa_frelu, prelu as sa_prelu};

#[cfg(test)]
mod tests {
    use super::{
        GATED_PROTOTYPES, HALF_PROTOTYPES, PROTOTYPES, ROW_PROTOTYPES, RUNTIME_PROTOTYPES,
        SECOND_PROTOTYPES,
    };

    /// The header's version is the package's.
    #[test]
    fn header_version_is_the_packages() {
        let header = include_str!("../../capi/assets/simd_activations.h");
        let version = env!("CARGO_PKG_VERSION");
        assert!(header.contains(&format!("#define SA_VERSION_STRING \"{version}\"")));
        for (name, value) in [
            ("MAJOR", super::SA_VERSION_MAJOR),
            ("MINOR", super::SA_VERSION_MINOR),
            ("PATCH", super::SA_VERSION_PATCH),
        ] {
            assert!(
                header.contains(&format!("#define SA_VERSION_{name} {value}\n")),
                "{name}"
            );
        }
        // SAFETY: a static NUL-terminated string.
        let v = unsafe { core::ffi::CStr::from_ptr(super::sa_version()) };
        assert_eq!(v.to_str(), Ok(version));
    }

    /// The header and the README name the shared library's SONAME as
    /// `capi/build.rs` gives it from the C package's version: `.so.0.MINOR`
    /// while the major version is 0 (`.so.0.0.PATCH` for 0.0), `.so.MAJOR`
    /// from 1.0 on.
    #[test]
    fn header_and_readme_name_the_soname() {
        let manifest = include_str!("../../capi/Cargo.toml");
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .expect("the C package's version");
        let parts: Vec<&str> = version.split('.').collect();
        let suffix = match parts[..] {
            ["0", "0", patch] => format!("0.0.{patch}"),
            ["0", minor, _] => format!("0.{minor}"),
            [major, ..] => major.to_string(),
            [] => unreachable!("a version has three parts"),
        };
        let soname = format!("libsimd_activations.so.{suffix}");
        for (name, text) in [
            (
                "header",
                include_str!("../../capi/assets/simd_activations.h"),
            ),
            ("README", include_str!("../../README.md")),
        ] {
            assert!(text.contains(&soname), "{name} names {soname}");
            let others = text.matches("libsimd_activations.so.").count();
            assert_eq!(
                text.matches(&soname).count(),
                others,
                "{name}: another SONAME"
            );
        }
    }

    /// The elementwise declarations of the header are exactly the table's.
    #[test]
    fn header_declares_every_elementwise_function_of_the_table() {
        let header = include_str!("../../capi/assets/simd_activations.h");
        let declared: Vec<&str> = header
            .lines()
            .filter(|l| {
                l.starts_with("int32_t sa_")
                    && (l.contains("(const float *x, float *y, size_t n")
                        || l.contains("(const uint16_t *x, uint16_t *y, size_t n"))
            })
            .filter(|l| !l.contains("row_len") && !l.contains("weight"))
            .map(|l| l.split_inclusive(';').next().unwrap_or(l))
            .collect();
        let all: Vec<&str> = PROTOTYPES
            .iter()
            .chain(HALF_PROTOTYPES.iter().flat_map(|p| p.iter()))
            .copied()
            .collect();
        for p in &all {
            assert!(declared.contains(p), "the header lacks `{p}`");
        }
        for d in &declared {
            assert!(
                all.contains(d),
                "the header declares `{d}`, which is not in the table"
            );
        }
    }

    /// The header declares the gated units' functions, numbering the units
    /// as `GatedUnit::ALL` orders them, and the other typed functions:
    /// `prelu`, `frelu`, the run-time entries and the masked rows on all
    /// cores.
    #[test]
    fn header_declares_the_gated_units_and_the_other_typed_functions() {
        let header = include_str!("../../capi/assets/simd_activations.h");
        let squeezed = squeeze(header);
        let masked = [
            "int32_t sa_softmax_masked_par(const float *x, float *y, size_t n, size_t row_len, float scale, const float *mask, size_t mask_len, int32_t zero_masked_rows);",
            "int32_t sa_log_softmax_masked_par(const float *x, float *y, size_t n, size_t row_len, float scale, const float *mask, size_t mask_len, int32_t zero_masked_rows);",
            "int32_t sa_activation_forward_mixed(sa_activation f, const void *x, int32_t x_type, void *y, int32_t y_type, size_t n);",
        ];
        let others = SECOND_PROTOTYPES
            .iter()
            .chain(RUNTIME_PROTOTYPES)
            .chain(ROW_PROTOTYPES)
            .chain(&masked);
        for p in GATED_PROTOTYPES.iter().chain(others) {
            assert!(squeezed.contains(&squeeze(p)), "the header lacks `{p}`");
        }
        for (name, value) in [
            ("F32", super::SA_TYPE_F32),
            ("BF16", super::SA_TYPE_BF16),
            ("F16", super::SA_TYPE_F16),
        ] {
            let define = format!("#define SA_TYPE_{name} {value}\n");
            assert!(header.contains(&define), "the header lacks `{define}`");
        }
        for (i, unit) in crate::GatedUnit::ALL.iter().enumerate() {
            let define = format!("#define SA_GATED_{} {i}", unit.name().to_uppercase());
            assert!(header.contains(&define), "the header lacks `{define}`");
        }
    }

    /// `s` with every run of white space made one space.
    fn squeeze(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// A function chosen at run time, for C engines that read it from a model
/// file: which function (a number that [`sa_activation_parse`] gives; it
/// names a function of this library's version) and its parameters, in the
/// order the function declares them (unused ones are 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SaActivation {
    /// The function's number.
    pub function: u32,
    /// Its parameters.
    pub params: [f32; 2],
}

/// Reads a function from its text into `*out`: what
/// `Activation`'s `FromStr` reads (`"gelu"`, `"leaky_relu(negative_slope=0.2)"`,
/// PyTorch's `"GELU(approximate='tanh')"`, Hugging Face's `"gelu_new"`).
/// Returns [`SA_OK`], [`SA_ERR_FUNCTION`] for an unknown name or unreadable
/// parameters, [`SA_ERR_PARAMETER`] for a parameter outside its domain, or
/// [`SA_ERR_POINTER`]; `*out` is written only on success.
///
/// # Safety
/// `text` is a NUL-terminated string and `out` points to a writable
/// `SaActivation` (either may be null: [`SA_ERR_POINTER`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sa_activation_parse(text: *const c_char, out: *mut SaActivation) -> i32 {
    if text.is_null() || out.is_null() || !out.is_aligned() {
        return fail(
            SA_ERR_POINTER,
            format_args!("text = {text:?}, out = {out:?}: null or misaligned"),
        );
    }
    // SAFETY: a non-null NUL-terminated string (the caller's contract).
    let text = unsafe { CStr::from_ptr(text) };
    let Ok(text) = text.to_str() else {
        return fail(SA_ERR_FUNCTION, "the text is not UTF-8");
    };
    match text.parse::<Activation>() {
        Ok(f) => {
            // SAFETY: non-null, aligned and writable (the caller's contract).
            unsafe { out.write(SaActivation::new(f)) };
            SA_OK
        }
        Err(e) => status(Err(e)),
    }
}

/// `sa_activation_forward*` (on all cores where `par` is set and the
/// library has the `rayon` feature, else on the calling thread; the same
/// bits either way): the function of `f` from `x` into `y`, `y == x` in
/// place.
///
/// # Safety
/// As [`sa_activation_forward`], with elements of `T`.
unsafe fn runtime_forward<T: crate::Element>(
    (f, par): (SaActivation, bool),
    (x, y, n): (*const T, *mut T, usize),
) -> i32 {
    #[cfg(not(feature = "rayon"))]
    let _ = par;
    // SAFETY: the caller's contract is `run`'s.
    unsafe {
        run(
            (x, y, n),
            NO_EXTRA,
            |isa, x, y, []| {
                #[cfg(feature = "rayon")]
                if par {
                    return f.known()?.forward_par_on(isa, x, y);
                }
                f.known()?.forward_uninit_on(isa, x, y).map(drop)
            },
            |isa, x, []| {
                #[cfg(feature = "rayon")]
                if par {
                    return f.known()?.forward_inplace_par_on(isa, x);
                }
                f.known()?.forward_inplace_on(isa, x)
            },
        )
    }
}

/// Declares, for each element type, the functions chosen at run time:
/// `sa_activation_forward<suffix>` and `sa_activation_forward_par<suffix>`.
macro_rules! runtime_c_functions {
    ($([$module:ident $ty:ty, $cty:ty, $cname:literal, $suffix:literal])*) => {
        $(
            #[doc = concat!("The function of an [`SaActivation`] on `", stringify!($module), "` elements, exported to C as `sa_activation_forward", $suffix, "` and `sa_activation_forward_par", $suffix, "`.")]
            pub mod $module {
                use super::{SaActivation, runtime_forward};

                #[doc = concat!("`sa_activation_forward", $suffix, "`: the function of `f` from `x` into `y` (`n` elements each, `", $cname, "`; `y == x` in place), with the rules of the `sa_<name>", $suffix, "` functions; `SA_ERR_FUNCTION` for an unknown function number.")]
                ///
                /// # Safety
                /// As the `sa_<name>` functions'.
                #[unsafe(export_name = concat!("sa_activation_forward", $suffix))]
                pub unsafe extern "C" fn forward(
                    f: SaActivation,
                    x: *const $cty,
                    y: *mut $cty,
                    n: usize,
                ) -> i32 {
                    // SAFETY: this function's contract is `runtime_forward`'s;
                    // the element type is the C type's, or
                    // `repr(transparent)` over it.
                    unsafe { runtime_forward((f, false), (x.cast::<$ty>(), y.cast::<$ty>(), n)) }
                }

                #[doc = concat!("`sa_activation_forward_par", $suffix, "`: `sa_activation_forward", $suffix, "` on all cores when the library is built with the `rayon` feature (split at fixed boundaries, with the same bits; small slices stay on the calling thread), and on the calling thread otherwise.")]
                ///
                /// # Safety
                /// As `forward`.
                #[unsafe(export_name = concat!("sa_activation_forward_par", $suffix))]
                pub unsafe extern "C" fn forward_par(
                    f: SaActivation,
                    x: *const $cty,
                    y: *mut $cty,
                    n: usize,
                ) -> i32 {
                    // SAFETY: as in `forward`.
                    unsafe { runtime_forward((f, true), (x.cast::<$ty>(), y.cast::<$ty>(), n)) }
                }
            }
        )*

        /// The C prototypes of the functions chosen at run time, as the
        /// header declares them.
        #[cfg(test)]
        const RUNTIME_PROTOTYPES: &[&str] = &[$(
            concat!("int32_t sa_activation_forward", $suffix, "(sa_activation f, const ", $cname, " *x, ", $cname, " *y, size_t n);"),
            concat!("int32_t sa_activation_forward_par", $suffix, "(sa_activation f, const ", $cname, " *x, ", $cname, " *y, size_t n);"),
        )*];
    };
}

runtime_c_functions! {
    [runtime_f32 f32, f32, "float", ""]
    [runtime_bf16 crate::bf16, u16, "uint16_t", "_bf16"]
    [runtime_f16 crate::f16, u16, "uint16_t", "_f16"]
}

pub use runtime_f32::{forward as sa_activation_forward, forward_par as sa_activation_forward_par};

/// `SA_TYPE_F32`: `float` elements, for [`sa_activation_forward_mixed`].
pub const SA_TYPE_F32: i32 = 0;
/// `SA_TYPE_BF16`: bfloat16 bits in `uint16_t`.
pub const SA_TYPE_BF16: i32 = 1;
/// `SA_TYPE_F16`: binary16 bits in `uint16_t`.
pub const SA_TYPE_F16: i32 = 2;

/// [`sa_activation_forward_mixed`] on elements `A` in and `B` out.
///
/// # Safety
/// As [`sa_activation_forward_mixed`], with `x` holding `A` and `y` `B`.
unsafe fn mixed<A: crate::Element, B: crate::Element>(
    f: SaActivation,
    x: *const A,
    y: *mut B,
    n: usize,
) -> i32 {
    // SAFETY: this function's contract is `run`'s.
    unsafe {
        run(
            (x, y, n),
            NO_EXTRA,
            |isa, x, y, []| f.known()?.forward_mixed_at(isa, x, y),
            |isa, x, []| f.known()?.forward_inplace_on(isa, x),
        )
    }
}

/// The function of `f` from `x`, of element type `x_type`, into `y`, of
/// element type `y_type` (`SA_TYPE_F32`, `SA_TYPE_BF16` or `SA_TYPE_F16`),
/// `n` elements each: exactly [`Activation::forward_mixed`]'s bits (the
/// input widened exactly, the `float` result rounded once to `y_type`).
/// `y == x` with one type computes in place; any other overlap is refused.
/// An unknown type number is [`SA_ERR_PARAMETER`], before the other checks
/// (the pointers' alignment depends on it).
///
/// # Safety
/// `x` points to `n` readable elements of `x_type` and `y` to `n` writable
/// ones of `y_type` (either may be null when `n == 0`), valid for the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sa_activation_forward_mixed(
    f: SaActivation,
    x: *const core::ffi::c_void,
    x_type: i32,
    y: *mut core::ffi::c_void,
    y_type: i32,
    n: usize,
) -> i32 {
    use crate::{bf16, f16};
    // SAFETY (every arm): the caller's contract, with the element types
    // that `x_type` and `y_type` name.
    unsafe {
        match (x_type, y_type) {
            (SA_TYPE_F32, SA_TYPE_F32) => mixed::<f32, f32>(f, x.cast(), y.cast(), n),
            (SA_TYPE_F32, SA_TYPE_BF16) => mixed::<f32, bf16>(f, x.cast(), y.cast(), n),
            (SA_TYPE_F32, SA_TYPE_F16) => mixed::<f32, f16>(f, x.cast(), y.cast(), n),
            (SA_TYPE_BF16, SA_TYPE_F32) => mixed::<bf16, f32>(f, x.cast(), y.cast(), n),
            (SA_TYPE_BF16, SA_TYPE_BF16) => mixed::<bf16, bf16>(f, x.cast(), y.cast(), n),
            (SA_TYPE_BF16, SA_TYPE_F16) => mixed::<bf16, f16>(f, x.cast(), y.cast(), n),
            (SA_TYPE_F16, SA_TYPE_F32) => mixed::<f16, f32>(f, x.cast(), y.cast(), n),
            (SA_TYPE_F16, SA_TYPE_BF16) => mixed::<f16, bf16>(f, x.cast(), y.cast(), n),
            (SA_TYPE_F16, SA_TYPE_F16) => mixed::<f16, f16>(f, x.cast(), y.cast(), n),
            _ => fail(
                SA_ERR_PARAMETER,
                format_args!(
                    "element types x_type = {x_type}, y_type = {y_type}: each must be SA_TYPE_F32 (0), SA_TYPE_BF16 (1) or SA_TYPE_F16 (2)"
                ),
            ),
        }
    }
}

/// The epilogue of a matrix product, in place: for each of `rows` rows
/// starting `ld` floats apart in `y`, `y[r*ld + c] = f(y[r*ld + c] +
/// bias[c])` for `c < cols` (the addition rounded to `float` first: the bits
/// of adding, then activating, with [`crate::Activation::forward_bias_inplace`]'s
/// rule for a NaN sum). Nothing between the rows is read or written, nor
/// borrowed: other threads may work there during the call.
/// In this order: [`SA_ERR_POINTER`] (null or misaligned, or a tile whose
/// size fits in `size_t` but not in the address space) and
/// [`SA_ERR_OVERLAP`] if `bias` overlaps the tile's extent (`(rows - 1) *
/// ld + cols` floats from `y`, the gaps between rows included);
/// [`SA_ERR_ISA`];
/// [`SA_ERR_FUNCTION`]; [`SA_ERR_SHAPE`] if `ld < cols` or the tile's size
/// overflows `size_t`; then the parameters, with the in-place rules.
///
/// # Safety
/// `y` points to `(rows - 1) * ld + cols` readable and writable floats (none
/// when `rows` or `cols` is 0), of which the call alone uses the tile's rows,
/// and `bias` to `cols` readable ones, valid for the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sa_activation_bias_inplace(
    f: SaActivation,
    y: *mut f32,
    bias: *const f32,
    rows: usize,
    cols: usize,
    ld: usize,
) -> i32 {
    let f = f.known();
    guarded(|| {
        let shape = || format!("rows = {rows}, cols = {cols}, ld = {ld}");
        // The tile's extent where the shape fits; a shape that does not is
        // reported after the pointers and the function.
        let needed = if ld < cols {
            Err("ld < cols")
        } else if rows == 0 || cols == 0 {
            Ok(0)
        } else {
            (rows - 1)
                .checked_mul(ld)
                .and_then(|v| v.checked_add(cols))
                .ok_or("the tile's size overflows")
        };
        // The pointers first: null or misaligned where the call reads or
        // writes through them, and where the shape fits, a tile too large
        // for the address space or overlapping the bias.
        let extent = needed.unwrap_or(usize::from(rows > 0 && cols > 0));
        let (tile, bias_buffer) = match (Buffer::new(y, extent), Buffer::new(bias, cols)) {
            (Ok(tile), Ok(bias)) => (tile, bias),
            _ => {
                return fail(
                    SA_ERR_POINTER,
                    format_args!(
                        "y = {y:?}, bias = {bias:?} ({}): null or misaligned, or too large",
                        shape()
                    ),
                );
            }
        };
        if tile.overlaps(bias_buffer) {
            return fail(
                SA_ERR_OVERLAP,
                format_args!("the bias {bias:?} overlaps the tile {y:?} ({})", shape()),
            );
        }
        let isa = match path() {
            Ok(isa) => isa,
            Err(code) => return code,
        };
        let f = match f {
            Ok(f) => f,
            Err(e) => return status(Err(e)),
        };
        if let Err(what) = needed {
            return fail(SA_ERR_SHAPE, format_args!("{}: {what}", shape()));
        }
        // SAFETY: the bias is readable (the caller's contract) and does not
        // overlap the tile (checked above), which the call writes.
        let bias = unsafe { bias_buffer.read() };
        // SAFETY: `isa` is available (`path` checks it); the tile's rows
        // (`needed` floats from `y`, the shape fitting: `ld >= cols`) are
        // readable and writable (the caller's contract), non-null and
        // aligned where there are any (`Buffer::new`), and apart from the
        // bias. The elements between the rows are not borrowed: the caller
        // may hand them to other threads meanwhile.
        status(unsafe { f.bias_tile(isa, tile.ptr.cast_mut(), bias, [rows, cols, ld]) })
    })
}

/// `y = f(x + bias)` over `n` floats in contiguous rows of `cols` (the
/// out-of-place form of [`sa_activation_bias_inplace`], with its bits);
/// `y == x` computes in place. [`SA_ERR_SHAPE`] if `cols` is 0 (`n` too)
/// or does not divide `n`; `y` must not overlap `bias`.
///
/// # Safety
/// `x` points to `n` readable floats, `y` to `n` writable ones and `bias` to
/// `cols` readable ones, valid for the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sa_activation_bias(
    f: SaActivation,
    x: *const f32,
    bias: *const f32,
    y: *mut f32,
    n: usize,
    cols: usize,
) -> i32 {
    // SAFETY: this function's contract is `run`'s.
    unsafe {
        run(
            (x, y, n),
            [(bias, cols)],
            |isa, x, y, [bias]| f.known()?.forward_bias_at(isa, x, bias, y),
            |isa, y, [bias]| {
                let f = f.known()?;
                let rows = crate::activation::contiguous_rows(f.name(), n, cols)?;
                f.forward_bias_inplace_at(isa, y, bias, [rows, cols, cols])
            },
        )
    }
}

/// The mask and the rule for hidden rows of the `sa_*_masked` functions.
fn mask_options<T: crate::Element>(
    mask: &[T],
    row_len: usize,
    zero_masked_rows: i32,
) -> (Mask<'_, T>, MaskedRows) {
    let mask = match mask.len() {
        0 => Mask::None,
        len if len == row_len => Mask::Row(mask),
        _ => Mask::PerRow(mask),
    };
    let hidden = if zero_masked_rows != 0 {
        MaskedRows::Zero
    } else {
        MaskedRows::Uniform
    };
    (mask, hidden)
}

masked_row_c_function! {
    /// The attention softmax, `softmax(scale * x + mask)` over each row of
    /// `row_len` floats (`n` in all; `y == x` in place): exactly
    /// [`crate::softmax_masked`]'s bits. The mask has `mask_len` floats: 0 (no
    /// mask), `row_len` (one row added to every row) or `n` (one per element);
    /// otherwise [`SA_ERR_SHAPE`]. `zero_masked_rows` nonzero: a row hidden
    /// entirely by the mask gives zeros; zero: `1/row_len` everywhere. `y` must
    /// not overlap the mask.
    ///
    /// # Safety
    /// `x` points to `n` readable floats, `y` to `n` writable ones and `mask`
    /// to `mask_len` readable ones (any may be null when its count is 0), valid
    /// for the call.
    sa_softmax_masked: f32 as f32, "sa_softmax_masked", false, false
}

masked_row_c_function! {
    /// `log_softmax(scale * x + mask)`, as [`sa_softmax_masked`]: exactly
    /// [`crate::log_softmax_masked`]'s bits; a hidden row gives `-inf`
    /// (`zero_masked_rows` nonzero) or `-ln(row_len)`.
    ///
    /// # Safety
    /// As [`sa_softmax_masked`].
    sa_log_softmax_masked: f32 as f32, "sa_log_softmax_masked", false, true
}

masked_row_c_function! {
    /// [`sa_softmax_masked`] on all cores when the library has the `rayon`
    /// feature (whole rows per piece, each with its part of a mask per row: the
    /// one-thread bits), else on the calling thread.
    ///
    /// # Safety
    /// As [`sa_softmax_masked`].
    sa_softmax_masked_par: f32 as f32, "sa_softmax_masked_par", true, false
}

masked_row_c_function! {
    /// [`sa_log_softmax_masked`] on all cores, as [`sa_softmax_masked_par`].
    ///
    /// # Safety
    /// As [`sa_softmax_masked`].
    sa_log_softmax_masked_par: f32 as f32, "sa_log_softmax_masked_par", true, true
}
