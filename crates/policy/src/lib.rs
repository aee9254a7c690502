//! The policy timeline: a declarative registry of dated US tariff measures.
#![deny(missing_docs)]
