/*
 * The C interface from C: compiled with -Wall -Wextra -Werror against
 * capi/assets/simd_activations.h and linked with the static library, so that
 * the header's declarations and the exported symbols agree. Run by .ci/run.
 *
 * It calls every function the header declares: the elementwise ones through
 * elementwise_calls.inc, which tests/c/elementwise_calls.sh generates from
 * the header's declarations, the others by hand below.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd_activations.h"

static int failures = 0;

/* Whether 16-bit bits hold a NaN: bfloat16 and IEEE binary16. */
static int bf16_isnan(uint16_t h) { return (h & 0x7f80) == 0x7f80 && (h & 0x007f) != 0; }
static int f16_isnan(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x03ff) != 0; }

static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", what);
        failures++;
    }
}

/* The 16-bit row functions' C types. */
typedef int32_t (*rows16_fn)(const uint16_t *, uint16_t *, size_t, size_t);
typedef int32_t (*masked16_fn)(const uint16_t *, uint16_t *, size_t, size_t, float,
                               const uint16_t *, size_t, int32_t);

/* The row functions on one 16-bit type, over r = (1, 2, 3, 1000, 1000, 1000)
   in that type, in rows of 3, and a mask hiding the second row: plain[] is
   softmax, its _par form, log_softmax and its _par form, masked[] the same
   masked; want[] the type's bits of softmax(1, 2, 3)[2] = 0.6652410, 1/3,
   -ln 3 and -inf, each the float result rounded once. Each _par call's
   output holds the previous call's results, which differ from the ones it
   must give. */
static void rows16(const char *type, const uint16_t r[6], const uint16_t hide[6],
                   const uint16_t want[4], const rows16_fn plain[4],
                   const masked16_fn masked[4]) {
    uint16_t a[6] = {0}, b[6] = {0}, kept[6];
    char what[80];
    snprintf(what, sizeof what, "%s softmax values, and its _par form", type);
    check(plain[0](r, a, 6, 3) == SA_OK && a[2] == want[0] && a[3] == want[1] &&
              plain[1](r, b, 6, 3) == SA_OK && memcmp(a, b, sizeof a) == 0,
          what);
    snprintf(what, sizeof what, "%s log_softmax values, and its _par form", type);
    check(plain[2](r, a, 6, 3) == SA_OK && a[3] == want[2] && plain[3](r, b, 6, 3) == SA_OK &&
              memcmp(a, b, sizeof a) == 0,
          what);
    snprintf(what, sizeof what, "%s masked softmax: a hidden row gives zeros", type);
    check(masked[0](r, a, 6, 3, 1.0f, hide, 6, 1) == SA_OK && a[2] == want[0] && a[3] == 0 &&
              masked[1](r, b, 6, 3, 1.0f, hide, 6, 1) == SA_OK && memcmp(a, b, sizeof a) == 0,
          what);
    snprintf(what, sizeof what, "%s masked log_softmax: a hidden row gives -inf", type);
    check(masked[2](r, a, 6, 3, 1.0f, hide, 6, 1) == SA_OK && a[3] == want[3] &&
              masked[3](r, b, 6, 3, 1.0f, hide, 6, 1) == SA_OK && memcmp(a, b, sizeof a) == 0,
          what);
    memcpy(kept, a, sizeof a);
    snprintf(what, sizeof what, "%s softmax shape: nothing written", type);
    check(plain[0](r, a, 6, 4) == SA_ERR_SHAPE && memcmp(a, kept, sizeof a) == 0, what);
}

/* Run with SIMD_ACTIVATIONS_ISA=bogus: every computing call refuses with
   SA_ERR_ISA and writes nothing. */
