//! Renderers of the service's view models shared by a command and the report (a command does not
//! import another command; the report does not import commands' rendering).

pub mod bands;
pub mod board;
pub mod costs;
pub mod formula;
pub mod round;
