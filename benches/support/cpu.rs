//! CPU time of the calling thread, read from `/proc/thread-self/sched` (Linux), as a criterion
//! measurement: on a machine shared with other busy processes, wall time measures the machine's
//! load as much as the code; CPU time measures the code.

#![allow(dead_code)] // not every user of this file needs all of it

use criterion::Throughput;
use criterion::measurement::{Measurement, ValueFormatter};

/// Nanoseconds this thread has run on a CPU, or `None` where the kernel does not say.
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

/// Criterion measurement: the thread's CPU time, in nanoseconds.
pub struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns().unwrap_or(0)
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().unwrap_or(0).saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &NanosFormatter
    }
}

/// Formats nanoseconds as criterion does for wall time.
struct NanosFormatter;

impl ValueFormatter for NanosFormatter {
    fn scale_values(&self, ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if ns < 1e3 {
            (1.0, "ns")
        } else if ns < 1e6 {
            (1e-3, "µs")
        } else if ns < 1e9 {
            (1e-6, "ms")
        } else {
            (1e-9, "s")
        };
        for v in values {
            *v *= factor;
        }
        unit
    }

    fn scale_throughputs(&self, _: f64, _: &Throughput, values: &mut [f64]) -> &'static str {
        for v in values {
            *v = 0.0;
        }
        "(n/a)"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}
