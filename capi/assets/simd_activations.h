/*
 * simd-activations: accurate SIMD activation functions with the same bits on
 * every CPU. The C interface to the Rust crate (src/capi/mod.rs).
 *
 * Linking (both built by `cargo build --release -p simd-activations-capi`
 * into target/release; `cargo cinstall` from cargo-c installs them with this
 * header and a pkg-config file, simd_activations.pc):
 *  - static: libsimd_activations.a, then the system libraries the Rust
 *    runtime uses: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc (Linux/glibc);
 *  - shared: libsimd_activations.so, whose SONAME is
 *    libsimd_activations.so.0.1 (0.MINOR while the major version is 0, as a
 *    minor version may change the interface; MAJOR from 1.0 on): link with
 *    -L<dir> -lsimd_activations, and let the loader find the SONAME (cargo
 *    cinstall makes the link; in target/release, make it with
 *    `ln -s libsimd_activations.so libsimd_activations.so.0.1`), through
 *    -Wl,-rpath,<dir> or LD_LIBRARY_PATH.
 *
 * Every function computes exactly what the Rust function of the same name
 * computes on the dispatch path (the most capable of AVX-512, AVX2 + FMA,
 * NEON and scalar this CPU runs, capped by the environment variable
 * SIMD_ACTIVATIONS_ISA), with the same bits, error bounds and special values;
 * the README lists them. Detection happens once; a successful call of a
 * computing function does not allocate, except the _par functions (below),
 * sa_prelu* with one weight per channel over inner < 16 elements (it expands
 * the weights), and a call that reads SIMD_ACTIVATIONS_ISA (until one finds
 * it valid); sa_activation_parse allocates while it reads, and a failing
 * call formats its message for sa_last_error().
 *
 * Thread safety: every function may be called from any number of threads at
 * once. The only shared state is the CPU's detected features and the cached
 * dispatch choice (each set once, atomically); sa_last_error is per thread.
 * The _par functions of a library built with the rayon feature (the
 * default) split slices of 64 Ki elements
 * or more between the calling thread and rayon's global thread pool (up to
 * 2 Mi elements the caller takes pieces too; above, the pool alone), which
 * they start on first use (threads and memory). Do not call them in the
 * child of a fork() made after the pool started, and do not unload the
 * library while the pool may run; smaller slices stay on the calling
 * thread.
 *
 * Splitting work yourself: each output element depends only on the input
 * elements at its own index (x; gate and up; x and t) and the parameters,
 * plus its channel's weight for sa_prelu*, its column's bias for the bias
 * functions, and its row (with that row's part of a mask of n elements) for
 * the row functions, whatever the pointers' alignment. So calls on parts of
 * a slice, each on any thread, give the bits of one call on the whole when
 * the data pointers (x, y, gate, up, t and a mask of n elements; not the
 * weights, the bias or a mask of row_len) are advanced by the same count of
 * their own elements and the parts are cut: anywhere for the elementwise,
 * frelu, gated and sa_activation_forward* functions; at multiples of row_len
 * for the row functions (a mask of row_len elements passed unchanged); at
 * multiples of half_len outputs (x advanced by twice that) for
 * sa_gated_rows*; at multiples of channels * inner for sa_prelu* with one
 * weight per channel; at row boundaries of the tile for the bias functions.
 * The _par functions rely on this.
 *
 * Conventions:
 *  - float pointers must be aligned to 4 bytes (the alignment of float; no
 *    wider alignment is needed), uint16_t pointers (bf16 or binary16 bits)
 *    to 2 bytes, and any may be null only when its count is 0: otherwise
 *    SA_ERR_POINTER. This holds for every function below.
 *  - x is read and y written, n elements each (floats, or uint16_t for the
 *    _bf16 and _f16 functions). Where y is not x, every element of it is
 *    written before it is read (only the softmax functions read back what
 *    they stored there): it may be uninitialized memory (a fresh malloc).
 *    y == x computes in place (with the in-place parameter rules: elu and
 *    celu reject a negative alpha,
 *    for an empty call too, and two null pointers with n == 0 are the same
 *    buffer); any other overlap of y with an input is refused
 *    (SA_ERR_OVERLAP).
 *  - The result is a status: SA_OK or an SA_ERR_* code; nothing is written
 *    unless it is SA_OK. sa_last_error() then says what was wrong. The
 *    checks come in one order everywhere: the pointers and their counts
 *    (SA_ERR_POINTER, then SA_ERR_OVERLAP), the path (SA_ERR_ISA), then the
 *    rest: the function, the shape and the parameters (SA_ERR_FUNCTION,
 *    SA_ERR_SHAPE, SA_ERR_PARAMETER). The one exception:
 *    sa_activation_forward_mixed checks its element type numbers first, as
 *    the pointers' alignment depends on them.
 */