static int invalid_path(void) {
    float a[4] = {1.0f, 2.0f, 3.0f, 4.0f}, b[4] = {7.0f, 7.0f, 7.0f, 7.0f};
    check(strcmp(sa_isa_name(), "none") == 0, "an invalid path is named none");
    check(sa_gelu(a, b, 4) == SA_ERR_ISA, "gelu refuses an invalid path");
    check(sa_swiglu(a, a, b, 4) == SA_ERR_ISA, "swiglu refuses an invalid path");
    check(sa_softmax(a, b, 4, 2) == SA_ERR_ISA, "softmax refuses an invalid path");
    check(sa_softmax_masked_par(a, b, 4, 2, 1.0f, NULL, 0, 0) == SA_ERR_ISA,
          "softmax_masked_par refuses an invalid path");
    check(b[0] == 7.0f && b[1] == 7.0f && b[2] == 7.0f && b[3] == 7.0f,
          "nothing written on an invalid path");
    check(strstr(sa_last_error(), "SIMD_ACTIVATIONS_ISA") != NULL,
          "the last error names the variable");
    /* The pointers come first: a null output is SA_ERR_POINTER. */
    check(sa_gelu(a, NULL, 4) == SA_ERR_POINTER, "pointers before the path");
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("C interface with an invalid path: all checks passed\n");
    return 0;
}

