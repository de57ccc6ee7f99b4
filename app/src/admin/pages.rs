//! `/staff`: find a customer (agents and administrators) and change roles
//! (administrators). The page is only a convenience: the server functions refuse anyone
//! else, whatever the page shows.

use crate::admin::text::AdminText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::api::{find_customers, SetRole};
use crate::accounts::model::{CustomerSummary, Role};
use crate::components::errors::ErrorMessage;
use crate::components::session::use_current_user;
use crate::components::status::loading;
use crate::components::status::SignInPrompt;
use crate::error::AppError;
use crate::i18n::{t, Key};

fn role_key(role: Role) -> AdminText {
    match role {
        Role::Customer => AdminText::RoleCustomer,
        Role::Agent => AdminText::RoleAgent,
        Role::Admin => AdminText::RoleAdmin,
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    // The app's one whoami resource (made by the root, before any Suspense).
    let me = use_current_user();
    let results = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(None)
            } else {
                find_customers(q).await.map(Some)
            }
        },
    );
    // Who is asking decides the whole page (and, on the server, its status): anonymous
    // visitors get the sign-in prompt (401), customers a refusal (403). The server
    // functions refuse them as well, whatever the page shows. One Suspense reads both
    // resources: a second Suspense nested inside this one's Suspend made the hydrated DOM
    // differ from the streamed one when the search answered first (a hydration panic in
    // tachys, seen in Chromium on a loaded machine).
    view! {
        <Title text=t(AdminText::StaffTitle) />
        <Meta name="robots" content="noindex" />
        <section class="staff-page">
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                let me = me.await;
                let results = results.await;
                match me {
                    Ok(Some(u)) if matches!(u.role, Role::Agent | Role::Admin) => {
                        let is_admin = u.role == Role::Admin;
                        view! { <StaffSearch q results is_admin /> }.into_any()
                    }
                    Ok(Some(_)) => view! {
                        <ErrorMessage error=AppError::forbidden() />
                    }.into_any(),
                    Ok(None) => view! { <SignInPrompt path="/staff" /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Transition>
        </section>
    }
}

type StaffResults = Result<Option<Vec<CustomerSummary>>, AppError>;

#[component]
fn StaffSearch(q: Memo<String>, results: StaffResults, is_admin: bool) -> impl IntoView {
    let outcome = match results {
        Ok(None) => view! { <p>{t(AdminText::StaffSearchHint)}</p> }.into_any(),
        Ok(Some(rows)) if rows.is_empty() => {
            view! { <p>{t(AdminText::StaffNoResults)}</p> }.into_any()
        }
        Ok(Some(rows)) => view! { <CustomerTable rows is_admin /> }.into_any(),
        Err(e) => view! { <p role="alert" class="form-error">{e.to_string()}</p> }.into_any(),
    };
    view! {
        <div class="staff-search-page">
            <h1>{t(AdminText::StaffTitle)}</h1>
            <p><a href="/staff/orders" data-testid="dispatch-link">{t(AdminText::DispatchTitle)}</a></p>
            <form method="get" action="/staff" class="staff-search" role="search">
                <label for="staff-q">{t(AdminText::StaffSearchLabel)}</label>
                <input id="staff-q" name="q" type="search" minlength="3" required value=move || q.get() />
                <button type="submit">{t(Key::Search)}</button>
            </form>
            {outcome}
        </div>
    }
}

#[component]
fn CustomerTable(rows: Vec<CustomerSummary>, is_admin: bool) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{t(AdminText::StaffEmail)}</th>
                        <th scope="col">{t(AdminText::StaffName)}</th>
                        <th scope="col">{t(AdminText::StaffOrders)}</th>
                        <th scope="col">{t(AdminText::StaffCanSignIn)}</th>
                        <th scope="col">{t(AdminText::StaffRole)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| view! { <CustomerRow row is_admin /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CustomerRow(row: CustomerSummary, is_admin: bool) -> impl IntoView {
    let set_role = ServerAction::<SetRole>::new();
    let select_id = format!("role-{}", row.id);
    let role_cell = if is_admin {
        let id = row.id;
        view! {
            <ActionForm action=set_role attr:class="role-form">
                <input type="hidden" name="id" value=id.to_string() />
                <label for=select_id.clone() class="visually-hidden">{t(AdminText::StaffRole)}</label>
                <select id=select_id name="role">
                    {[Role::Customer, Role::Agent, Role::Admin]
                        .into_iter()
                        .map(|r| view! {
                            <option value=format!("{r:?}") selected=r == row.role>{t(role_key(r))}</option>
                        })
                        .collect_view()}
                </select>
                <button type="submit">{t(AdminText::StaffSaveRole)}</button>
                <span aria-live="polite">
                    {move || match set_role.value().get() {
                        Some(Ok(())) => t(AdminText::StaffRoleSaved).to_string(),
                        Some(Err(e)) => e.to_string(),
                        None => String::new(),
                    }}
                </span>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <span>{t(role_key(row.role))}</span> }.into_any()
    };
    view! {
        <tr>
            <td>{row.email.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{row.name.clone()}</td>
            <td>{row.order_count}</td>
            <td>{if row.can_sign_in { t(AdminText::Yes) } else { t(AdminText::No) }}</td>
            <td>{role_cell}</td>
        </tr>
    }
}
