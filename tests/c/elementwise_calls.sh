#!/usr/bin/env bash
# Prints one C statement per elementwise function declared in the header (the
# `int32_t sa_NAME(const float *x, float *y, size_t n, float p...)` lines and
# their 16-bit forms `sa_NAME_bf16` and `sa_NAME_f16` on `uint16_t`): a call
# on the smoke test's inputs with every parameter at 1, which is in every
# domain, checked for SA_OK and a number where the input is one and a NaN
# where it is NaN. capi_smoke.c includes the output, so it calls every such
# symbol.
set -euo pipefail
header=${1:?usage: elementwise_calls.sh HEADER}
sed -n 's/^int32_t sa_\([a-z0-9_]*\)(const float \*x, float \*y, size_t n\(\(, float [a-z_]*\)*\));.*/\1|\2/p' "$header" |
while IFS='|' read -r name params; do
    args=$(printf '%s' "$params" | sed 's/float [a-z_]*/1.0f/g')
    printf 'check(sa_%s(x, y, 5%s) == SA_OK && !isnan(y[0]) && isnan(y[3]), "%s");\n' \
        "$name" "$args" "$name"
done
sed -n 's/^int32_t sa_\([a-z0-9_]*\)_\(bf16\|f16\)(const uint16_t \*x, uint16_t \*y, size_t n\(\(, float [a-z_]*\)*\));.*/\1|\2|\3/p' "$header" |
while IFS='|' read -r name type params; do
    args=$(printf '%s' "$params" | sed 's/float [a-z_]*/1.0f/g')
    printf 'check(sa_%s_%s(%s_x, h, 5%s) == SA_OK && !%s_isnan(h[0]) && %s_isnan(h[3]), "%s_%s");\n' \
        "$name" "$type" "$type" "$args" "$type" "$type" "$name" "$type"
done
