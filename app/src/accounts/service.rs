//! Account domain logic: sign-up, sign-in, sign-out, password change, devices, profile,
//! address book, and the staff functions. Plain async functions that take the store and
//! the caller's identity as arguments, so tests call them directly.

use crate::accounts::model::{Address, AddressInput, CurrentUser, CustomerSummary, Device, Role};
use crate::accounts::port::{AccountStore, SessionRecord};
use crate::accounts::refusal::AccountsRefusal;
use crate::accounts::session::{self, RequestIdentity};
use crate::accounts::{password, throttle, validate};
use crate::cart::model::{CartOwner, MAX_QUANTITY};
use crate::error::{AppError, AppResult};
use crate::ports::ShopStore;

/// A new session to hand to the browser as a cookie.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub user: CurrentUser,
    pub session: SessionRecord,
}

/// Start the member's session, carrying over what the guest session held (its cart), and
/// end the guest session: a fresh id on every sign-in (no session fixation).
async fn start_member_session(
    store: &dyn ShopStore,
    user: CurrentUser,
    identity: &RequestIdentity,
    now: i64,
) -> AppResult<SignedIn> {
    let (token, record) = session::start(store, Some(user.id), identity, now).await?;
    if let Some(previous) = &identity.session {
        if previous.customer_id.is_none() {
            store
                .merge_carts(
                    &CartOwner::guest(&previous.public_id),
                    &CartOwner::Account(user.id),
                    MAX_QUANTITY,
                )
                .await?;
        }
        store.delete_session(&previous.token_hash).await?;
    }
    Ok(SignedIn {
        token,
        user,
        session: record,
    })
}

pub async fn sign_up(
    store: &dyn ShopStore,
    identity: &RequestIdentity,
    email: &str,
    name: &str,
    new_password: &str,
    now: i64,
) -> AppResult<SignedIn> {
    let email = validate::email(email)?;
    let name = validate::name(name)?;
    password::check_policy(new_password, &email)?;
    // "That email already has an account" tells whoever asks which emails are customers':
    // sign-up attempts are throttled like sign-in, per email and per client address, so
    // the shop cannot be used to test a list of addresses.
    let email_key = format!("signup:{}", throttle::account_key(&email));
    let address_key = format!("signup:{}", throttle::address_key(&identity.client_ip));
    throttle::take(
        store,
        &[
            (&email_key, throttle::PER_ACCOUNT),
            (&address_key, throttle::PER_ADDRESS),
        ],
        now,
    )
    .await?;
    let hash = password::hash(new_password).await?;
    let Some(id) = store
        .create_account(&email, &name, &hash, Role::Customer, now)
        .await?
    else {
        return Err(AppError::conflict(AccountsRefusal::EmailTaken));
    };
    throttle::refund(store, &[&address_key]).await?;
    let user = CurrentUser {
        id,
        email,
        name,
        role: Role::Customer,
    };
    start_member_session(store, user, identity, now).await
}

pub async fn sign_in(
    store: &dyn ShopStore,
    identity: &RequestIdentity,
    email: &str,
    given_password: &str,
    now: i64,
) -> AppResult<SignedIn> {
    let email = validate::email(email)?;
    if given_password.is_empty() {
        return Err(AppError::bad_request(AccountsRefusal::PasswordMissing));
    }
    if given_password.chars().count() > password::MAX_LENGTH {
        return Err(AppError::unauthorized(AccountsRefusal::WrongCredentials));
    }
    let account_key = throttle::account_key(&email);
    let address_key = throttle::address_key(&identity.client_ip);
    // Throttle before hashing: a refused attempt costs no Argon2 work, and the attempt is
    // counted before the hash is checked, so concurrency buys no extra guesses.
    throttle::take(
        store,
        &[
            (&account_key, throttle::PER_ACCOUNT),
            (&address_key, throttle::PER_ADDRESS),
        ],
        now,
    )
    .await?;
    let account = store.account_by_email(&email).await?.filter(|a| !a.erased);
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = match &stored {
        Some(hash) => password::verify(given_password, hash).await,
        None => {
            // Same work as a real check, so timing does not reveal which emails exist.
            let _ = password::verify(given_password, password::dummy_hash().await).await;
            false
        }
    };
    let (true, Some(account)) = (matches, account) else {
        return Err(AppError::unauthorized(AccountsRefusal::WrongCredentials));
    };
    store.throttle_clear(&account_key).await?;
    throttle::refund(store, &[&address_key]).await?;
    start_member_session(store, session::user_of(&account), identity, now).await
}

