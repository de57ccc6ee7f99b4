//! Product images: a small SVG drawn from the product's data, so every product has a
//! picture without shipping thousands of files. The shape comes from the category, the
//! colour from the first colour word of the title (else from the product code), so the
//! same product always gets the same picture.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use app::catalog::model::ProductCard;
use app::state::AppState;

const COLOUR_WORDS: &[(&str, &str)] = &[
    ("RED", "#c0392b"),
    ("PINK", "#e07a9a"),
    ("BLUE", "#2e6fbd"),
    ("GREEN", "#3e8e41"),
    ("YELLOW", "#e0b400"),
    ("ORANGE", "#e07b20"),
    ("PURPLE", "#7d4ca3"),
    ("BLACK", "#2b2b2b"),
    ("WHITE", "#f2efe8"),
    ("CREAM", "#efe3c6"),
    ("IVORY", "#f4eedb"),
    ("GOLD", "#c9a13b"),
    ("SILVER", "#a9b0b7"),
    ("GREY", "#8a8f94"),
    ("GRAY", "#8a8f94"),
    ("BROWN", "#7a5233"),
    ("TURQUOISE", "#2bb3a8"),
    ("LILAC", "#b59dd6"),
    ("IVY", "#4d7a3a"),
    ("NATURAL", "#d8c7a3"),
    ("COPPER", "#b8733b"),
    ("AQUA", "#4fc3d9"),
    ("ROSE", "#d56b86"),
    ("MINT", "#8fd3b6"),
];

/// A pleasant fallback palette, picked by a hash of the product code.
const PALETTE: &[&str] = &[
    "#8a3b12", "#2e6fbd", "#3e8e41", "#7d4ca3", "#c0392b", "#2bb3a8", "#c9a13b", "#e07a9a",
];

pub fn colour_for(card: &ProductCard) -> &'static str {
    let upper = card.title.to_uppercase();
    for word in upper.split(|c: char| !c.is_ascii_alphabetic()) {
        if let Some((_, hex)) = COLOUR_WORDS.iter().find(|(w, _)| *w == word) {
            return hex;
        }
    }
    let hash = card
        .code
        .bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    PALETTE[hash as usize % PALETTE.len()]
}

