//! `servicepro` command-line entry point.
fn main() {}
