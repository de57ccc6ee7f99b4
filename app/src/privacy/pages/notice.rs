//! `/privacy`: the privacy notice, in plain language. One card per kind of data: what it
//! is, why we keep it and for how long. The retention periods stated here are the ones the
//! server enforces (sessions, guest carts, throttle counters) or the law asks for (orders).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{t, Key};
use crate::privacy::model::POLICY_VERSION;

/// (what, why, how long) for each kind of data we keep.
const ITEMS: [(Key, Key, Key); 8] = [
    (
        Key::NoticeAccountTitle,
        Key::NoticeAccountWhy,
        Key::NoticeAccountLong,
    ),
    (
        Key::NoticeAddressesTitle,
        Key::NoticeAddressesWhy,
        Key::NoticeAddressesLong,
    ),
    (
        Key::NoticeOrdersTitle,
        Key::NoticeOrdersWhy,
        Key::NoticeOrdersLong,
    ),
    (
        Key::NoticeFavouritesTitle,
        Key::NoticeFavouritesWhy,
        Key::NoticeFavouritesLong,
    ),
    (
        Key::NoticeEventsTitle,
        Key::NoticeEventsWhy,
        Key::NoticeEventsLong,
    ),
    (
        Key::NoticeSessionsTitle,
        Key::NoticeSessionsWhy,
        Key::NoticeSessionsLong,
    ),
    (
        Key::NoticeThrottleTitle,
        Key::NoticeThrottleWhy,
        Key::NoticeThrottleLong,
    ),
    (
        Key::NoticePrefsTitle,
        Key::NoticePrefsWhy,
        Key::NoticePrefsLong,
    ),
];

#[component]
pub fn PrivacyNoticePage() -> impl IntoView {
    view! {
        <Title text=t(Key::PrivacyNotice) />
        <Meta name="description" content=t(Key::NoticeIntro) />
        <article class="privacy-notice">
            <h1>{t(Key::PrivacyNotice)}</h1>
            <p class="lead">{t(Key::NoticeIntro)}</p>
            <p class="hint">{t(Key::NoticeVersion)} ": " <span id="notice-version">{POLICY_VERSION}</span></p>
            <section aria-labelledby="notice-what-h">
                <h2 id="notice-what-h">{t(Key::NoticeWhat)}</h2>
                <ul class="notice-list">
                    {ITEMS
                        .into_iter()
                        .map(|(what, why, long)| {
                            view! {
                                <li class="notice-card">
                                    <h3>{t(what)}</h3>
                                    <dl>
                                        <dt>{t(Key::NoticeWhy)}</dt>
                                        <dd>{t(why)}</dd>
                                        <dt>{t(Key::NoticeHowLong)}</dt>
                                        <dd>{t(long)}</dd>
                                    </dl>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section aria-labelledby="notice-rights-h">
                <h2 id="notice-rights-h">{t(Key::NoticeRights)}</h2>
                <p>{t(Key::NoticeRightsIntro)}</p>
                <ul class="rights-list">
                    <li>{t(Key::NoticeRightExport)}</li>
                    <li>{t(Key::NoticeRightDelete)}</li>
                    <li>{t(Key::NoticeRightWithdraw)}</li>
                </ul>
                <p>
                    <a class="button-link" href="/account/privacy">{t(Key::PrivacyCentre)}</a>
                </p>
                <p>{t(Key::NoticeComplaint)}</p>
            </section>
        </article>
    }
}
