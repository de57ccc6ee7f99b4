//! The engine against a small gift-shop catalogue (titles in the style of the real data).

use super::*;

/// (code, title, category, price in pence), in "popularity" order.
const FIXTURE: &[(&str, &str, &str, i64)] = &[
    (
        "85123A",
        "White Hanging Heart T-Light Holder",
        "lighting",
        255,
    ),
    ("71053", "White Metal Lantern", "lighting", 339),
    ("84406B", "Cream Cupid Hearts Coat Hanger", "storage", 275),
    (
        "84029G",
        "Knitted Union Flag Hot Water Bottle",
        "textiles",
        339,
    ),
    ("84029E", "Red Woolly Hottie White Heart", "home-decor", 339),
    ("22752", "Set 7 Babushka Nesting Boxes", "storage", 765),
    (
        "21730",
        "Glass Star Frosted T-Light Holder",
        "lighting",
        425,
    ),
    ("22633", "Hand Warmer Union Jack", "bathroom", 185),
    ("22632", "Hand Warmer Red Polka Dot", "bathroom", 185),
    ("84879", "Assorted Colour Bird Ornament", "garden", 169),
    ("22745", "Poppy's Playhouse Bedroom", "toys", 210),
    ("22748", "Poppy's Playhouse Kitchen", "toys", 210),
    ("22749", "Feltcraft Princess Charlotte Doll", "toys", 375),
    ("22310", "Ivory Knitted Mug Cosy", "kitchen", 165),
    (
        "84969",
        "Box Of 6 Assorted Colour Teaspoons",
        "kitchen",
        425,
    ),
    ("22623", "Box Of Vintage Jigsaw Blocks", "toys", 495),
    ("22622", "Box Of Vintage Alphabet Blocks", "toys", 995),
    ("21754", "Home Building Block Word", "toys", 595),
    ("21777", "Recipe Box With Metal Heart", "kitchen", 795),
    ("48187", "Doormat New England", "textiles", 795),
    ("22960", "Jam Making Set With Jars", "kitchen", 425),
    ("22913", "Red Coat Rack Paris Fashion", "storage", 495),
    ("22912", "Yellow Coat Rack Paris Fashion", "storage", 495),
    ("22914", "Blue Coat Rack Paris Fashion", "storage", 495),
    ("22423", "Regency Cakestand 3 Tier", "kitchen", 1275),
    ("85099B", "Jumbo Bag Red Retrospot", "bags", 195),
    ("85099F", "Jumbo Bag Strawberry", "bags", 195),
    ("20725", "Lunch Bag Red Retrospot", "bags", 165),
    ("20728", "Lunch Bag Cars Blue", "bags", 165),
    ("22383", "Lunch Bag Suki Design", "bags", 165),
    ("22382", "Lunch Bag Spaceboy Design", "bags", 165),
    ("47566", "Party Bunting", "party", 495),
    ("21212", "Pack Of 72 Retrospot Cake Cases", "party", 55),
    ("84991", "60 Teatime Fairy Cake Cases", "party", 55),
    ("22086", "Paper Chain Kit 50's Christmas", "christmas", 295),
    (
        "22910",
        "Paper Chain Kit Vintage Christmas",
        "christmas",
        295,
    ),
    ("23084", "Rabbit Night Light", "lighting", 208),
    ("22197", "Small Popcorn Holder", "storage", 85),
    ("21731", "Red Toadstool LED Night Light", "lighting", 165),
    ("22469", "Heart Of Wicker Small", "home-decor", 165),
    ("22470", "Heart Of Wicker Large", "home-decor", 295),
    ("23298", "Spotty Bunting", "party", 495),
    ("22720", "Set Of 3 Cake Tins Pantry Design", "kitchen", 495),
    ("22699", "Roses Regency Teacup And Saucer", "kitchen", 295),
    ("22697", "Green Regency Teacup And Saucer", "kitchen", 295),
    ("22138", "Baking Set 9 Piece Retrospot", "kitchen", 495),
    ("23203", "Jumbo Bag Vintage Doily", "bags", 208),
    ("79321", "Chilli Lights", "lighting", 565),
    ("22178", "Victorian Glass Hanging T-Light", "lighting", 125),
    ("22804", "Candleholder Pink Hanging Heart", "lighting", 295),
    ("84946", "Antique Silver T-Light Glass", "lighting", 125),
    ("22502", "Picnic Basket Wicker Small", "kitchen", 595),
    ("22839", "3 Tier Cake Tin Green And Cream", "kitchen", 1495),
    ("22655", "Vintage Red Kitchen Cabinet", "kitchen", 12500),
    ("21071", "Vintage Billboard Drink Me Mug", "kitchen", 125),
    ("22379", "Recycling Bag Retrospot", "bags", 210),
    ("47590B", "Pink Happy Birthday Bunting", "party", 545),
    ("22464", "Hanging Metal Heart Lantern", "lighting", 165),
    (
        "21523",
        "Doormat Fancy Font Home Sweet Home",
        "textiles",
        795,
    ),
    ("22427", "Crème Enamel Flower Jug", "kitchen", 595),
];

