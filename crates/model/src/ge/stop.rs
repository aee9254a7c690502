//! A request to stop a long computation early: a flag its owner sets (a server whose client hung
//! up, a deadline, a shutdown) and the strategy searches read before every equilibrium solve.
//! Reading an atomic is all the model does with it: no I/O, no clock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A shared stop flag; the default never stops.
#[derive(Debug, Clone, Default)]
pub struct Stop(Option<Arc<AtomicBool>>);

impl Stop {
    /// A stop read from `flag` (set it to `true` to stop).
    pub fn on(flag: Arc<AtomicBool>) -> Stop {
        Stop(Some(flag))
    }

    /// Whether the owner asked to stop.
    pub fn requested(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_reads_its_flag_and_the_default_never_stops() {
        assert!(!Stop::default().requested());
        let flag = Arc::new(AtomicBool::new(false));
        let stop = Stop::on(flag.clone());
        assert!(!stop.requested());
        flag.store(true, Ordering::Relaxed);
        assert!(stop.requested());
        assert!(stop.clone().requested());
    }
}
