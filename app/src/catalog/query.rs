//! Turning untrusted URL parameters into a valid [`ProductQuery`], with messages a shopper
//! can act on. Both the page (server-rendered) and the server function go through here.

use super::model::{Minor, ProductQuery, SortOrder, MAX_PAGE};
use super::taxonomy;
use crate::catalog::refusal::{CatalogRefusal, PriceBound};
use crate::error::{AppError, AppResult};

/// Raw listing parameters as they appear in the URL (`?sort=&min=&max=&stock=&page=`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListingParams {
    pub sort: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub stock: Option<String>,
    pub page: Option<String>,
}

/// Parse a price typed in pounds ("12", "12.5", "12.50") into minor units.
pub fn parse_price(bound: PriceBound, raw: &str) -> AppResult<Option<Minor>> {
    let s = raw.trim().trim_start_matches('£');
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || {
        AppError::bad_request(CatalogRefusal::PriceInvalid {
            bound,
            given: truncate(raw),
        })
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 7
    {
        return Err(bad());
    }
    let pounds: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let pence: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    Ok(Some(pounds * 100 + pence))
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

impl ProductQuery {
    pub fn parse(category: &str, p: &ListingParams) -> AppResult<Self> {
        if !taxonomy::is_known(category) {
            return Err(AppError::not_found(CatalogRefusal::NoSuchCategory {
                category: truncate(category),
            }));
        }
        let sort = match p.sort.as_deref().filter(|s| !s.is_empty()) {
            None => SortOrder::default(),
            Some(s) => SortOrder::from_param(s).ok_or_else(|| {
                AppError::bad_request(CatalogRefusal::SortUnknown { given: truncate(s) })
            })?,
        };
        let min_price = p
            .min
            .as_deref()
            .map(|s| parse_price(PriceBound::Min, s))
            .transpose()?
            .flatten();
        let max_price = p
            .max
            .as_deref()
            .map(|s| parse_price(PriceBound::Max, s))
            .transpose()?
            .flatten();
        if let (Some(lo), Some(hi)) = (min_price, max_price) {
            if lo > hi {
                return Err(AppError::bad_request(CatalogRefusal::PriceRangeInverted));
            }
        }
        let in_stock_only = match p.stock.as_deref() {
            None | Some("") | Some("all") => false,
            Some("in") => true,
            Some(other) => {
                return Err(AppError::bad_request(CatalogRefusal::AvailabilityUnknown {
                    given: truncate(other),
                }))
            }
        };
        let page = match p.page.as_deref().filter(|s| !s.is_empty()) {
            None => 1,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=MAX_PAGE as i64).contains(&n) => n as u32,
                Ok(_) => {
                    return Err(AppError::bad_request(CatalogRefusal::PageOutOfRange {
                        max: MAX_PAGE,
                    }))
                }
                Err(_) => {
                    return Err(AppError::bad_request(CatalogRefusal::PageNotNumber {
                        given: truncate(s),
                    }))
                }
            },
        };
        Ok(Self {
            category: category.to_string(),
            sort,
            min_price,
            max_price,
            in_stock_only,
            page,
        })
    }

    /// Check a query that arrived already structured (from a server function call).
    pub fn validate(self) -> AppResult<Self> {
        let params = self.to_params(self.page);
        Self::parse(&self.category, &params)
    }

    /// The URL parameters for this query at another page (for links).
    pub fn to_params(&self, page: u32) -> ListingParams {
        let price = |m: Option<Minor>| m.map(|v| format!("{}.{:02}", v / 100, v % 100));
        ListingParams {
            sort: Some(self.sort.as_param().to_string()),
            min: price(self.min_price),
            max: price(self.max_price),
            stock: self.in_stock_only.then(|| "in".to_string()),
            page: Some(page.to_string()),
        }
    }

    /// `/c/{category}?...` for the given page; default values are left out.
    pub fn href(&self, page: u32) -> String {
        let p = self.to_params(page);
        let mut parts = Vec::new();
        if self.sort != SortOrder::default() {
            parts.push(format!("sort={}", self.sort.as_param()));
        }
        if let Some(v) = p.min {
            parts.push(format!("min={v}"));
        }
        if let Some(v) = p.max {
            parts.push(format!("max={v}"));
        }
        if self.in_stock_only {
            parts.push("stock=in".to_string());
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            format!("/c/{}", self.category)
        } else {
            format!("/c/{}?{}", self.category, parts.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ListingParams {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        ListingParams {
            sort: get("sort"),
            min: get("min"),
            max: get("max"),
            stock: get("stock"),
            page: get("page"),
        }
    }

    #[test]
    fn defaults_apply() {
        let q = ProductQuery::parse("kitchen", &ListingParams::default()).unwrap();
        assert_eq!(q.page, 1);
        assert_eq!(q.sort, SortOrder::Popular);
        assert_eq!(q.href(1), "/c/kitchen");
    }

    #[test]
    fn malformed_parameters_are_bad_requests() {
        for bad in [
            params(&[("page", "-1")]),
            params(&[("page", "0")]),
            params(&[("page", "x")]),
            params(&[("page", "99999999999999999999")]),
            params(&[("min", "abc")]),
            params(&[("max", "1.234")]),
            params(&[("min", "10"), ("max", "5")]),
            params(&[("sort", "cheapest")]),
            params(&[("stock", "maybe")]),
        ] {
            let err = ProductQuery::parse("kitchen", &bad).unwrap_err();
            assert!(
                matches!(err, AppError::BadRequest(_)),
                "{bad:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn unknown_category_is_not_found() {
        assert!(matches!(
            ProductQuery::parse("nope", &ListingParams::default()),
            Err(AppError::NotFound(_))
        ));
    }

    #[test]
    fn prices_parse_to_minor_units() {
        assert_eq!(parse_price(PriceBound::Min, "12").unwrap(), Some(1200));
        assert_eq!(parse_price(PriceBound::Min, "12.5").unwrap(), Some(1250));
        assert_eq!(parse_price(PriceBound::Min, "£0.05").unwrap(), Some(5));
        assert_eq!(parse_price(PriceBound::Min, " ").unwrap(), None);
        assert!(parse_price(PriceBound::Min, ".").is_err());
    }

    #[test]
    fn href_round_trips() {
        let q = ProductQuery::parse(
            "party",
            &params(&[
                ("sort", "price-asc"),
                ("min", "2"),
                ("stock", "in"),
                ("page", "3"),
            ]),
        )
        .unwrap();
        assert_eq!(
            q.href(4),
            "/c/party?sort=price-asc&min=2.00&stock=in&page=4"
        );
        assert_eq!(q.clone().validate().unwrap(), q);
    }
}