fn cards(rows: &[(&str, &str, &str, i64)]) -> Vec<ProductCard> {
    rows.iter()
        .map(|&(code, title, category, price_minor)| ProductCard {
            code: code.to_string(),
            title: title.to_string(),
            category: category.to_string(),
            price_minor,
            stock: 10,
        })
        .collect()
}

fn engine() -> CatalogSearch {
    CatalogSearch::build(&cards(FIXTURE)).expect("index builds")
}

fn req(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        category: None,
        price_band: None,
    }
}

fn titles(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.card.title.as_str()).collect()
}

fn marked(hit: &SearchHit) -> Vec<&str> {
    hit.title_highlighted
        .iter()
        .filter(|(_, m)| *m)
        .map(|(s, _)| s.as_str())
        .collect()
}

fn facet_sum(facets: &[FacetCount]) -> u64 {
    facets.iter().map(|f| f.count).sum()
}

#[test]
fn the_engine_is_shareable_between_tasks() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<CatalogSearch>();
}

#[test]
fn exact_word_finds_and_highlights() {
    let r = engine().search(&req("lantern")).unwrap();
    assert_eq!(
        titles(&r),
        ["White Metal Lantern", "Hanging Metal Heart Lantern"]
    );
    assert_eq!(r.total, 2);
    assert_eq!(marked(&r.hits[0]), ["Lantern"]);
}

#[test]
fn typos_are_tolerated() {
    let e = engine();
    let r = e.search(&req("lantren")).unwrap();
    assert_eq!(
        titles(&r),
        ["White Metal Lantern", "Hanging Metal Heart Lantern"]
    );
    assert_eq!(marked(&r.hits[0]), ["Lantern"]);

    let r = e.search(&req("regency cakestnad")).unwrap();
    assert_eq!(titles(&r), ["Regency Cakestand 3 Tier"]);
    assert_eq!(marked(&r.hits[0]), ["Regency", "Cakestand"]);

    // Two typos in a long word.
    let r = e.search(&req("retrsopto")).unwrap();
    assert!(r.total >= 5, "{:?}", titles(&r));
    assert!(r.hits.iter().all(|h| h.card.title.contains("Retrospot")));

    // Short words must be spelled right: "bga" is not "bag" (too many false friends).
    assert_eq!(e.search(&req("bga")).unwrap().total, 0);
}

#[test]
fn exact_matches_rank_above_typo_matches() {
    // "rack" is within one edit of "jack": the coat racks come first, the Union Jack after.
    let r = engine().search(&req("rack")).unwrap();
    let t = titles(&r);
    assert_eq!(
        &t[..3],
        [
            "Red Coat Rack Paris Fashion",
            "Yellow Coat Rack Paris Fashion",
            "Blue Coat Rack Paris Fashion"
        ]
    );
    assert!(t.contains(&"Hand Warmer Union Jack"), "{t:?}");
    let jack = r
        .hits
        .iter()
        .find(|h| h.card.title == "Hand Warmer Union Jack")
        .unwrap();
    assert_eq!(marked(jack), ["Jack"]);
}