/// The category's glyph, drawn in a 240×240 box.
fn glyph(category: &str, colour: &str) -> String {
    let c = colour;
    match category {
        "christmas" => format!(
            r##"<path d="M120 40 L170 120 H145 L180 175 H60 L95 120 H70 Z" fill="{c}"/><rect x="110" y="175" width="20" height="25" fill="#6b4423"/>"##
        ),
        "seasonal" => format!(
            r##"<ellipse cx="120" cy="128" rx="52" ry="68" fill="{c}"/><path d="M72 120 Q120 100 168 120" stroke="#fff" stroke-width="6" fill="none"/>"##
        ),
        "party" => format!(
            r##"<path d="M40 60 L200 60 L180 80 L160 60 L140 80 L120 60 L100 80 L80 60 L60 80 Z" fill="{c}"/><circle cx="90" cy="150" r="28" fill="{c}"/><circle cx="150" cy="140" r="32" fill="{c}" opacity=".7"/>"##
        ),
        "lighting" => format!(
            r##"<rect x="95" y="90" width="50" height="100" rx="6" fill="{c}"/><path d="M120 45 Q138 70 120 85 Q102 70 120 45 Z" fill="#f5b82e"/>"##
        ),
        "kitchen" => format!(
            r##"<path d="M60 90 H160 V160 Q160 190 130 190 H90 Q60 190 60 160 Z" fill="{c}"/><path d="M160 105 Q195 110 160 150" stroke="{c}" stroke-width="12" fill="none"/>"##
        ),
        "bags" => format!(
            r##"<rect x="55" y="95" width="130" height="105" rx="10" fill="{c}"/><path d="M90 95 Q90 50 120 50 Q150 50 150 95" stroke="{c}" stroke-width="10" fill="none"/>"##
        ),
        "stationery" => format!(
            r##"<rect x="65" y="50" width="110" height="140" rx="6" fill="{c}"/><path d="M85 85 H155 M85 110 H155 M85 135 H140" stroke="#fff" stroke-width="6"/>"##
        ),
        "gift-wrap" => format!(
            r##"<rect x="55" y="90" width="130" height="100" fill="{c}"/><rect x="112" y="90" width="16" height="100" fill="#fff"/><path d="M120 90 Q90 55 80 80 Q90 95 120 90 Q150 55 160 80 Q150 95 120 90" fill="#fff"/>"##
        ),
        "toys" | "kids" => format!(
            r##"<circle cx="120" cy="125" r="60" fill="{c}"/><circle cx="100" cy="115" r="8" fill="#fff"/><circle cx="140" cy="115" r="8" fill="#fff"/><path d="M95 145 Q120 165 145 145" stroke="#fff" stroke-width="6" fill="none"/>"##
        ),
        "garden" => format!(
            r##"<path d="M120 190 V110" stroke="#3e8e41" stroke-width="8"/><circle cx="120" cy="85" r="30" fill="{c}"/><path d="M80 190 H160 L150 160 H90 Z" fill="#a0522d"/>"##
        ),
        "jewellery" => format!(
            r##"<circle cx="120" cy="130" r="50" stroke="{c}" stroke-width="14" fill="none"/><path d="M120 55 L135 75 L120 95 L105 75 Z" fill="{c}"/>"##
        ),
        "storage" => format!(
            r##"<rect x="50" y="80" width="140" height="110" rx="4" fill="{c}"/><rect x="45" y="65" width="150" height="25" rx="4" fill="{c}" opacity=".8"/>"##
        ),
        "bathroom" => format!(
            r##"<rect x="60" y="110" width="120" height="60" rx="30" fill="{c}"/><circle cx="90" cy="85" r="12" fill="{c}" opacity=".6"/><circle cx="120" cy="70" r="9" fill="{c}" opacity=".5"/>"##
        ),
        "textiles" => format!(
            r##"<rect x="55" y="60" width="130" height="130" rx="24" fill="{c}"/><path d="M55 125 H185 M120 60 V190" stroke="#fff" stroke-width="4" opacity=".6"/>"##
        ),
        "wall-decor" => format!(
            r##"<rect x="55" y="55" width="130" height="130" fill="none" stroke="{c}" stroke-width="14"/><path d="M75 165 L110 120 L135 145 L150 130 L170 165 Z" fill="{c}"/>"##
        ),
        "home-decor" => format!(
            r##"<path d="M120 190 C40 130 60 60 120 95 C180 60 200 130 120 190 Z" fill="{c}"/>"##
        ),
        _ => format!(r##"<rect x="70" y="70" width="100" height="100" rx="12" fill="{c}"/>"##),
    }
}

pub fn product_svg(card: &ProductCard) -> String {
    let colour = colour_for(card);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240" role="img"><rect width="240" height="240" fill="#f6f1ea"/><rect x="8" y="8" width="224" height="224" rx="16" fill="{colour}" opacity=".12"/>{}</svg>"##,
        glyph(&card.category, colour)
    )
}

/// `GET /img/p/{code}.svg`
pub async fn product_image(
    Extension(state): Extension<AppState>,
    Path(file): Path<String>,
) -> Response {
    let Some(code) = file.strip_suffix(".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if app::catalog::service::check_code(code).is_err() {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.store.products_by_codes(&[code.to_string()]).await {
        Ok(cards) => match cards.first() {
            Some(card) => (
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CACHE_CONTROL, "public, max-age=86400"),
                ],
                product_svg(card),
            )
                .into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(code: &str, title: &str, category: &str) -> ProductCard {
        ProductCard {
            code: code.into(),
            title: title.into(),
            category: category.into(),
            price_minor: 100,
            stock: 1,
        }
    }

    #[test]
    fn colour_words_pick_the_colour() {
        assert_eq!(
            colour_for(&card("1", "Jumbo Bag Red Retrospot", "bags")),
            "#c0392b"
        );
        assert_eq!(
            colour_for(&card("1", "Pink Cherry Lights", "lighting")),
            "#e07a9a"
        );
    }

    #[test]
    fn images_are_deterministic_and_sized() {
        let c = card("85123A", "White Hanging Heart T-Light Holder", "lighting");
        let a = product_svg(&c);
        assert_eq!(a, product_svg(&c));
        assert!(a.contains(r#"width="240" height="240""#));
    }
}
