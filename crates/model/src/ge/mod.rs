//! The general-equilibrium engine (MODEL.md §1-7).