#[test]
fn stemming_matches_word_forms() {
    let e = engine();
    let r = e.search(&req("hearts")).unwrap();
    assert!(r.total >= 6);
    let first = &r.hits[0];
    assert!(first.card.title.contains("Heart"));
    let hanging = e.search(&req("hang")).unwrap();
    assert!(titles(&hanging).contains(&"White Hanging Heart T-Light Holder"));
    // Accents are folded both ways.
    assert_eq!(
        titles(&e.search(&req("creme jug")).unwrap()),
        ["Crème Enamel Flower Jug"]
    );
    assert_eq!(
        titles(&e.search(&req("CRÈME")).unwrap()),
        ["Crème Enamel Flower Jug"]
    );
}

#[test]
fn the_last_word_matches_as_a_prefix() {
    let e = engine();
    let r = e.search(&req("lant")).unwrap();
    assert_eq!(
        titles(&r),
        ["White Metal Lantern", "Hanging Metal Heart Lantern"]
    );
    assert_eq!(marked(&r.hits[0]), ["Lantern"]);

    let r = e.search(&req("lunch bag spa")).unwrap();
    assert_eq!(titles(&r), ["Lunch Bag Spaceboy Design"]);
    assert_eq!(marked(&r.hits[0]), ["Lunch", "Bag", "Spaceboy"]);

    // Only the last word is a prefix.
    assert_eq!(e.search(&req("lant metal")).unwrap().total, 0);
}

#[test]
fn every_word_must_match_but_stop_words_are_optional() {
    let e = engine();
    let r = e.search(&req("red retrospot")).unwrap();
    assert_eq!(
        titles(&r),
        ["Jumbo Bag Red Retrospot", "Lunch Bag Red Retrospot"]
    );
    let r = e.search(&req("the box of vintage blocks")).unwrap();
    assert_eq!(
        titles(&r),
        [
            "Box Of Vintage Jigsaw Blocks",
            "Box Of Vintage Alphabet Blocks"
        ]
    );
    assert_eq!(marked(&r.hits[0]), ["Box", "Of", "Vintage", "Blocks"]);
}

#[test]
fn category_words_match_too() {
    let r = engine().search(&req("decor")).unwrap();
    assert_eq!(r.total, 3);
    assert!(r.hits.iter().all(|h| h.card.category == "home-decor"));
    // Nothing in the title matched: nothing highlighted, and the runs are the whole title.
    assert_eq!(
        r.hits[0].title_highlighted,
        vec![(r.hits[0].card.title.clone(), false)]
    );
}

#[test]
fn product_codes_match_exactly_and_first() {
    let e = engine();
    for q in ["85123A", "85123a", " 85123A "] {
        let r = e.search(&req(q)).unwrap();
        assert_eq!(r.hits[0].card.code, "85123A", "{q}");
        assert_eq!(r.total, 1);
        assert!(r.did_you_mean.is_empty());
    }
    // Codes with separators are matched whole, too.
    let e = CatalogSearch::build(&cards(&[(
        "GIFT_0001_40",
        "Dotcomgiftshop Gift Voucher £40.00",
        "other",
        3334,
    )]))
    .unwrap();
    let r = e.search(&req("gift_0001_40")).unwrap();
    assert_eq!(r.total, 1);
    assert!(r.did_you_mean.is_empty());
}

#[test]
fn equally_relevant_hits_keep_input_order_and_the_page_is_capped() {
    let mut rows: Vec<(String, String)> = (0..60)
        .map(|i| (format!("T{i:03}"), format!("Gift Tin Number {i}")))
        .collect();
    rows.reverse();
    let products: Vec<ProductCard> = rows
        .iter()
        .map(|(code, title)| ProductCard {
            code: code.clone(),
            title: title.clone(),
            category: "storage".into(),
            price_minor: 100,
            stock: 1,
        })
        .collect();
    let e = CatalogSearch::build(&products).unwrap();
    let r = e.search(&req("gift tin")).unwrap();
    assert_eq!(r.total, 60);
    assert_eq!(r.hits.len(), SEARCH_PAGE_SIZE);
    let codes: Vec<&str> = r.hits.iter().map(|h| h.card.code.as_str()).collect();
    let expected: Vec<&str> = products[..SEARCH_PAGE_SIZE]
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(codes, expected);
    assert_eq!(
        r.categories,
        vec![FacetCount {
            value: "storage".into(),
            count: 60
        }]
    );
    assert_eq!(
        r.price_bands,
        vec![FacetCount {
            value: "0-2".into(),
            count: 60
        }]
    );
}

