//! The server's log: one line per connection, authentication result and session end, to
//! stderr or a file. Never a key stroke or any text of a session.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::text::display::{DisplayOptions, sanitize};

/// Where log lines go; cheap to clone.
#[derive(Clone)]
pub struct Log {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Log {
    #[must_use]
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Log {
            out: Arc::new(Mutex::new(out)),
        }
    }

    /// Logs to standard error.
    #[must_use]
    pub fn stderr() -> Self {
        Self::new(Box::new(std::io::stderr()))
    }

    /// One line, with the time (UTC) in front. What a client chose (a user name) is shown
    /// with its control characters as text.
    pub fn line(&self, text: &str) {
        let line = format!(
            "{} {}\n",
            utc_now(),
            sanitize(text, DisplayOptions::default())
        );
        if let Ok(mut out) = self.out.lock() {
            let _ = out.write_all(line.as_bytes());
            let _ = out.flush();
        }
    }
}

/// The time now as `2026-12-01T15:30:00Z`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_time_looks_like_iso_8601() {
        let t = super::utc_now();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
