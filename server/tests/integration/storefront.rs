//! The storefront over HTTP: pages, their status codes, and refusals of bad input, through
//! the real router on a fresh database, on both backends.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The first product link of a page.
fn first_product_href(html: &str) -> String {
    let start = html.find("href=\"/p/").expect("a product link") + 6;
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

on_both_backends! {
    async fn home_page_shows_categories_and_feeds(app: TestApp) {
        let (status, html) = app.get("/").await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for id in ["id=\"categories\"", "id=\"best-sellers\"", "id=\"new-arrivals\"", "id=\"recommended\""] {
            assert!(html.contains(id), "missing {id}");
        }
        assert!(count(&html, "class=\"product-card\"") >= 12, "feeds are filled");
        assert!(count(&html, "href=\"/c/") >= 15, "at least 15 categories link");
    }

    async fn category_pages_paginate_with_real_links(app: TestApp) {
        let (status, html) = app.get("/c/kitchen").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(count(&html, "class=\"product-card\""), 24);
        assert!(html.contains("rel=\"next\" href=\"/c/kitchen?page=2\""), "next link");
        let (status, page2) = app.get("/c/kitchen?page=2").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page2.contains("rel=\"prev\""));
        assert_ne!(first_product_href(&html), first_product_href(&page2), "pages differ");
    }

    async fn category_filters_apply(app: TestApp) {
        let (status, html) = app.get("/c/kitchen?sort=price-asc&max=1.00&stock=in").await;
        assert_eq!(status, StatusCode::OK, "{html}");
        // Every price shown on the first page is at most £1.00.
        for part in html.split("class=\"price\">£").skip(1) {
            // Prices group thousands ("£1,234.50").
            let price: f64 = part[..part.find('<').unwrap()]
                .replace(',', "")
                .parse()
                .unwrap();
            assert!(price <= 1.0, "{price}");
        }
    }

    async fn malformed_parameters_get_a_clear_4xx(app: TestApp) {
        for (uri, expected) in [
            ("/c/kitchen?page=-1", StatusCode::BAD_REQUEST),
            ("/c/kitchen?page=abc", StatusCode::BAD_REQUEST),
            ("/c/kitchen?min=abc", StatusCode::BAD_REQUEST),
            ("/c/kitchen?min=5&max=1", StatusCode::BAD_REQUEST),
            ("/c/kitchen?sort=random", StatusCode::BAD_REQUEST),
            ("/c/no-such-category", StatusCode::NOT_FOUND),
            ("/p/NO-SUCH-CODE", StatusCode::NOT_FOUND),
            ("/p/%3Cscript%3E", StatusCode::NOT_FOUND),
            ("/no/such/page", StatusCode::NOT_FOUND),
        ] {
            let (status, html) = app.get(uri).await;
            assert_eq!(status, expected, "{uri}");
            assert!(html.contains("role=\"alert\"") || html.contains("message-page"), "{uri} explains itself");
        }
        let long = format!("/search?q={}", "a".repeat(10_000));
        let (status, html) = app.get(&long).await;
        assert_eq!(status, StatusCode::URI_TOO_LONG);
        assert!(html.contains("too long"));
        let (status, _) = app.get(&format!("/search?q={}", "a".repeat(300))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    async fn product_page_has_seo_data_and_also_bought(app: TestApp) {
        let (_, home) = app.get("/").await;
        let href = first_product_href(&home);
        let (status, html) = app.get(&href).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<title>"), "title");
        assert!(html.contains("name=\"description\""), "meta description");
        assert!(html.contains("property=\"og:title\""), "open graph");
        let ld_start = html.find("application/ld+json").expect("json-ld");
        let json_start = ld_start + html[ld_start..].find('>').unwrap() + 1;
        let json_end = json_start + html[json_start..].find("</script>").unwrap();
        let ld: serde_json::Value = serde_json::from_str(&html[json_start..json_end]).expect("valid JSON-LD");
        assert_eq!(ld["@type"], "Product");
        assert_eq!(ld["offers"]["priceCurrency"], "GBP");
        assert!(html.contains("id=\"also-bought\""), "a best seller has co-purchases");
        assert!(html.contains("width=\"480\" height=\"480\""), "image box is reserved");
    }

    async fn search_tolerates_typos_and_counts_facets(app: TestApp) {
        let (status, html) = app.get("/search?q=lantern").await;
        assert_eq!(status, StatusCode::OK);
        let exact = count(&html, "class=\"product-card\"");
        assert!(exact > 0, "lanterns exist");
        assert!(html.contains("<mark>"), "matches are highlighted");
        assert!(html.contains("id=\"facet-categories\""));
        let (status, typo) = app.get("/search?q=lantren").await;
        assert_eq!(status, StatusCode::OK);
        assert!(count(&typo, "class=\"product-card\"") > 0, "typo still finds lanterns");
        let (status, none) = app.get("/search?q=qqqqzzzz").await;
        assert_eq!(status, StatusCode::OK);
        assert!(none.contains("empty-state"));
    }

    async fn server_functions_map_errors_to_status(app: TestApp) {
        let (status, body) = app.get("/api/suggest?prefix=lant").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.to_lowercase().contains("lant"));
        let (status, _) = app.get("/api/product?code=NOPE").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = app.get("/api/products?query=garbage").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, _) = app.get(&format!("/api/suggest?prefix={}", "x".repeat(500))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    async fn product_images_are_svg(app: TestApp) {
        let (_, home) = app.get("/").await;
        let code = first_product_href(&home).trim_start_matches("/p/").to_string();
        let (status, headers, body) = app
            .request(Request::get(format!("/img/p/{code}.svg")).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
        assert!(body.starts_with("<svg"));
        let (status, _) = app.get("/img/p/NOPE.svg").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn language_and_theme_preferences(app: TestApp) {
        let (status, headers, _) = app
            .request(Request::get("/prefs?lang=zh-CN&theme=dark&back=/c/kitchen").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/c/kitchen");
        let cookies: Vec<_> = headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
        assert!(cookies.iter().any(|c| c.starts_with("lang=zh-CN")));
        let (_, _, html) = app
            .request(Request::get("/").header(header::COOKIE, "lang=zh-CN; theme=dark").body(Body::empty()).unwrap())
            .await;
        assert!(html.contains("lang=\"zh-CN\""));
        assert!(html.contains("data-theme=\"dark\""));
        assert!(html.contains("商品分类"), "Chinese UI strings");
        let (status, headers, _) = app
            .request(Request::get("/prefs?lang=en&back=//evil.example").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/");
        let (status, _) = app.get("/prefs?lang=klingon").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}
