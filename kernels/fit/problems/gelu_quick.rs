//! `kernels/gelu_quick.rs`: `e^(K r)` on the reduced interval, `|K r| <=
//! ln2/2`, `K = 1.702`.

use super::scaled_exp;
use crate::table::Table;

pub fn tables() -> Vec<Table> {
    vec![scaled_exp::table(
        "gelu_quick_exp",
        1.702,
        "EXP_C2..EXP_C6: e^(K r), K = 1.702, on [-ln2/(2 K), ln2/(2 K)] (and a \
         little slack), degree 6: 1 + r (K + r (c2 + ... + c6 r^4)) (the kernel \
         multiplies it by 2^n)",
    )]
}
