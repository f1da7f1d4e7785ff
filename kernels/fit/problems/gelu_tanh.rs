//! `kernels/gelu_tanh.rs`: `e^(K3 r)` on the reduced interval, `|K3 r| <=
//! ln2/2`.

use super::scaled_exp;
use crate::table::Table;

/// `K3 = 0.044715 * 2 sqrt(2/pi)`, the cubic coefficient of `v = 2u`.
const K3: f64 = 0.044_715 * 1.595_769_121_605_730_8;

pub fn tables() -> Vec<Table> {
    vec![scaled_exp::table("gelu_tanh_exp", K3, "K3")]
}
