//! Knowledge-base tests across modules: retrieval on the real packs,
//! threshold calibration, layering and spreadsheet import.

mod calibration;
mod cases;
mod import;
mod layering;
mod retrieval;