#ifndef SIMD_ACTIVATIONS_H
#define SIMD_ACTIVATIONS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; sa_version() gives the library's. */
#define SA_VERSION_MAJOR 0
#define SA_VERSION_MINOR 1
#define SA_VERSION_PATCH 0
#define SA_VERSION_STRING "0.1.0"

/* Status codes. */
#define SA_OK 0
/* A pointer is null (with a nonzero count) or not aligned to its element
   (4 bytes for float, 2 for uint16_t), or the count is too large for the
   address space. */
#define SA_ERR_POINTER 1
/* The output overlaps an input without being the same buffer as x. */
#define SA_ERR_OVERLAP 2
/* A parameter is outside its domain (NaN, or infinite for any but softplus's
   threshold; beta <= 0, min_val > max_val, alpha == 0 for celu, a negative
   alpha for elu/celu in place), or an unknown element type number of
   sa_activation_forward_mixed (checked before the pointers). */
#define SA_ERR_PARAMETER 3
/* A length or shape does not fit: row_len is 0 or does not divide n; prelu's
   channels or inner is 0, channels * inner does not divide n, or n_weight is
   neither 1 nor channels; a mask length other than 0, row_len or n; a cols
   of sa_activation_bias that is 0 or does not divide n; a tile with
   ld < cols or a size that overflows. */
#define SA_ERR_SHAPE 4
/* SIMD_ACTIVATIONS_ISA names an unknown path or one this CPU lacks (valid:
   scalar, avx2, avx512, neon). */
#define SA_ERR_ISA 5
/* An internal error (a bug), reported instead of unwinding into C. */
#define SA_ERR_INTERNAL 6
/* An unknown function name or number, or parameters that cannot be read
   (sa_activation_parse and the sa_activation_* functions), or an unknown
   gated unit number (sa_gated_par*, sa_gated_rows*). */
#define SA_ERR_FUNCTION 7

/* A static, NUL-terminated description of a status code (never NULL). */
const char *sa_status_message(int32_t status);

/* The path the functions run on: "avx512", "avx2", "neon" or "scalar"
   (static); "none" if SIMD_ACTIVATIONS_ISA is invalid. Never NULL. */
const char *sa_isa_name(void);

/* The library's version, "MAJOR.MINOR.PATCH" (static). */
const char *sa_version(void);

/* The calling thread's last failure in words: which parameter and value,
   which lengths or pointers. Never NULL ("no error" before any failure);
   valid until the next failing call on the same thread (sa_isa_name counts
   as one while SIMD_ACTIVATIONS_ISA is invalid). */
const char *sa_last_error(void);

/* Elementwise functions, PyTorch semantics. x and y: n floats each,
   4-byte aligned (NULL only with n == 0). */
