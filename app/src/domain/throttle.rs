//! Login throttling: after 5 failed sign-ins within 15 minutes, for one
//! account or from one client address, further attempts are refused until
//! the window has passed.

use time::Duration;

pub const MAX_FAILURES: i64 = 5;
pub const WINDOW: Duration = Duration::minutes(15);

/// Failed attempts counted inside the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentFailures {
    pub for_account: i64,
    pub from_address: i64,
}

impl RecentFailures {
    pub fn allows_attempt(self) -> bool {
        self.for_account < MAX_FAILURES && self.from_address < MAX_FAILURES
    }
}

/// The message a throttled person sees; it reveals nothing about whether
/// the account exists.
pub const THROTTLED_MESSAGE: &str =
    "Too many failed sign-in attempts. Wait 15 minutes before trying again.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_failures_still_allow_an_attempt() {
        assert!(RecentFailures {
            for_account: 4,
            from_address: 4
        }
        .allows_attempt());
    }

    #[test]
    fn five_failures_for_an_account_refuse() {
        assert!(!RecentFailures {
            for_account: 5,
            from_address: 0
        }
        .allows_attempt());
    }

    #[test]
    fn five_failures_from_an_address_refuse() {
        assert!(!RecentFailures {
            for_account: 0,
            from_address: 5
        }
        .allows_attempt());
    }
}