#[test]
fn facet_counts_cover_all_matches() {
    let e = engine();
    for q in ["bag", "heart", "retrospot", "set", "vintage"] {
        let r = e.search(&req(q)).unwrap();
        assert!(r.total > 0, "{q}");
        assert_eq!(facet_sum(&r.categories), r.total, "{q}");
        assert_eq!(facet_sum(&r.price_bands), r.total, "{q}");
        assert!(
            r.categories.windows(2).all(|w| w[0].count >= w[1].count),
            "{q}"
        );
    }
    let r = e.search(&req("retrospot")).unwrap();
    assert_eq!(r.total, 5);
    assert_eq!(
        r.categories,
        vec![
            FacetCount {
                value: "bags".into(),
                count: 3
            },
            FacetCount {
                value: "kitchen".into(),
                count: 1
            },
            FacetCount {
                value: "party".into(),
                count: 1
            },
        ]
    );
    assert_eq!(
        r.price_bands,
        vec![
            FacetCount {
                value: "0-2".into(),
                count: 3
            },
            FacetCount {
                value: "2-5".into(),
                count: 2
            }
        ]
    );
}

#[test]
fn category_filter_narrows_hits_and_band_counts() {
    let e = engine();
    let all = e.search(&req("retrospot")).unwrap();
    let r = e
        .search(&SearchRequest {
            category: Some("bags".into()),
            ..req("retrospot")
        })
        .unwrap();
    assert_eq!(r.total, 3);
    assert!(r.hits.iter().all(|h| h.card.category == "bags"));
    // Band counts follow the category filter...
    assert_eq!(facet_sum(&r.price_bands), r.total);
    // ...category counts do not (the shopper sees what the other categories hold).
    assert_eq!(r.categories, all.categories);
}

#[test]
fn price_band_filter_narrows_hits_and_category_counts() {
    let e = engine();
    let all = e.search(&req("retrospot")).unwrap();
    let r = e
        .search(&SearchRequest {
            price_band: Some("0-2".into()),
            ..req("retrospot")
        })
        .unwrap();
    assert!(r.total > 0 && r.total < all.total);
    assert!(r.hits.iter().all(|h| h.card.price_minor < 200));
    assert_eq!(facet_sum(&r.categories), r.total);
    assert_eq!(r.price_bands, all.price_bands);

    // Both filters at once.
    let r = e
        .search(&SearchRequest {
            category: Some("bags".into()),
            price_band: Some("2-5".into()),
            ..req("retrospot")
        })
        .unwrap();
    assert_eq!(titles(&r), ["Recycling Bag Retrospot"]);
}

#[test]
fn a_selected_facet_value_stays_listed_even_when_empty() {
    let e = engine();
    let r = e
        .search(&SearchRequest {
            price_band: Some("25+".into()),
            ..req("lantern")
        })
        .unwrap();
    assert_eq!(r.total, 0);
    assert!(r.price_bands.contains(&FacetCount {
        value: "25+".into(),
        count: 0
    }));
    // A taxonomy category without products is valid and finds nothing.
    let r = e
        .search(&SearchRequest {
            category: Some("jewellery".into()),
            ..req("heart")
        })
        .unwrap();
    assert_eq!(r.total, 0);
    assert!(r.categories.contains(&FacetCount {
        value: "jewellery".into(),
        count: 0
    }));
}

