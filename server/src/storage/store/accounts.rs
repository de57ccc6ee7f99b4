//! The `AccountStore` port: accounts, sessions and sign-in throttling.
//!
//! Multi-statement changes run in one transaction whose first statement writes, so SQLite
//! takes its write lock up front (a read-then-write transaction could fail as "locked").
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
use crate::storage::sql::accounts as q;
use app::accounts::model::Role;
use app::accounts::port::{AccountRecord, SessionRecord, ThrottleRecord};
use app::error::AppResult;

#[async_trait::async_trait]
impl app::accounts::port::AccountStore for Backend {
    async fn create_account(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
        now: i64,
    ) -> AppResult<Option<i64>> {
        let pseudonym = format!("acct-{}", app::accounts::session::new_public_id());
        sqlx::query_scalar(q::CREATE_ACCOUNT)
            .bind(pseudonym)
            .bind(now)
            .bind(email)
            .bind(name)
            .bind(password_hash)
            .bind(role.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn account_by_email(&self, email: &str) -> AppResult<Option<AccountRecord>> {
        let row: Option<q::AccountRow> = sqlx::query_as(&q::account_by("email"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Into::into))
    }
    async fn account_by_id(&self, id: i64) -> AppResult<Option<AccountRecord>> {
        let row: Option<q::AccountRow> = sqlx::query_as(&q::account_by("id"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Into::into))
    }
    async fn set_password(&self, id: i64, password_hash: &str) -> AppResult<()> {
        sqlx::query(q::SET_PASSWORD)
            .bind(id)
            .bind(password_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn set_credentials(&self, id: i64, email: &str, password_hash: &str) -> AppResult<bool> {
        match sqlx::query(q::SET_CREDENTIALS)
            .bind(id)
            .bind(email)
            .bind(password_hash)
            .execute(&self.pool)
            .await
        {
            Ok(r) => Ok(r.rows_affected() > 0),
            Err(e) if q::is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    async fn set_role(&self, id: i64, role: Role) -> AppResult<bool> {
        let r = sqlx::query(q::SET_ROLE)
            .bind(id)
            .bind(role.as_str())
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }
    async fn set_name(&self, id: i64, name: &str) -> AppResult<()> {
        sqlx::query(q::SET_NAME)
            .bind(id)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn find_accounts(
        &self,
        needle: &str,
        limit: i64,
    ) -> AppResult<Vec<(AccountRecord, i64)>> {
        let rows: Vec<q::FoundAccountRow> = sqlx::query_as(q::FIND_ACCOUNTS)
            .bind(q::like_pattern(needle))
            .bind(needle)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.account.into(), r.order_count))
            .collect())
    }

    async fn insert_session(&self, s: &SessionRecord) -> AppResult<()> {
        sqlx::query(q::INSERT_SESSION)
            .bind(&s.token_hash)
            .bind(&s.public_id)
            .bind(s.customer_id)
            .bind(s.created_at)
            .bind(s.last_seen_at)
            .bind(&s.user_agent)
            .bind(&s.ip)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn session(
        &self,
        token_hash: &str,
    ) -> AppResult<Option<app::accounts::port::SessionLookup>> {
        let row: Option<q::SessionAccountRow> = sqlx::query_as(&q::session_with_account())
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(q::SessionAccountRow::into_lookup))
    }
    async fn touch_session(&self, token_hash: &str, now: i64) -> AppResult<()> {
        sqlx::query(q::TOUCH_SESSION)
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn delete_session(&self, token_hash: &str) -> AppResult<()> {
        sqlx::query(q::DELETE_SESSION)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn delete_account_session(&self, customer_id: i64, public_id: &str) -> AppResult<bool> {
        let r = sqlx::query(q::DELETE_ACCOUNT_SESSION)
            .bind(customer_id)
            .bind(public_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }
    async fn delete_account_sessions(&self, customer_id: i64, keep: Option<&str>) -> AppResult<()> {
        sqlx::query(q::DELETE_ACCOUNT_SESSIONS)
            .bind(customer_id)
            .bind(keep.unwrap_or(""))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn account_sessions(&self, customer_id: i64) -> AppResult<Vec<SessionRecord>> {
        let rows: Vec<q::SessionRow> = sqlx::query_as(&q::account_sessions())
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
    async fn purge_sessions(
        &self,
        member_idle_before: i64,
        member_created_before: i64,
        guest_idle_before: i64,
    ) -> AppResult<u64> {
        let r = sqlx::query(q::PURGE_SESSIONS)
            .bind(member_idle_before)
            .bind(member_created_before)
            .bind(guest_idle_before)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    async fn throttle(&self, key: &str) -> AppResult<Option<ThrottleRecord>> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(q::THROTTLE)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(
            row.map(|(failures, window_start, last_failure_at)| ThrottleRecord {
                failures,
                window_start,
                last_failure_at,
            }),
        )
    }
    async fn throttle_fail(&self, key: &str, now: i64, window_start_after: i64) -> AppResult<()> {
        sqlx::query(q::THROTTLE_FAIL)
            .bind(key)
            .bind(now)
            .bind(window_start_after)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn throttle_clear(&self, key: &str) -> AppResult<()> {
        sqlx::query(q::THROTTLE_CLEAR)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn throttle_take(
        &self,
        key: &str,
        expected: Option<ThrottleRecord>,
        now: i64,
        window_start_after: i64,
    ) -> AppResult<bool> {
        let done = match expected {
            None => {
                sqlx::query(q::THROTTLE_TAKE_FIRST)
                    .bind(key)
                    .bind(now)
                    .execute(&self.pool)
                    .await
            }
            Some(r) => {
                sqlx::query(q::THROTTLE_TAKE)
                    .bind(key)
                    .bind(r.failures)
                    .bind(r.window_start)
                    .bind(r.last_failure_at)
                    .bind(now)
                    .bind(window_start_after)
                    .execute(&self.pool)
                    .await
            }
        }?;
        Ok(done.rows_affected() == 1)
    }
    async fn throttle_refund(&self, key: &str) -> AppResult<()> {
        for sql in [q::THROTTLE_REFUND, q::THROTTLE_DROP_EMPTY] {
            sqlx::query(sql).bind(key).execute(&self.pool).await?;
        }
        Ok(())
    }
}