int32_t sa_gelu(const float *x, float *y, size_t n);      /* approximate='none' */
int32_t sa_gelu_tanh(const float *x, float *y, size_t n); /* approximate='tanh' */
int32_t sa_gelu_quick(const float *x, float *y, size_t n); /* x sigmoid(1.702 x) */
int32_t sa_silu(const float *x, float *y, size_t n);
int32_t sa_mish(const float *x, float *y, size_t n);
/* PyTorch defaults: beta = 1, threshold = 20. */
int32_t sa_softplus(const float *x, float *y, size_t n, float beta, float threshold);
int32_t sa_sigmoid(const float *x, float *y, size_t n);
int32_t sa_tanh(const float *x, float *y, size_t n);
int32_t sa_exp(const float *x, float *y, size_t n);
int32_t sa_erf(const float *x, float *y, size_t n);
int32_t sa_relu(const float *x, float *y, size_t n);
int32_t sa_relu6(const float *x, float *y, size_t n);
int32_t sa_leaky_relu(const float *x, float *y, size_t n, float negative_slope);
int32_t sa_hardtanh(const float *x, float *y, size_t n, float min_val, float max_val);
int32_t sa_hardsigmoid(const float *x, float *y, size_t n);
int32_t sa_hardswish(const float *x, float *y, size_t n);
int32_t sa_softsign(const float *x, float *y, size_t n);
int32_t sa_identity(const float *x, float *y, size_t n);
/* Heaviside step: 0 below zero, 1 above, at_zero at +-0. */
int32_t sa_step(const float *x, float *y, size_t n, float at_zero);
int32_t sa_elu(const float *x, float *y, size_t n, float alpha);
int32_t sa_selu(const float *x, float *y, size_t n);
int32_t sa_celu(const float *x, float *y, size_t n, float alpha);

/* The elementwise functions on 16-bit elements: sa_NAME_bf16 takes
   bfloat16 bits and sa_NAME_f16 IEEE binary16 bits, in uint16_t, 2-byte
   aligned (NULL only with n == 0), y == x in place. Each input is widened
   exactly to float, the float function runs, and the result is rounded once
   to the type, to nearest even, subnormals kept: the bits of converting
   sa_NAME's float result. A NaN input gives the same NaN, quieted. */
int32_t sa_gelu_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_gelu_tanh_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_gelu_quick_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_silu_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_mish_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_softplus_bf16(const uint16_t *x, uint16_t *y, size_t n, float beta, float threshold);
int32_t sa_sigmoid_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_tanh_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_exp_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_erf_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_relu_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_relu6_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_leaky_relu_bf16(const uint16_t *x, uint16_t *y, size_t n, float negative_slope);
int32_t sa_hardtanh_bf16(const uint16_t *x, uint16_t *y, size_t n, float min_val, float max_val);
int32_t sa_hardsigmoid_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_hardswish_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_softsign_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_identity_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_step_bf16(const uint16_t *x, uint16_t *y, size_t n, float at_zero);
int32_t sa_elu_bf16(const uint16_t *x, uint16_t *y, size_t n, float alpha);
int32_t sa_selu_bf16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_celu_bf16(const uint16_t *x, uint16_t *y, size_t n, float alpha);
int32_t sa_gelu_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_gelu_tanh_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_gelu_quick_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_silu_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_mish_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_softplus_f16(const uint16_t *x, uint16_t *y, size_t n, float beta, float threshold);
int32_t sa_sigmoid_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_tanh_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_exp_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_erf_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_relu_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_relu6_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_leaky_relu_f16(const uint16_t *x, uint16_t *y, size_t n, float negative_slope);
int32_t sa_hardtanh_f16(const uint16_t *x, uint16_t *y, size_t n, float min_val, float max_val);
int32_t sa_hardsigmoid_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_hardswish_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_softsign_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_identity_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_step_f16(const uint16_t *x, uint16_t *y, size_t n, float at_zero);
int32_t sa_elu_f16(const uint16_t *x, uint16_t *y, size_t n, float alpha);
int32_t sa_selu_f16(const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_celu_f16(const uint16_t *x, uint16_t *y, size_t n, float alpha);

/* Fused gated units: y[i] = act(gate[i]) * up[i] over n elements, where
   gate is the half that goes through the activation and up the half it
   multiplies (ggml's header calls up the "gate"). swiglu, geglu_tanh and
   geglu_quick round the product once from the activation's value before
   its last rounding, and geglu from a form of gelu of its own where
   |gate| < 1/2; reglu (and those four where gate or up is zero, infinite
   or NaN, where gate is past the clamp of swiglu, geglu_tanh or
   geglu_quick, and for geglu where |gate| >= 1/2) give the activation's
   float result times up, rounded once. At most 2 ULP against the exact product wherever
   act(gate) is a normal float or zero (see the README). y == gate computes in
   place; y must not overlap up. float pointers 4-byte aligned, uint16_t ones (bf16 or
   binary16 bits) 2-byte aligned; NULL only with n == 0. */
int32_t sa_swiglu(const float *gate, const float *up, float *y, size_t n);      /* silu */
int32_t sa_geglu(const float *gate, const float *up, float *y, size_t n);       /* gelu (erf) */
int32_t sa_geglu_tanh(const float *gate, const float *up, float *y, size_t n);  /* gelu_tanh */
int32_t sa_geglu_quick(const float *gate, const float *up, float *y, size_t n); /* gelu_quick */
int32_t sa_reglu(const float *gate, const float *up, float *y, size_t n);       /* relu */
int32_t sa_swiglu_bf16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_geglu_bf16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_geglu_tanh_bf16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_geglu_quick_bf16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_reglu_bf16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_swiglu_f16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_geglu_f16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_geglu_tanh_f16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_geglu_quick_f16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);
int32_t sa_reglu_f16(const uint16_t *gate, const uint16_t *up, uint16_t *y, size_t n);

