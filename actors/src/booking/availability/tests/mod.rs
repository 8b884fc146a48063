//! Tests of the availability engine, one file per concern.

mod degenerate;
mod describe;
mod dst;
mod fits;
mod free;
mod offer;
mod rules;
mod support;
