//! The server's limits (docs/security.md, "Compute budget and connections"): how much GE work runs
//! at once and for whom, how long a request and a connection may take, how many connections are
//! served. `reciprocity serve` sets them from its flags; [`Limits::default`] is what it uses
//! without them.

use std::time::Duration;

/// Every limit of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// GE solves (scenarios, strategy, proposal scoring) running at once: one per core by
    /// default. They run apart from the store's jobs, so `/health`, sign-in and reads never wait
    /// behind them.
    pub solvers: usize,
    /// Solves admitted to wait for a solver; beyond that a solve is answered 503 with
    /// `Retry-After`. (Scored proposals wait without a bound of their own: the connection limit
    /// and the request timeout bound them.)
    pub solve_queue: usize,
    /// Solves one caller (one user) may have running or waiting; one more is answered 429 with
    /// `Retry-After`.
    pub solves_per_caller: usize,
    /// A solve not finished this long after it was admitted is stopped and answered 503.
    pub solve_deadline: Duration,
    /// A connection that has not sent a whole request head this long after it opened, or after
    /// its last answer (an idle keep-alive connection), is closed.
    pub header_timeout: Duration,
    /// A request not answered this long after its head arrived (a slow body, a slow handler) is
    /// answered 503.
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog until one closes. The
    /// default keeps 128 file descriptors of the process's open-file limit (`ulimit -n`) for the
    /// database and the rest, within 64..=4096 (1024 where the limit cannot be read).
    pub max_connections: usize,
    /// The `Retry-After` of a 429 or 503 (seconds).
    pub retry_after_secs: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            solvers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            solve_queue: 16,
            solves_per_caller: 2,
            solve_deadline: Duration::from_secs(120),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(180),
            max_connections: default_max_connections(open_file_limit()),
            retry_after_secs: 5,
        }
    }
}

/// Descriptors kept out of the connection limit: the database files, the listener, stdio.
const RESERVED_FDS: u64 = 128;

fn default_max_connections(open_files: Option<u64>) -> usize {
    match open_files {
        Some(n) => n.saturating_sub(RESERVED_FDS).clamp(64, 4096) as usize,
        None => 1024,
    }
}

/// The soft limit on open files of this process (Linux: `/proc/self/limits`), if known.
fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Limits {
    /// Check that the limits make sense together: every count at least 1, every duration above
    /// zero, and the request timeout longer than the solve deadline (a solve's own 503 says more).
    pub fn check(&self) -> Result<(), String> {
        let counts = [
            ("solvers", self.solvers),
            ("solves_per_caller", self.solves_per_caller),
            ("max_connections", self.max_connections),
        ];
        for (name, n) in counts {
            if n == 0 {
                return Err(format!("{name}: expected at least 1, found 0"));
            }
        }
        let durations = [
            ("solve_deadline", self.solve_deadline),
            ("header_timeout", self.header_timeout),
            ("request_timeout", self.request_timeout),
        ];
        for (name, d) in durations {
            if d.is_zero() {
                return Err(format!("{name}: expected more than 0 seconds"));
            }
        }
        if self.request_timeout < self.solve_deadline {
            return Err(format!(
                "request_timeout: {} s is shorter than solve_deadline ({} s)",
                self.request_timeout.as_secs_f64(),
                self.solve_deadline.as_secs_f64()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_limit_stays_under_the_open_file_limit() {
        assert_eq!(default_max_connections(Some(1024)), 896);
        assert_eq!(default_max_connections(Some(100)), 64);
        assert_eq!(default_max_connections(Some(1 << 20)), 4096);
        assert_eq!(default_max_connections(None), 1024);
        if cfg!(target_os = "linux") {
            assert!(open_file_limit().is_some_and(|n| n > 0));
        }
    }

    #[test]
    fn the_defaults_hold_and_nonsense_is_named() {
        assert_eq!(Limits::default().check(), Ok(()));
        let zero = Limits {
            solvers: 0,
            ..Limits::default()
        };
        assert!(zero.check().unwrap_err().starts_with("solvers"));
        let short = Limits {
            request_timeout: Duration::from_secs(10),
            ..Limits::default()
        };
        assert!(short.check().unwrap_err().starts_with("request_timeout"));
    }
}