int main(void) {
    const char *env = getenv("SIMD_ACTIVATIONS_ISA");
    if (env != NULL && strcmp(env, "bogus") == 0) return invalid_path();
    const char *isa = sa_isa_name();
    check(isa != NULL, "sa_isa_name is not null");
    printf("path: %s\n", isa ? isa : "(null)");

    float x[5] = {-1.0f, 0.0f, 1.0f, NAN, 30.0f};
    float y[5];

    /* The same inputs as bfloat16 and binary16 bits. */
    const uint16_t bf16_x[5] = {0xbf80, 0x0000, 0x3f80, 0x7fc0, 0x41f0};
    const uint16_t f16_x[5] = {0xbc00, 0x0000, 0x3c00, 0x7e00, 0x4f80};
    uint16_t h[5];

    /* Every elementwise function, on every element type: status, a number
       for a number, NaN kept. */
#include "elementwise_calls.inc"

    /* bf16 gelu is the float result rounded once: gelu(1) = 0.8413447. */
    check(sa_gelu_bf16(bf16_x, h, 5) == SA_OK && h[2] == 0x3f57 && h[1] == 0, "gelu_bf16 values");
    check(sa_gelu_f16(f16_x, h, 5) == SA_OK && h[2] == 0x3abb && h[4] == 0x4f80, "gelu_f16 values");

    /* Fused gated units: y = act(gate) * up, on every element type. */
    {
        const float gate[4] = {-1.0f, 0.0f, 1.0f, 2.0f};
        const float up[4] = {2.0f, 5.0f, 3.0f, -1.0f};
        float g[4], want[4];
        check(sa_silu(gate, want, 4) == SA_OK, "silu for swiglu");
        check(sa_swiglu(gate, up, g, 4) == SA_OK, "swiglu status");
        /* swiglu rounds the product once from silu's unrounded value: a few
           ulps from the two-pass product at most. */
        for (int i = 0; i < 4; i++) {
            float p = want[i] * up[i];
            float d = g[i] > p ? g[i] - p : p - g[i];
            check(d <= 4.8e-7f * (p < 0.0f ? -p : p), "swiglu is silu(gate) * up");
        }
        check(sa_geglu(gate, up, g, 4) == SA_OK && sa_geglu_tanh(gate, up, g, 4) == SA_OK &&
                  sa_geglu_quick(gate, up, g, 4) == SA_OK && sa_reglu(gate, up, g, 4) == SA_OK,
              "every float gated unit");
        check(g[0] == 0.0f && g[2] == 3.0f && g[3] == -2.0f, "reglu values");
        memcpy(g, gate, sizeof g);
        check(sa_reglu(g, up, g, 4) == SA_OK && g[3] == -2.0f, "reglu in place (y == gate)");
        check(sa_swiglu(gate, up, (float *)up, 4) == SA_ERR_OVERLAP, "y over up refused");

        const uint16_t bg[4] = {0xbf80, 0x0000, 0x3f80, 0x4000};
        const uint16_t bu[4] = {0x4000, 0x40a0, 0x4040, 0xbf80};
        uint16_t b[4];
        check(sa_swiglu_bf16(bg, bu, b, 4) == SA_OK && sa_geglu_bf16(bg, bu, b, 4) == SA_OK &&
                  sa_geglu_tanh_bf16(bg, bu, b, 4) == SA_OK &&
                  sa_geglu_quick_bf16(bg, bu, b, 4) == SA_OK && sa_reglu_bf16(bg, bu, b, 4) == SA_OK,
              "every bf16 gated unit");
        check(b[2] == 0x4040 && b[3] == 0xc000, "reglu_bf16 values");
        const uint16_t fg[4] = {0xbc00, 0x0000, 0x3c00, 0x4000};
        const uint16_t fu[4] = {0x4000, 0x4500, 0x4200, 0xbc00};
        check(sa_swiglu_f16(fg, fu, b, 4) == SA_OK && sa_geglu_f16(fg, fu, b, 4) == SA_OK &&
                  sa_geglu_tanh_f16(fg, fu, b, 4) == SA_OK &&
                  sa_geglu_quick_f16(fg, fu, b, 4) == SA_OK && sa_reglu_f16(fg, fu, b, 4) == SA_OK,
              "every f16 gated unit");
        check(b[2] == 0x4200 && b[3] == 0xc000, "reglu_f16 values");

        /* Rows [gate | up] of half_len 2: two rows. */
        const float rows[8] = {-1.0f, 0.0f, 2.0f, 5.0f, 1.0f, 2.0f, 3.0f, -1.0f};
        float out[4];
        check(sa_gated_rows(SA_GATED_REGLU, rows, out, 4, 2, 0) == SA_OK, "gated rows status");
        check(out[0] == 0.0f && out[1] == 0.0f && out[2] == 3.0f && out[3] == -2.0f, "gated rows");
        check(sa_gated_rows(SA_GATED_REGLU, rows, out, 4, 2, 1) == SA_OK && out[0] == -2.0f,
              "gated rows swapped: [up | gate]");
        check(sa_gated_rows(SA_GATED_SWIGLU, rows, out, 4, 3, 0) == SA_ERR_SHAPE,
              "half_len must divide n_out");
        check(sa_gated_rows(99, rows, out, 4, 2, 0) == SA_ERR_FUNCTION, "unknown unit");
        uint16_t hrows[8], hout[4];
        for (int i = 0; i < 8; i++) hrows[i] = 0x3c00;
        check(sa_gated_rows_f16(SA_GATED_REGLU, hrows, hout, 4, 2, 0) == SA_OK && hout[0] == 0x3c00,
              "gated rows f16");
        for (int i = 0; i < 8; i++) hrows[i] = 0x3f80;
        check(sa_gated_rows_bf16(SA_GATED_REGLU, hrows, hout, 4, 2, 0) == SA_OK && hout[3] == 0x3f80,
              "gated rows bf16");

        /* All cores (with the rayon feature): the one-thread bits. */
        float par[4];
        check(sa_gated_par(SA_GATED_SWIGLU, gate, up, par, 4) == SA_OK, "gated_par status");
        check(sa_swiglu(gate, up, g, 4) == SA_OK && memcmp(par, g, sizeof g) == 0,
              "gated_par is swiglu");
        memcpy(par, gate, sizeof par);
        check(sa_gated_par(SA_GATED_REGLU, par, up, par, 4) == SA_OK && par[3] == -2.0f,
              "gated_par in place");
        check(sa_gated_par(5, gate, up, par, 4) == SA_ERR_FUNCTION, "gated_par unknown unit");
        check(sa_gated_par(99, NULL, up, par, 4) == SA_ERR_POINTER,
              "gated_par checks pointers before the unit");
        memset(b, 0, sizeof b);
        check(sa_gated_par_bf16(SA_GATED_REGLU, bg, bu, b, 4) == SA_OK && b[3] == 0xc000 &&
                  b[2] == 0x4040,
              "gated_par bf16");
        memset(b, 0, sizeof b);
        check(sa_gated_par_f16(SA_GATED_REGLU, fg, fu, b, 4) == SA_OK && b[3] == 0xc000 &&
                  b[2] == 0x4200,
              "gated_par f16");
        memset(out, 0, sizeof out);
        check(sa_gated_rows_par(SA_GATED_REGLU, rows, out, 4, 2, 0) == SA_OK && out[2] == 3.0f &&
                  out[3] == -2.0f,
              "gated rows par");
        memset(hout, 0, sizeof hout);
        check(sa_gated_rows_par_bf16(SA_GATED_REGLU, hrows, hout, 4, 2, 0) == SA_OK &&
                  hout[3] == 0x3f80,
              "gated rows par bf16");
        for (int i = 0; i < 8; i++) hrows[i] = 0x3c00;
        memset(hout, 0, sizeof hout);
        check(sa_gated_rows_par_f16(SA_GATED_REGLU, hrows, hout, 4, 2, 0) == SA_OK &&
                  hout[0] == 0x3c00,
              "gated rows par f16");
        check(sa_gated_rows_par(7, rows, out, 4, 2, 0) == SA_ERR_FUNCTION,
              "gated rows par unknown unit");
    }

    check(sa_relu(x, y, 5) == SA_OK, "relu status");
    check(y[0] == 0.0f && y[2] == 1.0f && isnan(y[3]) && y[4] == 30.0f, "relu values, NaN kept");

    check(sa_sigmoid(x, y, 5) == SA_OK, "sigmoid status");
    check(y[1] == 0.5f && y[4] == 1.0f && isnan(y[3]), "sigmoid values");
    check(fabsf(y[2] - 0.7310586f) < 1e-7f, "sigmoid(1)");

    check(sa_softplus(x, y, 5, 1.0f, 20.0f) == SA_OK, "softplus status");
    check(y[4] == 30.0f, "softplus above the threshold is x");
    memcpy(y, x, sizeof y);
    check(sa_softplus(x, y, 5, 0.0f, 20.0f) == SA_ERR_PARAMETER, "softplus beta = 0 refused");
    check(memcmp(y, x, sizeof y) == 0, "nothing written on error");

    /* In place. */
    float z[4] = {-3.0f, -1.0f, 1.0f, 3.0f};
    check(sa_hardtanh(z, z, 4, -2.0f, 2.0f) == SA_OK, "hardtanh in place");
    check(z[0] == -2.0f && z[1] == -1.0f && z[3] == 2.0f, "hardtanh values");

    /* Rows. */
    float r[6] = {1.0f, 2.0f, 3.0f, 1000.0f, 1000.0f, 1000.0f};
    float s[6];
    check(sa_softmax(r, s, 6, 3) == SA_OK, "softmax status");
    check(fabsf(s[0] + s[1] + s[2] - 1.0f) < 1e-6f, "softmax row sums to 1");
    check(fabsf(s[3] - 1.0f / 3.0f) < 1e-7f, "softmax of a large row is stable");
    check(sa_softmax(r, s, 6, 4) == SA_ERR_SHAPE, "row length must divide n");
    check(sa_log_softmax(r, s, 6, 3) == SA_OK, "log_softmax status");
    {
        float sp[6], one[6];
        check(sa_softmax(r, one, 6, 3) == SA_OK && sa_softmax_par(r, sp, 6, 3) == SA_OK &&
                  memcmp(sp, one, sizeof sp) == 0,
              "softmax_par is softmax");
        check(sa_log_softmax(r, one, 6, 3) == SA_OK && sa_log_softmax_par(r, sp, 6, 3) == SA_OK &&
                  memcmp(sp, one, sizeof sp) == 0,
              "log_softmax_par is log_softmax");
        memcpy(sp, r, sizeof sp);
        check(sa_softmax_par(sp, sp, 6, 3) == SA_OK && sa_softmax(r, one, 6, 3) == SA_OK &&
                  memcmp(sp, one, sizeof sp) == 0,
              "softmax_par in place");
        check(sa_softmax_par(r, sp, 6, 4) == SA_ERR_SHAPE, "softmax_par shape");
    }
    float hide[6] = {0.0f, 0.0f, 0.0f, -INFINITY, -INFINITY, -INFINITY};
    check(sa_softmax_masked(r, s, 6, 3, 0.5f, hide, 6, 1) == SA_OK && s[3] == 0.0f && !isnan(s[4]),
          "attention softmax: a hidden row gives zeros");
    check(sa_log_softmax_masked(r, s, 6, 3, 0.5f, hide, 3, 0) == SA_OK, "log_softmax_masked status");
    check(fabsf(s[3] + logf(3.0f)) < 1e-6f, "log_softmax of equal entries is -ln 3");
    {
        float one[6], all[6];
        check(sa_softmax_masked(r, one, 6, 3, 0.5f, hide, 6, 1) == SA_OK &&
                  sa_softmax_masked_par(r, all, 6, 3, 0.5f, hide, 6, 1) == SA_OK &&
                  memcmp(one, all, sizeof one) == 0,
              "softmax_masked_par is softmax_masked");
        check(sa_log_softmax_masked(r, one, 6, 3, 0.5f, hide, 3, 0) == SA_OK &&
                  sa_log_softmax_masked_par(r, all, 6, 3, 0.5f, hide, 3, 0) == SA_OK &&
                  memcmp(one, all, sizeof one) == 0,
              "log_softmax_masked_par is log_softmax_masked");
        check(sa_softmax_masked_par(r, all, 6, 3, 0.5f, hide, 5, 1) == SA_ERR_SHAPE,
              "softmax_masked_par mask length");
    }
    {
        /* The row functions on bf16 and binary16 bits: r in each type. */
        const uint16_t rb[6] = {0x3f80, 0x4000, 0x4040, 0x447a, 0x447a, 0x447a};
        const uint16_t hide_b[6] = {0, 0, 0, 0xff80, 0xff80, 0xff80};
        const uint16_t want_b[4] = {0x3f2a, 0x3eab, 0xbf8d, 0xff80};
        const rows16_fn plain_b[4] = {sa_softmax_bf16, sa_softmax_par_bf16, sa_log_softmax_bf16,
                                      sa_log_softmax_par_bf16};
        const masked16_fn masked_b[4] = {sa_softmax_masked_bf16, sa_softmax_masked_par_bf16,
                                         sa_log_softmax_masked_bf16,
                                         sa_log_softmax_masked_par_bf16};
        rows16("bf16", rb, hide_b, want_b, plain_b, masked_b);
        const uint16_t rh[6] = {0x3c00, 0x4000, 0x4200, 0x63d0, 0x63d0, 0x63d0};
        const uint16_t hide_h[6] = {0, 0, 0, 0xfc00, 0xfc00, 0xfc00};
        const uint16_t want_h[4] = {0x3952, 0x3555, 0xbc65, 0xfc00};
        const rows16_fn plain_h[4] = {sa_softmax_f16, sa_softmax_par_f16, sa_log_softmax_f16,
                                      sa_log_softmax_par_f16};
        const masked16_fn masked_h[4] = {sa_softmax_masked_f16, sa_softmax_masked_par_f16,
                                         sa_log_softmax_masked_f16, sa_log_softmax_masked_par_f16};
        rows16("f16", rh, hide_h, want_h, plain_h, masked_h);
    }

    /* Two inputs. */
    float w[2] = {0.5f, -2.0f};
    float p[4] = {-1.0f, 2.0f, -1.0f, 2.0f};
    float q[4];
    check(sa_prelu(p, q, 4, w, 2, 2, 1) == SA_OK, "prelu status");
    check(q[0] == -0.5f && q[1] == 2.0f && q[2] == -0.5f, "prelu weights per channel");
    float t[4] = {0.0f, 3.0f, -2.0f, NAN};
    check(sa_frelu(p, t, q, 4) == SA_OK, "frelu status");
    check(q[0] == 0.0f && q[1] == 3.0f && q[2] == -1.0f && isnan(q[3]), "frelu is max(x, t)");
    {
        /* The same on bf16 and binary16 bits: x = -1, 2, -1, 2; t = 0, 3, -2, NaN. */
        const uint16_t pb[4] = {0xbf80, 0x4000, 0xbf80, 0x4000};
        const uint16_t tb[4] = {0x0000, 0x4040, 0xc000, 0x7fc0};
        const uint16_t pf[4] = {0xbc00, 0x4000, 0xbc00, 0x4000};
        const uint16_t tf[4] = {0x0000, 0x4200, 0xc000, 0x7e00};
        uint16_t qh[4];
        check(sa_prelu_bf16(pb, qh, 4, w, 2, 2, 1) == SA_OK && qh[0] == 0xbf00 && qh[1] == 0x4000 &&
                  qh[2] == 0xbf00,
              "prelu_bf16 weights per channel");
        check(sa_frelu_bf16(pb, tb, qh, 4) == SA_OK && qh[0] == 0 && qh[1] == 0x4040 &&
                  qh[2] == 0xbf80 && bf16_isnan(qh[3]),
              "frelu_bf16 is max(x, t)");
        check(sa_prelu_f16(pf, qh, 4, w, 2, 2, 1) == SA_OK && qh[0] == 0xb800 && qh[1] == 0x4000 &&
                  qh[2] == 0xb800,
              "prelu_f16 weights per channel");
        check(sa_frelu_f16(pf, tf, qh, 4) == SA_OK && qh[0] == 0 && qh[1] == 0x4200 &&
                  qh[2] == 0xbc00 && f16_isnan(qh[3]),
              "frelu_f16 is max(x, t)");
    }

    /* A function chosen at run time, and the bias epilogue of a tile. */
    sa_activation f;
    check(sa_activation_parse("LeakyReLU(negative_slope=0.5)", &f) == SA_OK, "parse");
    check(sa_activation_parse("gleu", &f) == SA_ERR_FUNCTION, "unknown function refused");
    check(sa_activation_forward(f, x, y, 5) == SA_OK && y[0] == -0.5f, "forward");
    memset(y, 0, 5 * sizeof y[0]);
    check(sa_activation_forward_par(f, x, y, 5) == SA_OK && y[0] == -0.5f, "forward on all cores");
    {
        /* Large enough to be split between threads (64 Ki elements and up):
           the one-thread bits, for a function, a row function and a masked
           one without a mask (NULL, 0). */
        enum { BIG = 1 << 17, ROW = 512 };
        static float bx[BIG], one[BIG], all[BIG];
        for (size_t i = 0; i < BIG; i++) bx[i] = (float)((i * 7919u) % 1000u) * 0.02f - 10.0f;
        sa_activation gelu;
        check(sa_activation_parse("gelu", &gelu) == SA_OK &&
                  sa_activation_forward(gelu, bx, one, BIG) == SA_OK &&
                  sa_activation_forward_par(gelu, bx, all, BIG) == SA_OK &&
                  memcmp(one, all, sizeof one) == 0,
              "forward_par on a split slice is forward");
        check(sa_softmax(bx, one, BIG, ROW) == SA_OK && sa_softmax_par(bx, all, BIG, ROW) == SA_OK &&
                  memcmp(one, all, sizeof one) == 0,
              "softmax_par on split rows is softmax");
        check(sa_log_softmax_masked(bx, one, BIG, ROW, 0.25f, NULL, 0, 1) == SA_OK &&
                  sa_log_softmax_masked_par(bx, all, BIG, ROW, 0.25f, NULL, 0, 1) == SA_OK &&
                  memcmp(one, all, sizeof one) == 0,
              "log_softmax_masked_par without a mask on split rows");
        for (size_t i = 0; i < BIG; i++) bx[i] *= 0.25f;
        memset(all, 0xff, sizeof all);
        check(sa_log_softmax(bx, all, BIG, ROW) == SA_OK && memcmp(one, all, sizeof one) == 0,
              "a masked call without a mask scales, then the row function");
    }
    memset(h, 0, sizeof h);
    check(sa_activation_forward_bf16(f, bf16_x, h, 5) == SA_OK && h[0] == 0xbf00 && bf16_isnan(h[3]),
          "forward on bf16");
    memset(h, 0, sizeof h);
    check(sa_activation_forward_par_bf16(f, bf16_x, h, 5) == SA_OK && h[0] == 0xbf00,
          "forward on bf16 on all cores");
    memset(h, 0, sizeof h);
    check(sa_activation_forward_f16(f, f16_x, h, 5) == SA_OK && h[0] == 0xb800 && f16_isnan(h[3]),
          "forward on binary16");
    memset(h, 0, sizeof h);
    check(sa_activation_forward_par_f16(f, f16_x, h, 5) == SA_OK && h[0] == 0xb800,
          "forward on binary16 on all cores");
    {
        float wide[5];
        check(sa_activation_forward_mixed(f, bf16_x, SA_TYPE_BF16, wide, SA_TYPE_F32, 5) == SA_OK &&
                  wide[0] == -0.5f && wide[2] == 1.0f && isnan(wide[3]),
              "forward from bf16 into float");
        check(sa_activation_forward_mixed(f, x, SA_TYPE_F32, h, SA_TYPE_F16, 5) == SA_OK &&
                  h[0] == 0xb800,
              "forward from float into binary16");
        check(sa_activation_forward_mixed(f, x, SA_TYPE_F32, h, 7, 5) == SA_ERR_PARAMETER,
              "unknown element type refused");
        check(sa_activation_forward_mixed(f, wide, SA_TYPE_F32, wide, SA_TYPE_BF16, 5) ==
                  SA_ERR_OVERLAP,
              "one buffer of two types refused");
    }
    float tile[6] = {-2.0f, 0.0f, 99.0f, 1.0f, -4.0f, 99.0f};
    float b[2] = {1.0f, -1.0f};
    check(sa_activation_bias_inplace(f, tile, b, 2, 2, 3) == SA_OK, "bias epilogue status");
    check(tile[0] == -0.5f && tile[1] == -0.5f && tile[2] == 99.0f && tile[3] == 2.0f &&
              tile[4] == -2.5f && tile[5] == 99.0f,
          "bias epilogue values, gaps untouched");
    check(sa_activation_bias_inplace(f, tile, b, 2, 2, 1) == SA_ERR_SHAPE, "ld < cols refused");
    check(sa_activation_bias(f, p, b, q, 4, 2) == SA_OK && q[0] == 0.0f && !signbit(q[0]) &&
              q[1] == 1.0f,
          "contiguous bias (-1 + 1 is +0, which leaky_relu keeps)");

    /* Bad pointers and overlap. */
    check(sa_gelu(NULL, y, 5) == SA_ERR_POINTER, "null input refused");
    check(sa_gelu(NULL, NULL, 0) == SA_OK, "null with n = 0 is fine");
    check(sa_gelu(x, x + 1, 3) == SA_ERR_OVERLAP, "partial overlap refused");

    check(strcmp(sa_status_message(SA_ERR_SHAPE), sa_status_message(SA_OK)) != 0, "messages");
    check(sa_elu(x, y, 5, NAN) == SA_ERR_PARAMETER, "elu alpha = NaN refused");
    check(strstr(sa_last_error(), "alpha") != NULL, "the last error names the parameter");
    check(strcmp(sa_version(), SA_VERSION_STRING) == 0, "library and header versions agree");

    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("C interface: all checks passed\n");
    return 0;
}
