//! The sections of `reciprocity report`, one file each. `cmd/report.rs` calls them in order.
