//! `/privacy`: the privacy notice, in plain language. One card per kind of data: what it
//! is, why we keep it and for how long. The retention periods stated here are the ones the
//! server enforces (sessions, guest carts, throttle counters) or the law asks for (orders).

use crate::privacy::text::PrivacyText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{t, Key};
use crate::privacy::model::POLICY_VERSION;

/// (what, why, how long) for each kind of data we keep.
const ITEMS: [(PrivacyText, PrivacyText, PrivacyText); 8] = [
    (
        PrivacyText::NoticeAccountTitle,
        PrivacyText::NoticeAccountWhy,
        PrivacyText::NoticeAccountLong,
    ),
    (
        PrivacyText::NoticeAddressesTitle,
        PrivacyText::NoticeAddressesWhy,
        PrivacyText::NoticeAddressesLong,
    ),
    (
        PrivacyText::NoticeOrdersTitle,
        PrivacyText::NoticeOrdersWhy,
        PrivacyText::NoticeOrdersLong,
    ),
    (
        PrivacyText::NoticeFavouritesTitle,
        PrivacyText::NoticeFavouritesWhy,
        PrivacyText::NoticeFavouritesLong,
    ),
    (
        PrivacyText::NoticeEventsTitle,
        PrivacyText::NoticeEventsWhy,
        PrivacyText::NoticeEventsLong,
    ),
    (
        PrivacyText::NoticeSessionsTitle,
        PrivacyText::NoticeSessionsWhy,
        PrivacyText::NoticeSessionsLong,
    ),
    (
        PrivacyText::NoticeThrottleTitle,
        PrivacyText::NoticeThrottleWhy,
        PrivacyText::NoticeThrottleLong,
    ),
    (
        PrivacyText::NoticePrefsTitle,
        PrivacyText::NoticePrefsWhy,
        PrivacyText::NoticePrefsLong,
    ),
];

#[component]
pub fn PrivacyNoticePage() -> impl IntoView {
    view! {
        <Title text=t(Key::PrivacyNotice) />
        <Meta name="description" content=t(PrivacyText::NoticeIntro) />
        <article class="privacy-notice">
            <h1>{t(Key::PrivacyNotice)}</h1>
            <p class="lead">{t(PrivacyText::NoticeIntro)}</p>
            <p class="hint">{t(PrivacyText::NoticeVersion)} ": " <span id="notice-version">{POLICY_VERSION}</span></p>
            <section aria-labelledby="notice-what-h">
                <h2 id="notice-what-h">{t(PrivacyText::NoticeWhat)}</h2>
                <ul class="notice-list">
                    {ITEMS
                        .into_iter()
                        .map(|(what, why, long)| {
                            view! {
                                <li class="notice-card">
                                    <h3>{t(what)}</h3>
                                    <dl>
                                        <dt>{t(PrivacyText::NoticeWhy)}</dt>
                                        <dd>{t(why)}</dd>
                                        <dt>{t(PrivacyText::NoticeHowLong)}</dt>
                                        <dd>{t(long)}</dd>
                                    </dl>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section aria-labelledby="notice-rights-h">
                <h2 id="notice-rights-h">{t(PrivacyText::NoticeRights)}</h2>
                <p>{t(PrivacyText::NoticeRightsIntro)}</p>
                <ul class="rights-list">
                    <li>{t(PrivacyText::NoticeRightExport)}</li>
                    <li>{t(PrivacyText::NoticeRightDelete)}</li>
                    <li>{t(PrivacyText::NoticeRightWithdraw)}</li>
                </ul>
                <p>
                    <a class="button-link" href="/account/privacy">{t(Key::PrivacyCentre)}</a>
                </p>
                <p>{t(PrivacyText::NoticeComplaint)}</p>
            </section>
        </article>
    }
}
