//! CPU time of the calling thread, read from `/proc/thread-self/sched` (Linux): on a machine
//! shared with other busy processes, wall time measures the machine's load as much as the code;
//! CPU time measures the code.

#![allow(dead_code)] // not every user of this file needs all of it

/// Nanoseconds this thread has run on a CPU, or `None` where the kernel does not say.
// A non-negative number of milliseconds, as the system prints it.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn thread_cpu_ns() -> Option<u64> {
    let sched = std::fs::read_to_string("/proc/thread-self/sched").ok()?;
    let line = sched
        .lines()
        .find(|l| l.starts_with("se.sum_exec_runtime"))?;
    let ms: f64 = line.split(':').nth(1)?.trim().parse().ok()?;
    // Whole milliseconds and a fraction with six digits: nanoseconds.
    Some((ms * 1e6).round() as u64)
}

/// Whether CPU time can be measured here.
pub fn available() -> bool {
    thread_cpu_ns().is_some()
}
