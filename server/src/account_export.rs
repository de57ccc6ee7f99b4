//! The privacy centre's "download my data": a JSON file of everything the shop holds about
//! the signed-in member. A plain GET (it changes nothing), so the browser saves it as a
//! file; built by the domain function `app::privacy::service::export`.

use axum::extract::Extension;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use app::accounts::session::RequestIdentity;
use app::state::AppState;

pub async fn export(
    Extension(state): Extension<AppState>,
    Extension(identity): Extension<RequestIdentity>,
) -> Response {
    let Some(user) = identity.user else {
        return Redirect::to("/signin?next=/account/privacy").into_response();
    };
    match app::privacy::service::export(&*state.store, &user, app::state::now()).await {
        Ok(json) => {
            let body = serde_json::to_string_pretty(&json).unwrap_or_default();
            let mut res = (StatusCode::OK, body).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"emporium-my-data.json\""),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            res
        }
        Err(e) => crate::http_extras::message_page(e.status(), "Export failed", &e.to_string())
            .into_response(),
    }
}
