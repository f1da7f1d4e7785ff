//! `kernels/gelu_quick.rs`: `e^(K r)` on the reduced interval, `|K r| <=
//! ln2/2`, `K = 1.702`.

use super::scaled_exp;
use crate::table::Table;

pub fn tables() -> Vec<Table> {
    vec![scaled_exp::table("gelu_quick_exp", 1.702, "K")]
}