/* The units by number, for sa_gated_par* and the row form. */
#define SA_GATED_SWIGLU 0
#define SA_GATED_GEGLU 1
#define SA_GATED_GEGLU_TANH 2
#define SA_GATED_GEGLU_QUICK 3
#define SA_GATED_REGLU 4

/* A gated unit over the concatenated output of a fused gate-and-up
   projection: each row of x holds 2 * half_len elements, [gate | up] (or
   [up | gate] when swapped is nonzero), and the matching row of y gets its
   half_len results; n_out = rows * half_len outputs from 2 * n_out inputs.
   SA_ERR_SHAPE if half_len is 0 or does not divide n_out; SA_ERR_FUNCTION
   for an unknown unit; y must not overlap x. */
int32_t sa_gated_rows(int32_t unit, const float *x, float *y, size_t n_out, size_t half_len,
                      int32_t swapped);
int32_t sa_gated_rows_bf16(int32_t unit, const uint16_t *x, uint16_t *y, size_t n_out,
                           size_t half_len, int32_t swapped);
int32_t sa_gated_rows_f16(int32_t unit, const uint16_t *x, uint16_t *y, size_t n_out,
                          size_t half_len, int32_t swapped);

/* On all cores when the library is built with the rayon feature (a fixed
   split that depends only on the lengths, so the same bits as one thread),
   else on the calling thread: the unit numbered unit over n elements
   (y == gate in place, y must not overlap up), and the row form. */
int32_t sa_gated_par(int32_t unit, const float *gate, const float *up, float *y, size_t n);
int32_t sa_gated_par_bf16(int32_t unit, const uint16_t *gate, const uint16_t *up, uint16_t *y,
                          size_t n);
int32_t sa_gated_par_f16(int32_t unit, const uint16_t *gate, const uint16_t *up, uint16_t *y,
                         size_t n);
int32_t sa_gated_rows_par(int32_t unit, const float *x, float *y, size_t n_out, size_t half_len,
                          int32_t swapped);
int32_t sa_gated_rows_par_bf16(int32_t unit, const uint16_t *x, uint16_t *y, size_t n_out,
                               size_t half_len, int32_t swapped);
int32_t sa_gated_rows_par_f16(int32_t unit, const uint16_t *x, uint16_t *y, size_t n_out,
                              size_t half_len, int32_t swapped);

/* Row-wise over contiguous rows of row_len floats (n in all); x and y
   4-byte aligned (NULL only with n == 0). */
int32_t sa_softmax(const float *x, float *y, size_t n, size_t row_len);
int32_t sa_log_softmax(const float *x, float *y, size_t n, size_t row_len);
/* The same on all cores when the library is built with the rayon feature
   (whole rows per piece, the same bits), else on the calling thread. */
int32_t sa_softmax_par(const float *x, float *y, size_t n, size_t row_len);
int32_t sa_log_softmax_par(const float *x, float *y, size_t n, size_t row_len);

/* The attention softmax: softmax(scale * x + mask) per row, each operation
   rounded to float (the bits of scaling, masking, then sa_softmax). mask has
   mask_len floats: 0 (none), row_len (one row for every row) or n (one per
   element). A row hidden entirely by the mask gives zeros when
   zero_masked_rows is nonzero (-inf for log_softmax), else 1/row_len
   (-ln(row_len)): never NaN. A scale that is not finite is
   SA_ERR_PARAMETER. A row with a NaN gives its first NaN: that of x, else
   that of the mask, else (0 * inf, inf + -inf) the positive quiet NaN, the
   same bits on every CPU. y must not overlap mask; pointers 4-byte aligned
   (NULL only with a zero count). */
