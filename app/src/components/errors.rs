//! Error pages and messages. Rendering one also sets the HTTP status of the response.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::error::{set_response_status, AppError};
use crate::i18n::{t, Key};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_response_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text=t(Key::NotFoundTitle) />
        <Meta name="robots" content="noindex" />
        <section class="message-page">
            <h1>{t(Key::NotFoundTitle)}</h1>
            <p>{t(Key::NotFoundBody)}</p>
            <p><a href="/">{t(Key::BackHome)}</a></p>
        </section>
    }
}

/// Shows an error from a server call, with a status that matches it.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    set_response_status(error.status());
    let title = match error {
        AppError::NotFound(_) => t(Key::NotFoundTitle),
        AppError::BadRequest(_) => t(Key::BadRequestTitle),
        _ => t(Key::ErrorTitle),
    };
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex" />
        <section class="message-page" role="alert">
            <h1>{title}</h1>
            <p class="error-detail">{error.to_string()}</p>
            <p><a href="/">{t(Key::BackHome)}</a></p>
        </section>
    }
}