#[test]
fn invalid_filters_are_bad_requests_and_empty_filters_are_none() {
    let e = engine();
    for request in [
        SearchRequest {
            price_band: Some("3-4".into()),
            ..req("bag")
        },
        SearchRequest {
            category: Some("no-such-thing".into()),
            ..req("bag")
        },
        SearchRequest {
            category: Some("bags\"; DROP".into()),
            ..req("")
        },
    ] {
        assert!(
            matches!(e.search(&request), Err(AppError::BadRequest(_))),
            "{request:?}"
        );
    }
    let r = e
        .search(&SearchRequest {
            category: Some(" ".into()),
            price_band: Some(String::new()),
            ..req("bag")
        })
        .unwrap();
    assert_eq!(r.total, e.search(&req("bag")).unwrap().total);
}

#[test]
fn highlight_runs_rebuild_the_title() {
    let e = engine();
    let r = e.search(&req("white hanging heart")).unwrap();
    let hit = r.hits.iter().find(|h| h.card.code == "85123A").unwrap();
    assert_eq!(
        hit.title_highlighted,
        vec![
            ("White".to_string(), true),
            (" ".to_string(), false),
            ("Hanging".to_string(), true),
            (" ".to_string(), false),
            ("Heart".to_string(), true),
            (" T-Light Holder".to_string(), false),
        ]
    );
    for q in [
        "white hanging heart",
        "t-light",
        "lantren",
        "cake",
        "poppy's",
    ] {
        for hit in e.search(&req(q)).unwrap().hits {
            let joined: String = hit
                .title_highlighted
                .iter()
                .map(|(s, _)| s.as_str())
                .collect();
            assert_eq!(joined, hit.card.title, "{q}");
            assert!(
                hit.title_highlighted.iter().any(|(_, m)| *m),
                "{q}: {:?}",
                hit.card.title
            );
        }
    }
}

#[test]
fn did_you_mean_offers_corrections_when_nothing_matched() {
    let e = engine();
    let r = e.search(&req("lnatren")).unwrap();
    assert_eq!(r.total, 0);
    assert_eq!(r.did_you_mean.first().map(String::as_str), Some("lantern"));

    let r = e.search(&req("jumbo bga")).unwrap();
    assert_eq!(r.total, 0);
    assert_eq!(
        r.did_you_mean.first().map(String::as_str),
        Some("jumbo bag")
    );

    // Words that exist but never meet: offers the query minus a word, never the query itself.
    let r = e.search(&req("Spaceboy Cabinet")).unwrap();
    assert_eq!(r.total, 0);
    assert!(!r.did_you_mean.is_empty());
    assert!(r.did_you_mean.len() <= 3);
    assert!(
        r.did_you_mean.iter().all(|s| s != "spaceboy cabinet"),
        "{:?}",
        r.did_you_mean
    );

    // Nothing resembles it: no suggestion rather than a bad one.
    assert!(e.search(&req("zzzzqqq")).unwrap().did_you_mean.is_empty());
    // Plenty of hits: no suggestion.
    assert!(e.search(&req("bag")).unwrap().did_you_mean.is_empty());
}

#[test]
fn every_did_you_mean_finds_something() {
    let e = engine();
    for q in [
        "lnatren",
        "jumbo bga",
        "retrspto bga",
        "cakstnad",
        "popcron holdr",
        "chrstmas",
    ] {
        let r = e.search(&req(q)).unwrap();
        for s in &r.did_you_mean {
            assert_ne!(s, q);
            assert!(e.search(&req(s)).unwrap().total > r.total, "{q} -> {s}");
        }
    }
}

#[test]
fn empty_and_hostile_queries_never_fail() {
    let e = engine();
    for q in [
        "",
        "   ",
        "\"(:+-*",
        "\"",
        "title:lantern",
        "[1 TO 2]",
        "+-+- &&|| !",
        "\"unclosed",
        "圣诞 灯",
        "\u{0}\u{7f}",
        "🎄🎄",
    ] {
        let r = e
            .search(&req(q))
            .unwrap_or_else(|err| panic!("{q:?}: {err:?}"));
        assert_eq!(r.total, 0, "{q:?}");
        assert!(r.hits.is_empty());
        assert!(e.suggest(q, 8).is_ok(), "{q:?}");
    }
    // Syntax characters around real words are just separators.
    assert_eq!(e.search(&req("\"lantern\"")).unwrap().total, 2);
    assert_eq!(e.search(&req("+white -metal (lantern)")).unwrap().total, 1);
    assert_eq!(e.search(&req("🎄 lantern")).unwrap().total, 2);
    // Very long single tokens are dropped rather than turned into huge automata.
    let long_word = "a".repeat(MAX_QUERY_CHARS);
    assert_eq!(e.search(&req(&long_word)).unwrap().total, 0);
    let many_words = "lantern ".repeat(MAX_QUERY_CHARS / 8);
    assert!(many_words.chars().count() <= MAX_QUERY_CHARS);
    assert_eq!(e.search(&req(&many_words)).unwrap().total, 2);
}

