//! Password policy and hashing. Argon2id at the OWASP Password Storage Cheat Sheet's
//! first recommendation (19 MiB memory, 2 iterations, 1 lane), run on the blocking pool
//! so a sign-in never stalls the async workers.

use crate::accounts::refusal::AccountsRefusal;
use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult};

pub const MIN_LENGTH: usize = 8;
/// Long enough for any passphrase, short enough that hashing cannot be used to tie us up.
pub const MAX_LENGTH: usize = 128;

/// 17,950 of the most common passwords of 8 characters or more, lower-cased, from the
/// zxcvbn-ts common list (MIT; see app/data/README.md).
static COMMON: &str = include_str!("../../data/common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().collect())
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password is refused, if it is.
pub fn check_policy(password: &str, email: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(AppError::bad_request(AccountsRefusal::PasswordTooShort {
            min: MIN_LENGTH,
            chars,
        }));
    }
    if chars > MAX_LENGTH {
        return Err(AppError::bad_request(AccountsRefusal::PasswordTooLong {
            max: MAX_LENGTH,
        }));
    }
    let lower = password.to_lowercase();
    if common().contains(lower.as_str()) {
        return Err(AppError::bad_request(AccountsRefusal::PasswordCommon));
    }
    let local = email.split('@').next().unwrap_or("");
    if !local.is_empty() && (lower == email.to_lowercase() || lower == local.to_lowercase()) {
        return Err(AppError::bad_request(AccountsRefusal::PasswordIsEmail));
    }
    Ok(())
}

/// At most this many hashes at once: each takes 19 MiB, and a burst of sign-ins must not
/// exhaust memory or the blocking pool; the rest wait their turn.
const CONCURRENT_HASHES: usize = 4;

async fn permit() -> AppResult<tokio::sync::SemaphorePermit<'static>> {
    static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES);
    PERMITS.acquire().await.map_err(AppError::internal)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
pub async fn hash(password: &str) -> AppResult<String> {
    let password = password.to_owned();
    let _permit = permit().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Whether `password` matches `phc`. A malformed stored hash counts as no match.
pub async fn verify(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    let Ok(_permit) = permit().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of nothing anyone knows, verified against when the account does not exist so
/// that "no such account" takes as long as "wrong password".
pub async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            hash(&crate::accounts::session::new_token())
                .await
                .unwrap_or_default()
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_common_and_email_passwords_with_reasons() {
        assert_eq!(
            check_policy("abc", "a@b.co"),
            Err(AppError::bad_request(AccountsRefusal::PasswordTooShort {
                min: 8,
                chars: 3
            }))
        );
        assert_eq!(
            check_policy("Password1", "a@b.co"),
            Err(AppError::bad_request(AccountsRefusal::PasswordCommon))
        );
        assert!(check_policy("iloveyou", "a@b.co").is_err());
        assert!(check_policy("jane.doe.shop", "jane.doe.shop@example.com").is_err());
        assert!(check_policy(&"x".repeat(129), "a@b.co").is_err());
        assert!(check_policy("correct horse battery staple", "a@b.co").is_ok());
    }

    #[tokio::test]
    async fn hashes_with_argon2id_at_owasp_parameters_and_verifies() {
        let started = std::time::Instant::now();
        let h = hash("correct horse battery staple").await.unwrap();
        // Reported in the closing note (release: `cargo test -p app --features ssr --release hashes_with -- --nocapture`).
        println!("argon2id hash took {:?}", started.elapsed());
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery staple", &h).await);
        assert!(!verify("correct horse battery stapler", &h).await);
        assert!(!verify("x", "not a hash").await);
    }
}
