//! Data: the edition's YAML as typed values (the model), loading with
//! positions, validation, the limits on YAML input, the canonical form and
//! synthetic editions.

pub mod canonical;
pub mod chain;
pub(crate) mod generate;
pub(crate) mod invisible;
pub mod load;
pub mod model;
pub(crate) mod next;
pub mod validate;
pub mod values;
pub mod workbook;
pub(crate) mod yaml_limits;