int32_t sa_softmax_masked(const float *x, float *y, size_t n, size_t row_len, float scale,
                          const float *mask, size_t mask_len, int32_t zero_masked_rows);
int32_t sa_log_softmax_masked(const float *x, float *y, size_t n, size_t row_len, float scale,
                              const float *mask, size_t mask_len, int32_t zero_masked_rows);

/* The same on all cores when the library is built with the rayon feature
   (whole rows per piece, the one-thread bits), else on the calling thread. */
int32_t sa_softmax_masked_par(const float *x, float *y, size_t n, size_t row_len, float scale,
                              const float *mask, size_t mask_len, int32_t zero_masked_rows);
int32_t sa_log_softmax_masked_par(const float *x, float *y, size_t n, size_t row_len,
                                  float scale, const float *mask, size_t mask_len,
                                  int32_t zero_masked_rows);

/* The row functions above on bf16 and binary16 bits (uint16_t, 2-byte
   aligned; NULL only with a zero count), the mask of the same type and
   counted in elements (0, row_len or n; y must not overlap it): each result
   the float function's on the widened rows (and mask), rounded once, to
   nearest even. softmax keeps its float exponentials of the first half of
   a row over y (unless y == x) and of the next 4112 entries in a buffer of
   16 KiB and 64 bytes on the stack of the thread that runs the row, and
   computes any others twice. */
int32_t sa_softmax_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_softmax_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_log_softmax_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_log_softmax_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_softmax_par_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_softmax_par_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_log_softmax_par_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_log_softmax_par_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len);
int32_t sa_softmax_masked_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                               float scale, const uint16_t *mask, size_t mask_len,
                               int32_t zero_masked_rows);
int32_t sa_softmax_masked_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                              float scale, const uint16_t *mask, size_t mask_len,
                              int32_t zero_masked_rows);
int32_t sa_log_softmax_masked_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                                   float scale, const uint16_t *mask, size_t mask_len,
                                   int32_t zero_masked_rows);
int32_t sa_log_softmax_masked_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                                  float scale, const uint16_t *mask, size_t mask_len,
                                  int32_t zero_masked_rows);
int32_t sa_softmax_masked_par_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                                   float scale, const uint16_t *mask, size_t mask_len,
                                   int32_t zero_masked_rows);
int32_t sa_softmax_masked_par_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                                  float scale, const uint16_t *mask, size_t mask_len,
                                  int32_t zero_masked_rows);
int32_t sa_log_softmax_masked_par_bf16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                                       float scale, const uint16_t *mask, size_t mask_len,
                                       int32_t zero_masked_rows);
int32_t sa_log_softmax_masked_par_f16(const uint16_t *x, uint16_t *y, size_t n, size_t row_len,
                                      float scale, const uint16_t *mask, size_t mask_len,
                                      int32_t zero_masked_rows);

/* prelu over an [outer, channels, inner] layout of n floats, with n_weight
   weights (1, or one per channel); y must not overlap weight. Every pointer
   4-byte aligned (NULL only with a zero count). */
int32_t sa_prelu(const float *x, float *y, size_t n, const float *weight, size_t n_weight,
                 size_t channels, size_t inner);

/* frelu: y[i] = max(x[i], t[i]), NaN propagating; y must not overlap t.
   Every pointer 4-byte aligned (NULL only with n == 0). */
int32_t sa_frelu(const float *x, const float *t, float *y, size_t n);

/* prelu and frelu on bf16 and binary16 bits (uint16_t, 2-byte aligned; the
   prelu weights stay float, 4-byte aligned): the float result rounded once,
   to nearest even, as the other 16-bit functions. */
int32_t sa_prelu_bf16(const uint16_t *x, uint16_t *y, size_t n, const float *weight,
                      size_t n_weight, size_t channels, size_t inner);
int32_t sa_frelu_bf16(const uint16_t *x, const uint16_t *t, uint16_t *y, size_t n);
int32_t sa_prelu_f16(const uint16_t *x, uint16_t *y, size_t n, const float *weight,
                     size_t n_weight, size_t channels, size_t inner);
