//! Field rules for account forms, each refusal with a message saying what to fix. Shared
//! by server and browser; the server always re-checks.

use crate::accounts::model::AddressInput;
use crate::error::{AppError, AppResult};
use crate::i18n::{tr, trf, Key};

/// The email, trimmed and lower-cased, or why it cannot be one.
pub fn email(raw: &str) -> AppResult<String> {
    let e = raw.trim().to_lowercase();
    let bad = |key: Key| Err(AppError::bad_request(tr(key)));
    if e.is_empty() {
        return Err(AppError::bad_request(tr(Key::MsgEmailMissing)));
    }
    if e.len() > 254 {
        return bad(Key::MsgEmailTooLong);
    }
    let Some((local, domain)) = e.rsplit_once('@') else {
        return bad(Key::MsgEmailNoAt);
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return bad(Key::MsgEmailBadLocal);
    }
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if !domain.contains('.') || !labels_ok {
        return bad(Key::MsgEmailBadDomain);
    }
    if e.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c))
    {
        return bad(Key::MsgEmailBadChars);
    }
    Ok(e)
}

/// A display name: 1 to 80 printable characters.
pub fn name(raw: &str) -> AppResult<String> {
    let n = raw.trim();
    if n.is_empty() {
        return Err(AppError::bad_request(tr(Key::MsgNameMissing)));
    }
    text(n, Key::FieldYourName, 80)?;
    Ok(n.to_string())
}

fn text(value: &str, field: Key, max: usize) -> AppResult<()> {
    let field = tr(field);
    if value.chars().count() > max {
        return Err(AppError::bad_request(trf(
            Key::MsgFieldTooLong,
            &[("field", &field), ("max", &max)],
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::bad_request(trf(
            Key::MsgFieldBadChars,
            &[("field", &field)],
        )));
    }
    Ok(())
}

fn required(value: &str, field: Key, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::bad_request(trf(
            Key::MsgFieldRequired,
            &[("field", &tr(field))],
        )));
    }
    text(v, field, max)?;
    Ok(v.to_string())
}

/// The address with fields trimmed and normalised, or the first problem found.
pub fn address(input: &AddressInput) -> AppResult<AddressInput> {
    let country = input.country.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::bad_request(tr(Key::MsgCountryInvalid)));
    }
    let postcode = required(&input.postcode, Key::FieldPostcode, 12)?.to_uppercase();
    if !postcode
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        return Err(AppError::bad_request(tr(Key::MsgPostcodeChars)));
    }
    let phone = input.phone.trim().to_string();
    if !phone.is_empty() {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !allowed || !(6..=15).contains(&digits) {
            return Err(AppError::bad_request(tr(Key::MsgPhoneInvalid)));
        }
    }
    let line2 = input.line2.trim().to_string();
    text(&line2, Key::FieldLine2, 100)?;
    Ok(AddressInput {
        full_name: required(&input.full_name, Key::FieldFullName, 80)?,
        line1: required(&input.line1, Key::FieldLine1, 100)?,
        line2,
        city: required(&input.city, Key::FieldCity, 60)?,
        postcode,
        country,
        phone,
        make_default: input.make_default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused_with_a_reason() {
        assert_eq!(email("  Jane@Example.COM ").unwrap(), "jane@example.com");
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "ja ne@example.com",
            "jane@-x.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses_are_checked_field_by_field() {
        let ok = AddressInput {
            full_name: " Jane Doe ".into(),
            line1: "1 High Street".into(),
            city: "London".into(),
            postcode: "sw1a 1aa".into(),
            country: "gb".into(),
            phone: "+44 20 7946 0000".into(),
            ..Default::default()
        };
        let a = address(&ok).unwrap();
        assert_eq!(
            (
                a.full_name.as_str(),
                a.postcode.as_str(),
                a.country.as_str()
            ),
            ("Jane Doe", "SW1A 1AA", "GB")
        );
        let missing_city = AddressInput {
            city: " ".into(),
            ..ok.clone()
        };
        assert!(address(&missing_city)
            .unwrap_err()
            .to_string()
            .contains("Town or city"));
        assert!(address(&AddressInput {
            country: "UK1".into(),
            ..ok.clone()
        })
        .is_err());
        assert!(address(&AddressInput {
            phone: "12".into(),
            ..ok.clone()
        })
        .is_err());
        assert!(address(&AddressInput {
            postcode: "<script>".into(),
            ..ok
        })
        .is_err());
    }
}
