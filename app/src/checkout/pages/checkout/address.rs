//! Section 1 of the checkout page: where to deliver (a guest's email, a member's saved
//! addresses, the address fields).

use crate::checkout::text::CheckoutText;
use leptos::prelude::*;

use super::Form;
use crate::accounts::model::{Address, CurrentUser};
use crate::error::AppError;
use crate::i18n::{t, Key};

#[component]
pub(super) fn AddressSection(
    form: Form,
    user: Resource<Result<Option<CurrentUser>, AppError>>,
    saved: Resource<Vec<Address>>,
) -> impl IntoView {
    let is_guest = move || matches!(user.get(), Some(Ok(None)));
    view! {
            <section class="checkout-step" aria-labelledby="step-address">
                <h2 id="step-address">{t(CheckoutText::CheckoutStepAddress)}</h2>
                <Transition fallback=|| ()>
                    {move || {
                        is_guest()
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        {t(CheckoutText::CheckoutGuestHint)} " "
                                        <a href="/signin?next=/checkout">{t(Key::SignIn)}</a>
                                    </p>
                                    <label for="co-email">{t(CheckoutText::CheckoutEmail)}</label>
                                    <input
                                        id="co-email"
                                        type="email"
                                        autocomplete="email"
                                        required
                                        data-testid="checkout-email"
                                        prop:value=move || form.email.get()
                                        on:input=move |ev| form.email.set(event_target_value(&ev))
                                    />
                                }
                            })
                    }}
                    {move || {
                        let list = saved.get().unwrap_or_default();
                        (!list.is_empty())
                            .then(|| {
                                view! {
                                    <fieldset class="saved-addresses">
                                        <legend>{t(CheckoutText::CheckoutSavedAddresses)}</legend>
                                        {list
                                            .into_iter()
                                            .map(|a| {
                                                let id = format!("saved-{}", a.id);
                                                let summary = format!(
                                                    "{}, {}, {} {}",
                                                    a.full_name,
                                                    a.line1,
                                                    a.city,
                                                    a.postcode,
                                                );
                                                let checked = a.is_default;
                                                view! {
                                                    <div class="choice">
                                                        <input
                                                            type="radio"
                                                            name="saved-address"
                                                            id=id.clone()
                                                            checked=checked
                                                            on:change=move |_| form.use_address(&a)
                                                        />
                                                        <label for=id>{summary}</label>
                                                    </div>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                            })
                    }}
                </Transition>
                <AddressInputs form />
            </section>

    }
    .into_any()
}

#[component]
fn AddressInputs(form: Form) -> impl IntoView {
    let field = |id: &'static str,
                 label: Key,
                 signal: RwSignal<String>,
                 autocomplete: &'static str,
                 required: bool| {
        view! {
            <label for=id>{t(label)}</label>
            <input
                id=id
                type="text"
                autocomplete=autocomplete
                required=required
                data-testid=id
                prop:value=move || signal.get()
                on:input=move |ev| signal.set(event_target_value(&ev))
            />
        }
    };
    view! {
        <fieldset class="address-fields">
            <legend>{t(CheckoutText::CheckoutDeliverTo)}</legend>
            {field("co-name", Key::FullName, form.full_name, "name", true)}
            {field("co-line1", Key::AddressLine1, form.line1, "address-line1", true)}
            {field("co-line2", Key::AddressLine2, form.line2, "address-line2", false)}
            {field("co-city", Key::City, form.city, "address-level2", true)}
            {field("co-postcode", Key::Postcode, form.postcode, "postal-code", true)}
            {field("co-country", Key::CountryCode, form.country, "country", true)}
            {field("co-phone", Key::PhoneOptional, form.phone, "tel", false)}
        </fieldset>
    }
}
