//! The process's allocation counts, for the load test's allocations per
//! call-second (issue 16). Only a binary built with `--features alloc-stats`
//! counts: its global allocator (in `main.rs`) wraps mimalloc with
//! `stats_alloc`'s counters and installs a reader here at start-up. Elsewhere
//! nothing is installed and `/metrics` leaves the lines out rather than
//! exporting zeros.

use std::fmt::Write;
use std::sync::OnceLock;

/// Totals since the process started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocTotals {
    /// Calls to `alloc` (and `alloc_zeroed`).
    pub allocations: u64,
    /// Calls to `realloc`.
    pub reallocations: u64,
    /// Bytes asked for by those allocations.
    pub bytes_allocated: u64,
}

static SOURCE: OnceLock<fn() -> AllocTotals> = OnceLock::new();

/// Installs the reader of the counting allocator (once; later calls are ignored).
pub fn install(source: fn() -> AllocTotals) {
    let _ = SOURCE.set(source);
}

/// The totals, when the process counts allocations.
pub fn totals() -> Option<AllocTotals> {
    SOURCE.get().map(|read| read())
}

/// The totals as Prometheus counters, or nothing when the process does not count.
pub fn exposition() -> String {
    let mut out = String::new();
    if let Some(t) = totals() {
        for (name, help, value) in [
            (
                "servicepro_process_allocations",
                "Heap allocations since start",
                t.allocations,
            ),
            (
                "servicepro_process_reallocations",
                "Heap reallocations since start",
                t.reallocations,
            ),
            (
                "servicepro_process_allocated_bytes",
                "Bytes allocated since start",
                t.bytes_allocated,
            ),
        ] {
            // OpenMetrics: the family is named without `_total`, its sample with it.
            let _ = write!(
                out,
                "# HELP {name} {help}.\n# TYPE {name} counter\n{name}_total {value}\n"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_exported_until_a_reader_is_installed_then_its_totals_are() {
        assert_eq!(totals(), None);
        assert_eq!(exposition(), "");
        install(|| AllocTotals {
            allocations: 7,
            reallocations: 2,
            bytes_allocated: 512,
        });
        let text = exposition();
        assert!(
            text.contains("\nservicepro_process_allocations_total 7\n"),
            "{text}"
        );
        assert!(
            text.contains("\nservicepro_process_reallocations_total 2\n"),
            "{text}"
        );
        assert!(
            text.contains("\nservicepro_process_allocated_bytes_total 512\n"),
            "{text}"
        );
    }
}
