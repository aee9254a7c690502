//! The compute budget (issue 15, item 3): GE work runs behind permits of its own, apart from the
//! store's jobs, so `/health`, sign-in and reads never queue behind a solve.
//!
//! A solve is admitted (or answered 429 when its caller has too many, 503 when the queue is
//! full, both with `Retry-After`), waits for one of [`Limits::solvers`] permits, and runs on the
//! blocking pool with a [`Stop`] flag that is set when its client goes away (the handler's future
//! is dropped), when its deadline passes, and when the server shuts down; the GE searches read it
//! before every equilibrium solve. Admission, the caller's count and the permits are released
//! when the job itself ends, not when its client leaves.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use reciprocity_model::ge::Stop;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;
use crate::limits::Limits;

/// The permits and the books of GE work.
#[derive(Debug)]
pub(crate) struct Budget {
    limits: Limits,
    /// One permit per solver.
    running: Arc<Semaphore>,
    /// One permit per solve admitted (running or waiting).
    admitted: Arc<Semaphore>,
    /// Solves admitted per caller.
    callers: Mutex<HashMap<String, usize>>,
    /// The stop flag of every solve admitted, by ticket number.
    live: Mutex<HashMap<u64, Arc<AtomicBool>>>,
    next: AtomicU64,
    closed: AtomicBool,
}

/// A solve admitted: it holds its caller's count and its queue place until dropped (by the job
/// when it ends, or by the request when it is abandoned before its job started).
#[derive(Debug)]
pub(crate) struct Ticket {
    budget: Arc<Budget>,
    caller: String,
    id: u64,
    flag: Arc<AtomicBool>,
    _admitted: OwnedSemaphorePermit,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Budget {
        Budget {
            limits: limits.clone(),
            running: Arc::new(Semaphore::new(limits.solvers)),
            admitted: Arc::new(Semaphore::new(limits.solvers + limits.solve_queue)),
            callers: Mutex::new(HashMap::new()),
            live: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        }
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Admit a solve of `caller`: 503 while shutting down or when the queue is full, 429 when the
    /// caller has [`Limits::solves_per_caller`] solves admitted already.
    pub(crate) fn admit(self: &Arc<Self>, caller: &str) -> Result<Ticket, ApiError> {
        let retry = self.limits.retry_after_secs;
        if self.is_closed() {
            return Err(shutting_down(retry));
        }
        {
            let mut callers = self.callers.lock().unwrap_or_else(PoisonError::into_inner);
            let n = callers.entry(caller.to_string()).or_insert(0);
            if *n >= self.limits.solves_per_caller {
                return Err(ApiError::too_many_requests(format!(
                    "{caller} has {n} computations running or waiting, the most one caller may \
                     have: retry when one has finished"
                ))
                .retry_after(retry));
            }
            *n += 1;
        }
        let admitted = match self.admitted.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                self.release_caller(caller);
                return Err(ApiError::unavailable(format!(
                    "the computation queue is full ({} running, {} waiting): retry in a moment",
                    self.limits.solvers, self.limits.solve_queue
                ))
                .retry_after(retry));
            }
        };
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let flag = Arc::new(AtomicBool::new(false));
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, flag.clone());
        Ok(Ticket {
            budget: self.clone(),
            caller: caller.to_string(),
            id,
            flag,
            _admitted: admitted,
        })
    }

    /// Wait for a solver (dropping the future leaves the queue).
    pub(crate) async fn solver(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        let retry = self.limits.retry_after_secs;
        self.running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| shutting_down(retry))
    }

    /// Refuse new solves and stop every solve admitted (shutdown).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.running.close();
        let live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        for flag in live.values() {
            flag.store(true, Ordering::SeqCst);
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    fn release_caller(&self, caller: &str) {
        let mut callers = self.callers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = callers.get_mut(caller) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                callers.remove(caller);
            }
        }
    }
}

impl Ticket {
    /// The solve's stop, for the GE searches.
    pub(crate) fn stop(&self) -> Stop {
        Stop::on(self.flag.clone())
    }

    /// A guard that stops the solve when dropped (held by the request: dropped when the client
    /// goes away, or when the answer is sent, after which stopping changes nothing).
    pub(crate) fn stop_on_drop(&self) -> StopOnDrop {
        StopOnDrop(self.flag.clone())
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.budget
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
        self.budget.release_caller(&self.caller);
    }
}

/// Sets a solve's stop flag when dropped.
#[derive(Debug)]
pub(crate) struct StopOnDrop(Arc<AtomicBool>);

impl StopOnDrop {
    /// Stop now (a deadline passed).
    pub(crate) fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.stop();
    }
}

/// 503 while the server shuts down.
pub(crate) fn shutting_down(retry_after_secs: u32) -> ApiError {
    ApiError::unavailable("the server is shutting down: retry in a moment")
        .retry_after(retry_after_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_caller: usize, solvers: usize, queue: usize) -> Limits {
        Limits {
            solvers,
            solve_queue: queue,
            solves_per_caller: per_caller,
            ..Limits::default()
        }
    }

    #[test]
    fn a_caller_over_its_share_is_429_and_a_full_queue_503_both_with_retry_after() {
        let b = Arc::new(Budget::new(&limits(2, 1, 2)));
        let a1 = b.admit("a").unwrap();
        let _a2 = b.admit("a").unwrap();
        let over = b.admit("a").unwrap_err();
        assert_eq!(
            (over.status.as_u16(), over.code),
            (429, "too_many_requests")
        );
        assert_eq!(over.retry_after, Some(5));
        let _b1 = b.admit("b").unwrap();
        let full = b.admit("c").unwrap_err();
        assert_eq!((full.status.as_u16(), full.code), (503, "unavailable"));
        assert_eq!(full.retry_after, Some(5));
        // A refused caller holds nothing; a finished solve frees its caller's place and its own.
        assert!(!b.callers.lock().unwrap().contains_key("c"));
        drop(a1);
        assert!(b.admit("a").is_ok());
    }

    #[test]
    fn closing_stops_every_admitted_solve_and_refuses_new_ones() {
        let b = Arc::new(Budget::new(&limits(4, 2, 2)));
        let t = b.admit("a").unwrap();
        let stop = t.stop();
        assert!(!stop.requested());
        b.close();
        assert!(stop.requested());
        assert_eq!(b.admit("b").unwrap_err().status.as_u16(), 503);
    }

    #[test]
    fn dropping_the_request_stops_its_solve() {
        let b = Arc::new(Budget::new(&limits(4, 2, 2)));
        let t = b.admit("a").unwrap();
        let stop = t.stop();
        drop(t.stop_on_drop());
        assert!(stop.requested());
    }
}
