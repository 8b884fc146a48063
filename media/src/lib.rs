//! Pure, synchronous audio processing for live calls: no I/O, no async.
