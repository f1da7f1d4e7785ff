/*
 * The C interface from C: compiled with -Wall -Wextra -Werror against
 * src/capi/simd_activations.h and linked with the static library, so that
 * the header's declarations and the exported symbols agree. Run by .ci/run.
 *
 * It calls every function the header declares: the elementwise ones through
 * elementwise_calls.inc, which tests/c/elementwise_calls.sh generates from
 * the header's declarations, the others by hand below.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "simd_activations.h"

static int failures = 0;

static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", what);
        failures++;
    }
}

int main(void) {
    const char *isa = sa_isa_name();
    check(isa != NULL, "sa_isa_name is not null");
    printf("path: %s\n", isa ? isa : "(null)");

    float x[5] = {-1.0f, 0.0f, 1.0f, NAN, 30.0f};
    float y[5];

    /* Every elementwise function: status, a number for a number, NaN kept. */
#include "elementwise_calls.inc"

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
    float hide[6] = {0.0f, 0.0f, 0.0f, -INFINITY, -INFINITY, -INFINITY};
    check(sa_softmax_masked(r, s, 6, 3, 0.5f, hide, 6, 1) == SA_OK && s[3] == 0.0f && !isnan(s[4]),
          "attention softmax: a hidden row gives zeros");
    check(sa_log_softmax_masked(r, s, 6, 3, 0.5f, hide, 3, 0) == SA_OK, "log_softmax_masked status");
    check(fabsf(s[3] + logf(3.0f)) < 1e-6f, "log_softmax of equal entries is -ln 3");

    /* Two inputs. */
    float w[2] = {0.5f, -2.0f};
    float p[4] = {-1.0f, 2.0f, -1.0f, 2.0f};
    float q[4];
    check(sa_prelu(p, q, 4, w, 2, 2, 1) == SA_OK, "prelu status");
    check(q[0] == -0.5f && q[1] == 2.0f && q[2] == -0.5f, "prelu weights per channel");
    float t[4] = {0.0f, 3.0f, -2.0f, NAN};
    check(sa_frelu(p, t, q, 4) == SA_OK, "frelu status");
    check(q[0] == 0.0f && q[1] == 3.0f && q[2] == -1.0f && isnan(q[3]), "frelu is max(x, t)");

    /* A function chosen at run time, and the bias epilogue of a tile. */
    sa_activation f;
    check(sa_activation_parse("LeakyReLU(negative_slope=0.5)", &f) == SA_OK, "parse");
    check(sa_activation_parse("gleu", &f) == SA_ERR_FUNCTION, "unknown function refused");
    check(sa_activation_forward(f, x, y, 5) == SA_OK && y[0] == -0.5f, "forward");
    check(sa_activation_forward_par(f, x, y, 5) == SA_OK && y[0] == -0.5f, "forward on all cores");
    float tile[6] = {-2.0f, 0.0f, 99.0f, 1.0f, -4.0f, 99.0f};
    float b[2] = {1.0f, -1.0f};
    check(sa_activation_bias_inplace(f, tile, b, 2, 2, 3) == SA_OK, "bias epilogue status");
    check(tile[0] == -0.5f && tile[1] == -0.5f && tile[2] == 99.0f && tile[3] == 2.0f &&
              tile[4] == -2.5f && tile[5] == 99.0f,
          "bias epilogue values, gaps untouched");
    check(sa_activation_bias_inplace(f, tile, b, 2, 2, 1) == SA_ERR_SHAPE, "ld < cols refused");
    check(sa_activation_bias(f, p, b, q, 4, 2) == SA_OK && q[0] == -0.0f && q[1] == 1.0f,
          "contiguous bias");

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
