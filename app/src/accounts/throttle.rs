//! Sign-in throttling, checked before any password is hashed. Failures are counted per
//! account (the email typed, whether or not it exists) and per client address in a rolling
//! hour, in the database so every app instance sees the same counts. After a few free
//! failures each further attempt must wait twice as long as the last, up to a minute; a
//! hard cap ends the hour. An attacker at full speed gets 69 guesses an hour at one
//! account (see the test), below the 100 the issue allows; a customer who mistypes is
//! never made to wait more than a minute.

use crate::accounts::port::{AccountStore, ThrottleRecord};
use crate::accounts::refusal::AccountsRefusal;
use crate::error::{AppError, AppResult};

pub const WINDOW_SECS: i64 = 3600;

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Failures allowed with no wait.
    pub free: i64,
    pub max_delay_secs: i64,
    /// No attempt at all after this many failures in the window.
    pub cap: i64,
}

pub const PER_ACCOUNT: Policy = Policy {
    free: 5,
    max_delay_secs: 60,
    cap: 100,
};
/// Higher: several shoppers may share one address (offices, mobile carriers).
pub const PER_ADDRESS: Policy = Policy {
    free: 20,
    max_delay_secs: 60,
    cap: 300,
};

/// Keyed by a hash of the email, so the table never holds an address in clear (it also
/// counts attempts at emails that have no account, and after an account is erased).
pub fn account_key(email: &str) -> String {
    format!(
        "account:{}",
        crate::accounts::session::hash_token(&email.to_lowercase())
    )
}
pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Seconds to wait before the next attempt is allowed (0 = now).
pub fn wait_secs(policy: Policy, state: Option<ThrottleRecord>, now: i64) -> i64 {
    let Some(s) = state else { return 0 };
    if now - s.window_start >= WINDOW_SECS {
        return 0;
    }
    if s.failures >= policy.cap {
        return s.window_start + WINDOW_SECS - now;
    }
    if s.failures < policy.free {
        return 0;
    }
    let exponent = (s.failures - policy.free).min(20) as u32;
    let delay = 2i64.pow(exponent).min(policy.max_delay_secs);
    (s.last_failure_at + delay - now).max(0)
}

/// Take one attempt under every key, or refuse with 429 and the wait. Each attempt is
/// counted before any password is hashed, by a guarded increment: of many concurrent
/// requests (on any number of instances) only as many get through as the policy allows,
/// since each must count itself against the record it decided on. A key that refuses gives
/// back the attempts already taken under the others. A success calls [`refund`] (or clears
/// the key) afterwards.
pub async fn take(store: &dyn AccountStore, keys: &[(&str, Policy)], now: i64) -> AppResult<()> {
    /// Lost races before giving up; each loss means another attempt was counted.
    const MAX_TRIES: usize = 64;
    let refuse = |wait: i64| {
        AppError::too_many_requests(AccountsRefusal::TooManyAttempts {
            wait_secs: wait.max(1),
        })
    };
    for (i, (key, policy)) in keys.iter().enumerate() {
        let mut taken = false;
        for _ in 0..MAX_TRIES {
            let state = store.throttle(key).await?;
            let wait = wait_secs(*policy, state, now);
            if wait > 0 {
                refund(
                    store,
                    &keys[..i].iter().map(|(k, _)| *k).collect::<Vec<_>>(),
                )
                .await?;
                return Err(refuse(wait));
            }
            if store
                .throttle_take(key, state, now, now - WINDOW_SECS)
                .await?
            {
                taken = true;
                break;
            }
        }
        if !taken {
            refund(
                store,
                &keys[..i].iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            )
            .await?;
            return Err(refuse(1));
        }
    }
    Ok(())
}

/// Give back one attempt under each key (the attempt succeeded).
pub async fn refund(store: &dyn AccountStore, keys: &[&str]) -> AppResult<()> {
    for key in keys {
        store.throttle_refund(key).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An attacker who tries again the moment the policy allows, for one hour.
    fn failures_in_an_hour(policy: Policy) -> i64 {
        let mut state: Option<ThrottleRecord> = None;
        let mut now = 0;
        let mut count = 0;
        while now < WINDOW_SECS {
            let wait = wait_secs(policy, state, now);
            if wait > 0 {
                now += wait;
                continue;
            }
            count += 1;
            state = Some(match state {
                None => ThrottleRecord {
                    failures: 1,
                    window_start: now,
                    last_failure_at: now,
                },
                Some(s) => ThrottleRecord {
                    failures: s.failures + 1,
                    last_failure_at: now,
                    ..s
                },
            });
        }
        count
    }

    #[test]
    fn at_most_100_failures_per_account_per_hour() {
        let n = failures_in_an_hour(PER_ACCOUNT);
        assert!(n <= 100, "{n}");
        assert_eq!(n, 69);
    }

    #[test]
    fn first_failures_are_free_then_waits_double_up_to_a_minute() {
        let at = |failures, last| {
            Some(ThrottleRecord {
                failures,
                window_start: 0,
                last_failure_at: last,
            })
        };
        assert_eq!(wait_secs(PER_ACCOUNT, at(4, 10), 10), 0);
        assert_eq!(wait_secs(PER_ACCOUNT, at(5, 10), 10), 1);
        assert_eq!(wait_secs(PER_ACCOUNT, at(7, 10), 10), 4);
        assert_eq!(wait_secs(PER_ACCOUNT, at(30, 10), 10), 60);
        // The hard cap holds until the window ends.
        assert_eq!(wait_secs(PER_ACCOUNT, at(100, 10), 20), 3580);
        // A new hour starts afresh.
        assert_eq!(wait_secs(PER_ACCOUNT, at(100, 10), 3600), 0);
    }
}