#[test]
fn overlong_queries_are_bad_requests() {
    let e = engine();
    let huge = "x".repeat(10_000);
    assert!(matches!(
        e.search(&req(&huge)),
        Err(AppError::BadRequest(_))
    ));
    assert!(matches!(e.suggest(&huge, 8), Err(AppError::BadRequest(_))));
    // The limit counts characters, not bytes.
    let wide = "灯".repeat(MAX_QUERY_CHARS);
    assert!(e.search(&req(&wide)).is_ok());
    let wider = "灯".repeat(MAX_QUERY_CHARS + 1);
    assert!(matches!(
        e.search(&req(&wider)),
        Err(AppError::BadRequest(_))
    ));
}

#[test]
fn suggest_completes_titles() {
    let e = engine();
    assert_eq!(
        e.suggest("lant", 8).unwrap(),
        ["White Metal Lantern", "Hanging Metal Heart Lantern"]
    );
    let s = e.suggest("lunch bag s", 8).unwrap();
    assert_eq!(s, ["Lunch Bag Suki Design", "Lunch Bag Spaceboy Design"]);
    let s = e.suggest("bag", 3).unwrap();
    assert_eq!(s.len(), 3);
    assert!(s.iter().all(|t| t.contains("Bag")), "{s:?}");
    assert!(e.suggest("", 8).unwrap().is_empty());
    assert!(e.suggest(" \t ", 8).unwrap().is_empty());
    assert!(e.suggest("lant", 0).unwrap().is_empty());
    assert!(e.suggest("qqqq", 8).unwrap().is_empty());
}

#[test]
fn suggest_tolerates_typos_from_four_characters() {
    let e = engine();
    let s = e.suggest("lnuch", 8).unwrap();
    assert!(
        s.len() >= 4 && s.iter().take(4).all(|t| t.starts_with("Lunch Bag")),
        "{s:?}"
    );
    // Exact completions come before typo-tolerant ones.
    let s = e.suggest("heart", 20).unwrap();
    let first_without = s
        .iter()
        .position(|t| !t.contains("Heart"))
        .unwrap_or(s.len());
    assert!(
        s[first_without..].iter().all(|t| !t.contains("Heart")),
        "{s:?}"
    );
}

#[test]
fn suggest_deduplicates_titles() {
    let products = cards(&[
        ("A1", "Party Bunting", "party", 495),
        ("A2", "PARTY BUNTING", "party", 495),
        ("A3", "Spotty Bunting", "party", 495),
    ]);
    let e = CatalogSearch::build(&products).unwrap();
    assert_eq!(
        e.suggest("bunt", 8).unwrap(),
        ["Party Bunting", "Spotty Bunting"]
    );
}

#[test]
fn an_empty_catalogue_searches_fine() {
    let e = CatalogSearch::build(&[]).unwrap();
    let r = e.search(&req("lantern")).unwrap();
    assert_eq!(r.total, 0);
    assert!(r.did_you_mean.is_empty());
    assert!(e.suggest("lant", 8).unwrap().is_empty());
}

#[test]
fn concurrent_searches_agree() {
    let e = engine();
    let expected = e.search(&req("heart")).unwrap();
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..20 {
                    assert_eq!(e.search(&req("heart")).unwrap(), expected);
                    assert!(!e.suggest("lant", 8).unwrap().is_empty());
                }
            });
        }
    });
}
