//! The fitting problems, one file per kernel: every constant of the kernels'
//! approximations.

use crate::table::Table;

mod erf;
mod exp;
mod expm1;
mod gelu;
mod gelu_tanh;
mod mish;
mod sigmoid;
mod softplus;
mod tanh;

/// The tables of one kernel, `kernels/{name}.rs`.
pub struct Kernel {
    pub name: &'static str,
    pub tables: Vec<Table>,
}

/// Every kernel with fitted or tabulated constants.
pub fn kernels() -> Vec<Kernel> {
    vec![
        Kernel {
            name: "erf",
            tables: erf::tables(),
        },
        Kernel {
            name: "exp",
            tables: exp::tables(),
        },
        Kernel {
            name: "expm1",
            tables: expm1::tables(),
        },
        Kernel {
            name: "gelu",
            tables: gelu::tables(),
        },
        Kernel {
            name: "gelu_tanh",
            tables: gelu_tanh::tables(),
        },
        Kernel {
            name: "mish",
            tables: mish::tables(),
        },
        Kernel {
            name: "sigmoid",
            tables: sigmoid::tables(),
        },
        Kernel {
            name: "softplus",
            tables: softplus::tables(),
        },
        Kernel {
            name: "tanh",
            tables: tanh::tables(),
        },
    ]
}
