//! The official USTR reciprocal-tariff formula of April 2025 (MODEL.md §8).