/// Check a signed-in member's password again (before a password change or erasure),
/// throttled like sign-in under the same keys: a stolen session must not become a fast way
/// to guess the password.
pub async fn recheck_password(
    store: &dyn AccountStore,
    identity: &RequestIdentity,
    account: &crate::accounts::port::AccountRecord,
    given: &str,
    now: i64,
) -> AppResult<bool> {
    let account_key = throttle::account_key(&account.email.clone().unwrap_or_default());
    let address_key = throttle::address_key(&identity.client_ip);
    throttle::take(
        store,
        &[
            (&account_key, throttle::PER_ACCOUNT),
            (&address_key, throttle::PER_ADDRESS),
        ],
        now,
    )
    .await?;
    let ok = match &account.password_hash {
        Some(h) if given.chars().count() <= password::MAX_LENGTH => {
            password::verify(given, h).await
        }
        _ => false,
    };
    if ok {
        store.throttle_clear(&account_key).await?;
        throttle::refund(store, &[&address_key]).await?;
    }
    Ok(ok)
}

pub async fn sign_out(store: &dyn AccountStore, identity: &RequestIdentity) -> AppResult<()> {
    if let Some(s) = &identity.session {
        store.delete_session(&s.token_hash).await?;
    }
    Ok(())
}

/// Change the password after checking the current one; every other device is signed out
/// and this one gets a new session id.
pub async fn change_password(
    store: &dyn ShopStore,
    identity: &RequestIdentity,
    user: &CurrentUser,
    current: &str,
    new_password: &str,
    now: i64,
) -> AppResult<SignedIn> {
    let account = store
        .account_by_id(user.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    if !recheck_password(store, identity, &account, current, now).await? {
        return Err(AppError::bad_request(AccountsRefusal::CurrentPasswordWrong));
    }
    if current == new_password {
        return Err(AppError::bad_request(AccountsRefusal::NewPasswordSame));
    }
    password::check_policy(new_password, &user.email)?;
    store
        .set_password(user.id, &password::hash(new_password).await?)
        .await?;
    store.delete_account_sessions(user.id, None).await?;
    let fresh = RequestIdentity {
        session: None,
        ..identity.clone()
    };
    start_member_session(store, user.clone(), &fresh, now).await
}

pub async fn devices(
    store: &dyn AccountStore,
    user: &CurrentUser,
    identity: &RequestIdentity,
) -> AppResult<Vec<Device>> {
    let current = identity.session.as_ref().map(|s| s.token_hash.as_str());
    Ok(store
        .account_sessions(user.id)
        .await?
        .into_iter()
        .map(|s| Device {
            current: Some(s.token_hash.as_str()) == current,
            id: s.public_id,
            user_agent: s.user_agent,
            ip: s.ip,
            signed_in_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect())
}

pub async fn sign_out_device(
    store: &dyn AccountStore,
    user: &CurrentUser,
    device_id: &str,
) -> AppResult<()> {
    if store.delete_account_session(user.id, device_id).await? {
        Ok(())
    } else {
        Err(AppError::not_found(AccountsRefusal::DeviceNotFound))
    }
}

pub async fn sign_out_everywhere(store: &dyn AccountStore, user: &CurrentUser) -> AppResult<()> {
    store.delete_account_sessions(user.id, None).await
}

pub async fn rename(store: &dyn AccountStore, user: &CurrentUser, name: &str) -> AppResult<String> {
    let name = validate::name(name)?;
    store.set_name(user.id, &name).await?;
    Ok(name)
}

pub async fn addresses(store: &dyn ShopStore, user: &CurrentUser) -> AppResult<Vec<Address>> {
    store.addresses(user.id).await
}

/// Most addresses one account keeps.
pub const MAX_ADDRESSES: usize = 20;

pub async fn save_address(
    store: &dyn ShopStore,
    user: &CurrentUser,
    id: Option<i64>,
    input: &AddressInput,
    now: i64,
) -> AppResult<i64> {
    let clean = validate::address(input)?;
    let existing = store.addresses(user.id).await?;
    let id = match id {
        Some(id) => {
            if !store.update_address(user.id, id, &clean).await? {
                return Err(AppError::not_found(AccountsRefusal::AddressNotFound));
            }
            id
        }
        None => {
            if existing.len() >= MAX_ADDRESSES {
                return Err(AppError::bad_request(AccountsRefusal::AddressBookFull {
                    max: MAX_ADDRESSES,
                }));
            }
            store.add_address(user.id, &clean, now).await?
        }
    };
    // The first address is the default; so is any address saved as the default.
    if clean.make_default || existing.is_empty() {
        store.set_default_address(user.id, id).await?;
    }
    Ok(id)
}

pub async fn delete_address(store: &dyn ShopStore, user: &CurrentUser, id: i64) -> AppResult<()> {
    if store.delete_address(user.id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found(AccountsRefusal::AddressNotFound))
    }
}

pub async fn make_default_address(
    store: &dyn ShopStore,
    user: &CurrentUser,
    id: i64,
) -> AppResult<()> {
    if store.set_default_address(user.id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found(AccountsRefusal::AddressNotFound))
    }
}

/// Staff look-up by email or name fragment.
pub async fn find_customers(
    store: &dyn AccountStore,
    needle: &str,
) -> AppResult<Vec<CustomerSummary>> {
    let needle = needle.trim().to_lowercase();
    if needle.chars().count() < 3 {
        return Err(AppError::bad_request(AccountsRefusal::StaffQueryShort));
    }
    Ok(store
        .find_accounts(&needle, 50)
        .await?
        .into_iter()
        .map(|(a, orders)| CustomerSummary {
            id: a.id,
            can_sign_in: a.password_hash.is_some() && a.email.is_some(),
            email: a.email,
            name: a.name,
            role: a.role,
            order_count: orders,
        })
        .collect())
}

/// Admin changes someone's role; their sessions end, so the new role applies to a new
/// session id from their next sign-in.
pub async fn set_role(
    store: &dyn AccountStore,
    admin: &CurrentUser,
    id: i64,
    role: Role,
) -> AppResult<()> {
    if admin.id == id {
        return Err(AppError::bad_request(AccountsRefusal::OwnRole));
    }
    if !store.set_role(id, role).await? {
        return Err(AppError::not_found(AccountsRefusal::NoSuchAccount));
    }
    store.delete_account_sessions(id, None).await
}

/// Create an account with a role and password, or set them on an existing one (server
/// command line: the first administrator, and passwords for seeded customers).
pub async fn provision(
    store: &dyn AccountStore,
    email: &str,
    name: &str,
    new_password: &str,
    role: Role,
    existing_id: Option<i64>,
    now: i64,
) -> AppResult<i64> {
    let email = validate::email(email)?;
    password::check_policy(new_password, &email)?;
    let hash = password::hash(new_password).await?;
    if let Some(id) = existing_id {
        store
            .account_by_id(id)
            .await?
            .ok_or_else(|| AppError::not_found(AccountsRefusal::NoSuchAccount))?;
        if !store.set_credentials(id, &email, &hash).await? {
            return Err(AppError::conflict(AccountsRefusal::EmailOfAnotherAccount {
                email,
            }));
        }
        store.set_role(id, role).await?;
        return Ok(id);
    }
    if let Some(account) = store.account_by_email(&email).await? {
        store.set_password(account.id, &hash).await?;
        store.set_role(account.id, role).await?;
        store.delete_account_sessions(account.id, None).await?;
        return Ok(account.id);
    }
    let name = validate::name(name)?;
    store
        .create_account(&email, &name, &hash, role, now)
        .await?
        .ok_or_else(|| AppError::conflict(AccountsRefusal::EmailOfAnotherAccount { email }))
}
