//! Field rules for account forms, each refusal with a message saying what to fix. Shared
//! by server and browser; the server always re-checks.

use crate::accounts::model::AddressInput;
use crate::accounts::refusal::{AccountsRefusal, Field};
use crate::error::{AppError, AppResult};

/// The email, trimmed and lower-cased, or why it cannot be one.
pub fn email(raw: &str) -> AppResult<String> {
    let e = raw.trim().to_lowercase();
    let bad = |r: AccountsRefusal| Err(AppError::bad_request(r));
    if e.is_empty() {
        return Err(AppError::bad_request(AccountsRefusal::EmailMissing));
    }
    if e.len() > 254 {
        return bad(AccountsRefusal::EmailTooLong);
    }
    let Some((local, domain)) = e.rsplit_once('@') else {
        return bad(AccountsRefusal::EmailNoAt);
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return bad(AccountsRefusal::EmailBadLocal);
    }
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if !domain.contains('.') || !labels_ok {
        return bad(AccountsRefusal::EmailBadDomain);
    }
    if e.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c))
    {
        return bad(AccountsRefusal::EmailBadChars);
    }
    Ok(e)
}

/// A display name: 1 to 80 printable characters.
pub fn name(raw: &str) -> AppResult<String> {
    let n = raw.trim();
    if n.is_empty() {
        return Err(AppError::bad_request(AccountsRefusal::NameMissing));
    }
    text(n, Field::YourName, 80)?;
    Ok(n.to_string())
}

fn text(value: &str, field: Field, max: usize) -> AppResult<()> {
    if value.chars().count() > max {
        return Err(AppError::bad_request(AccountsRefusal::FieldTooLong {
            field,
            max,
        }));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::bad_request(AccountsRefusal::FieldBadChars {
            field,
        }));
    }
    Ok(())
}

fn required(value: &str, field: Field, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::bad_request(AccountsRefusal::FieldRequired {
            field,
        }));
    }
    text(v, field, max)?;
    Ok(v.to_string())
}

/// The address with fields trimmed and normalised, or the first problem found.
pub fn address(input: &AddressInput) -> AppResult<AddressInput> {
    let country = input.country.trim().to_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::bad_request(AccountsRefusal::CountryInvalid));
    }
    let postcode = required(&input.postcode, Field::Postcode, 12)?.to_uppercase();
    if !postcode
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        return Err(AppError::bad_request(AccountsRefusal::PostcodeChars));
    }
    let phone = input.phone.trim().to_string();
    if !phone.is_empty() {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !allowed || !(6..=15).contains(&digits) {
            return Err(AppError::bad_request(AccountsRefusal::PhoneInvalid));
        }
    }
    let line2 = input.line2.trim().to_string();
    text(&line2, Field::Line2, 100)?;
    Ok(AddressInput {
        full_name: required(&input.full_name, Field::FullName, 80)?,
        line1: required(&input.line1, Field::Line1, 100)?,
        line2,
        city: required(&input.city, Field::City, 60)?,
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