int32_t sa_frelu_f16(const uint16_t *x, const uint16_t *t, uint16_t *y, size_t n);

/* A function chosen at run time (from a model file, say). The float
   pointers of the sa_activation_* functions are 4-byte aligned (NULL only
   with a zero count). Its number, as
   sa_activation_parse gives it for this library's version, and its
   parameters in their declared order (unused ones 0). */
typedef struct sa_activation {
    uint32_t function;
    float params[2];
} sa_activation;

/* Reads "gelu", "leaky_relu(negative_slope=0.2)", PyTorch's
   "GELU(approximate='tanh')" or Hugging Face's "gelu_new" into *out.
   SA_ERR_FUNCTION for an unknown name or unreadable parameters,
   SA_ERR_PARAMETER for a parameter outside its domain, SA_ERR_POINTER for
   a null or misaligned pointer; *out is written only on SA_OK. */
int32_t sa_activation_parse(const char *text, sa_activation *out);

/* The function of f from x into y (n floats each; y == x in place). */
int32_t sa_activation_forward(sa_activation f, const float *x, float *y, size_t n);

/* sa_activation_forward on all cores when the library is built with the
   rayon feature (fixed split, the same bits), else on the calling thread. */
int32_t sa_activation_forward_par(sa_activation f, const float *x, float *y, size_t n);

/* The same on bf16 and binary16 bits (uint16_t, 2-byte aligned): the float
   result rounded once, to nearest even, as sa_<name>_bf16 and sa_<name>_f16. */
int32_t sa_activation_forward_bf16(sa_activation f, const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_activation_forward_par_bf16(sa_activation f, const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_activation_forward_f16(sa_activation f, const uint16_t *x, uint16_t *y, size_t n);
int32_t sa_activation_forward_par_f16(sa_activation f, const uint16_t *x, uint16_t *y, size_t n);

/* Element types of sa_activation_forward_mixed. */
#define SA_TYPE_F32 0
#define SA_TYPE_BF16 1
#define SA_TYPE_F16 2

/* The function of f from x, of element type x_type, into y, of element type
   y_type (SA_TYPE_*), n elements each, widening or narrowing on the way: the
   input widened exactly, the float result rounded once to y_type (bf16 in,
   float out; float in, bf16 out; ...). y == x with one type computes in
   place; any other overlap is SA_ERR_OVERLAP. An unknown type number is
   SA_ERR_PARAMETER, reported before the other checks (the pointers'
   alignment depends on it). */
int32_t sa_activation_forward_mixed(sa_activation f, const void *x, int32_t x_type, void *y,
                                    int32_t y_type, size_t n);

/* Matrix-product epilogue in place: for each of rows rows starting ld floats
   apart, y[r*ld + c] = f(y[r*ld + c] + bias[c]) for c < cols, the sum
   rounded to float first. A NaN sum follows one rule on every CPU: a NaN y
   element gives itself, else a NaN bias, else (inf + -inf) the positive
   quiet NaN, quieted, then f of it. Nothing between rows is touched, so
   other threads may work on it meanwhile (column blocks of one matrix).
   y holds
   (rows - 1) * ld + cols floats (none when rows or cols is 0) and bias cols.
   SA_ERR_SHAPE if ld < cols or that size overflows size_t; SA_ERR_POINTER if
   it fits in size_t but not in the address space; SA_ERR_OVERLAP if any
   of bias's cols floats lies within y .. y + (rows - 1) * ld + cols, the
   gaps between rows included. */
int32_t sa_activation_bias_inplace(sa_activation f, float *y, const float *bias, size_t rows,
                                   size_t cols, size_t ld);

/* y = f(x + bias) over n floats in contiguous rows of cols (y == x in place),
   with the bits and NaN rule of sa_activation_bias_inplace; SA_ERR_SHAPE if
   cols is 0 (n too) or does not divide n. */
int32_t sa_activation_bias(sa_activation f, const float *x, const float *bias, float *y, size_t n,
                           size_t cols);

#ifdef __cplusplus
}
#endif

#endif /* SIMD_ACTIVATIONS_H */
