//! `/account/addresses`: the address book. Each address can be edited, made the default
//! or deleted; the form below the list adds a new one (or saves the one being edited).
//! The server validates every field and names the first one to fix.

use crate::accounts::text::AccountsText;
use leptos::form::ActionForm;
use leptos::prelude::*;

use super::AccountFrame;
use crate::accounts::api::{addresses, DeleteAddress, MakeDefaultAddress, SaveAddress};
use crate::accounts::model::Address;
use crate::components::forms::{action_error, FormFeedback};
use crate::components::status::{loading, LoadError};
use crate::i18n::{t, Key};

#[component]
pub fn AddressesPage() -> impl IntoView {
    let save = ServerAction::<SaveAddress>::new();
    let delete = ServerAction::<DeleteAddress>::new();
    let make_default = ServerAction::<MakeDefaultAddress>::new();
    // Bumped after each change that succeeded: the list is fetched again. (Not after a
    // refusal, which would re-render the form and lose what was typed.)
    let changes = RwSignal::new(0u32);
    let editing = RwSignal::new(None::<Address>);
    let last_done = RwSignal::new(None::<AccountsText>);
    let list = Resource::new(move || changes.get(), |_| addresses());

    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
            last_done.set(Some(AccountsText::AddressSaved));
            changes.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            last_done.set(Some(AccountsText::AddressDeleted));
            changes.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = make_default.value().get() {
            last_done.set(Some(AccountsText::DefaultChanged));
            changes.update(|n| *n += 1);
        }
    });
    // The latest refusal of a list action (delete, make default).
    let list_error = Signal::derive(move || {
        action_error(delete)
            .get()
            .or_else(|| action_error(make_default).get())
    });
    let done = Signal::derive(move || last_done.get().map(t));

    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) => {
                        view! {
                            <AccountFrame title=t(AccountsText::AddressBook) path="/account/addresses">
                                <div class="form-status" role="status">
                                    {move || done.get().map(|m| view! { <p class="form-ok">{m}</p> })}
                                </div>
                                <div class="form-alert" role="alert">
                                    {move || list_error.get().map(|e| view! { <p class="form-error">{e}</p> })}
                                </div>
                                <AddressList items delete make_default editing />
                                {move || {
                                    let address = editing.get();
                                    view! { <AddressForm save address editing /> }
                                }}
                            </AccountFrame>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadError error=e path="/account/addresses" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One line of text for an address, for labels of its buttons.
fn summary(a: &Address) -> String {
    format!("{}, {}, {}", a.full_name, a.line1, a.postcode)
}

#[component]
fn AddressList(
    items: Vec<Address>,
    delete: ServerAction<DeleteAddress>,
    make_default: ServerAction<MakeDefaultAddress>,
    editing: RwSignal<Option<Address>>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty-note">{t(AccountsText::NoAddresses)}</p> }.into_any();
    }
    view! {
        <ul class="address-list">
            {items
                .into_iter()
                .map(|a| {
                    let label = summary(&a);
                    let edit_label = format!("{}: {label}", t(AccountsText::Edit));
                    let default_label = format!("{}: {label}", t(AccountsText::SetDefault));
                    let delete_label = format!("{}: {label}", t(AccountsText::Delete));
                    let for_edit = a.clone();
                    view! {
                        <li class="address-card" data-default=a.is_default.then_some("true")>
                            <address>
                                <strong>{a.full_name.clone()}</strong>
                                <br />
                                {a.line1.clone()}
                                {(!a.line2.is_empty())
                                    .then(|| view! { <br /> {a.line2.clone()} })}
                                <br />
                                {a.city.clone()} " " {a.postcode.clone()}
                                <br />
                                {a.country.clone()}
                                {(!a.phone.is_empty())
                                    .then(|| view! { <br /> {a.phone.clone()} })}
                            </address>
                            {a.is_default.then(|| view! { <p class="badge">{t(AccountsText::DefaultAddress)}</p> })}
                            <div class="card-actions">
                                <button
                                    type="button"
                                    class="secondary"
                                    aria-label=edit_label
                                    on:click=move |_| {
                                        editing.set(Some(for_edit.clone()));
                                        focus_form();
                                    }
                                >
                                    {t(AccountsText::Edit)}
                                </button>
                                {(!a.is_default)
                                    .then(|| {
                                        view! {
                                            <ActionForm action=make_default attr:class="inline-form">
                                                <input type="hidden" name="id" value=a.id />
                                                <button
                                                    type="submit"
                                                    class="secondary"
                                                    aria-label=default_label
                                                >
                                                    {t(AccountsText::SetDefault)}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                                <ActionForm action=delete attr:class="inline-form">
                                    <input type="hidden" name="id" value=a.id />
                                    <button
                                        type="submit"
                                        class="danger"
                                        aria-label=delete_label
                                    >
                                        {t(AccountsText::Delete)}
                                    </button>
                                </ActionForm>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Move focus to the first field of the address form (after "Edit").
fn focus_form() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id("address-full-name")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

#[component]
fn AddressForm(
    save: ServerAction<SaveAddress>,
    address: Option<Address>,
    editing: RwSignal<Option<Address>>,
) -> impl IntoView {
    let id = address.as_ref().map(|a| a.id);
    let a = address.unwrap_or(Address {
        id: 0,
        full_name: String::new(),
        line1: String::new(),
        line2: String::new(),
        city: String::new(),
        postcode: String::new(),
        country: String::new(),
        phone: String::new(),
        is_default: false,
    });
    let heading = if id.is_some() {
        t(AccountsText::EditAddress)
    } else {
        t(AccountsText::AddAddress)
    };
    view! {
        <section class="account-section" aria-labelledby="address-form-h">
            <h2 id="address-form-h">{heading}</h2>
            <ActionForm action=save attr:id="address-form" attr:class="form-card">
                {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                <div class="field">
                    <label for="address-full-name">{t(Key::FullName)}</label>
                    <input
                        id="address-full-name"
                        name="address[full_name]"
                        type="text"
                        autocomplete="name"
                        maxlength="80"
                        required
                        value=a.full_name
                    />
                </div>
                <div class="field">
                    <label for="address-line1">{t(Key::AddressLine1)}</label>
                    <input
                        id="address-line1"
                        name="address[line1]"
                        type="text"
                        autocomplete="address-line1"
                        maxlength="100"
                        required
                        value=a.line1
                    />
                </div>
                <div class="field">
                    <label for="address-line2">{t(Key::AddressLine2)}</label>
                    <input
                        id="address-line2"
                        name="address[line2]"
                        type="text"
                        autocomplete="address-line2"
                        maxlength="100"
                        value=a.line2
                    />
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="address-city">{t(Key::City)}</label>
                        <input
                            id="address-city"
                            name="address[city]"
                            type="text"
                            autocomplete="address-level2"
                            maxlength="60"
                            required
                            value=a.city
                        />
                    </div>
                    <div class="field">
                        <label for="address-postcode">{t(Key::Postcode)}</label>
                        <input
                            id="address-postcode"
                            name="address[postcode]"
                            type="text"
                            autocomplete="postal-code"
                            autocapitalize="characters"
                            maxlength="12"
                            required
                            value=a.postcode
                        />
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="address-country">{t(Key::CountryCode)}</label>
                        <input
                            id="address-country"
                            name="address[country]"
                            type="text"
                            autocomplete="country"
                            autocapitalize="characters"
                            spellcheck="false"
                            aria-describedby="address-country-hint"
                            required
                            value=a.country
                        />
                        <p class="hint" id="address-country-hint">{t(AccountsText::CountryHint)}</p>
                    </div>
                    <div class="field">
                        <label for="address-phone">{t(Key::PhoneOptional)}</label>
                        <input
                            id="address-phone"
                            name="address[phone]"
                            type="tel"
                            inputmode="tel"
                            autocomplete="tel"
                            maxlength="20"
                            value=a.phone
                        />
                    </div>
                </div>
                <label class="check" for="address-default">
                    <input
                        id="address-default"
                        name="address[make_default]"
                        type="checkbox"
                        value="true"
                        checked=a.is_default
                    />
                    {t(AccountsText::MakeDefault)}
                </label>
                <FormFeedback error=action_error(save) />
                <div class="form-actions">
                    <button type="submit">{t(AccountsText::SaveAddress)}</button>
                    {id
                        .map(|_| {
                            view! {
                                <button type="button" class="secondary" on:click=move |_| editing.set(None)>
                                    {t(AccountsText::Cancel)}
                                </button>
                            }
                        })}
                </div>
            </ActionForm>
        </section>
    }
}
