//! The system calls the bridge under test makes during the measuring window,
//! counted by the kernel's tracepoints through `perf stat -p` (no ptrace, so
//! the process runs at full speed while counted). `--syscalls` turns it on;
//! the machine needs `perf` and tracepoint access (root, or
//! `kernel.perf_event_paranoid` ≤ 1 for one's own processes).

use std::process::{Child, Command, Stdio};

/// The events counted: every system call, then the ones a websocket bridge
/// lives on, grouped for the report.
const EVENTS: [(&str, Group); 11] = [
    ("raw_syscalls:sys_enter", Group::All),
    ("syscalls:sys_enter_read", Group::Read),
    ("syscalls:sys_enter_recvfrom", Group::Read),
    ("syscalls:sys_enter_recvmsg", Group::Read),
    ("syscalls:sys_enter_write", Group::Write),
    ("syscalls:sys_enter_writev", Group::Write),
    ("syscalls:sys_enter_sendto", Group::Write),
    ("syscalls:sys_enter_sendmsg", Group::Write),
    ("syscalls:sys_enter_epoll_wait", Group::Poll),
    ("syscalls:sys_enter_epoll_pwait", Group::Poll),
    ("syscalls:sys_enter_futex", Group::Futex),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    All,
    Read,
    Write,
    Poll,
    Futex,
}

/// System calls in the window, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Syscalls {
    /// Every system call.
    pub all: u64,
    /// `read`, `recvfrom`, `recvmsg`.
    pub reads: u64,
    /// `write`, `writev`, `sendto`, `sendmsg`.
    pub writes: u64,
    /// `epoll_wait`, `epoll_pwait`: the wake-ups.
    pub polls: u64,
    /// `futex`: threads waking each other.
    pub futexes: u64,
}

/// A running count (a `perf stat` child that ends with the window).
#[derive(Debug)]
pub struct Counting(Child);

/// Starts counting `pid`'s system calls for `seconds`.
pub fn start(pid: u32, seconds: f64) -> anyhow::Result<Counting> {
    let events: Vec<&str> = EVENTS.iter().map(|(name, _)| *name).collect();
    let child = Command::new("perf")
        .args(["stat", "-x", ",", "-e", &events.join(","), "-p"])
        .arg(pid.to_string())
        .args(["--", "sleep"])
        .arg(format!("{seconds:.2}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow::anyhow!("--syscalls needs `perf` (linux-perf): {e}"))?;
    Ok(Counting(child))
}

impl Counting {
    /// Waits for the window to end and reads the counts.
    pub fn finish(self) -> anyhow::Result<Syscalls> {
        let out = self.0.wait_with_output()?;
        let text = String::from_utf8_lossy(&out.stderr);
        anyhow::ensure!(out.status.success(), "perf stat failed: {}", text.trim());
        parse(&text)
    }
}

/// Reads `perf stat -x ,` output (`value,unit,event,…` per line).
fn parse(text: &str) -> anyhow::Result<Syscalls> {
    let mut counts = Syscalls::default();
    let mut seen = 0;
    for line in text.lines() {
        let fields: Vec<&str> = line.split(',').collect();
        let (Some(value), Some(event)) = (fields.first(), fields.get(2)) else {
            continue;
        };
        let Some((_, group)) = EVENTS.iter().find(|(name, _)| name == event) else {
            continue;
        };
        let value: u64 = value
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("perf stat could not count {event}: {}", line.trim()))?;
        seen += 1;
        match group {
            Group::All => counts.all += value,
            Group::Read => counts.reads += value,
            Group::Write => counts.writes += value,
            Group::Poll => counts.polls += value,
            Group::Futex => counts.futexes += value,
        }
    }
    anyhow::ensure!(
        seen == EVENTS.len(),
        "perf stat counted {seen} of {} events: {}",
        EVENTS.len(),
        text.trim()
    );
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(value: &str, event: &str) -> String {
        format!("{value},,{event},1380955,100.00,,\n")
    }

    #[test]
    fn perf_csv_is_grouped_by_kind() {
        let mut text = String::new();
        for (i, (event, _)) in EVENTS.iter().enumerate() {
            text.push_str(&line(&format!("{}", (i + 1) * 10), event));
        }
        let counts = parse(&text).expect("parses");
        assert_eq!(counts.all, 10);
        assert_eq!(counts.reads, 20 + 30 + 40);
        assert_eq!(counts.writes, 50 + 60 + 70 + 80);
        assert_eq!(counts.polls, 90 + 100);
        assert_eq!(counts.futexes, 110);
    }

    #[test]
    fn an_event_perf_could_not_count_is_an_error_not_a_zero() {
        let mut text = String::new();
        for (event, _) in EVENTS {
            text.push_str(&line("<not counted>", event));
        }
        assert!(parse(&text).is_err());
        assert!(parse("").is_err());
    }
}
