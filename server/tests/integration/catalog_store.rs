//! The catalogue store's queries, called directly on both backends.

use app::catalog::model::{ProductQuery, SortOrder, PAGE_SIZE};
use app::catalog::query::ListingParams;

fn query(category: &str, sort: SortOrder, page: u32) -> ProductQuery {
    ProductQuery {
        sort,
        page,
        ..ProductQuery::parse(category, &ListingParams::default()).unwrap()
    }
}

on_both_backends! {
    async fn every_product_has_a_known_category(app: TestApp) {
        let categories = app.store.categories().await.unwrap();
        assert!(categories.len() >= 15);
        let products: i64 = categories.iter().map(|c| c.product_count).sum();
        assert_eq!(products as usize, app.store.all_products().await.unwrap().len());
        for c in &categories {
            assert!(app::catalog::taxonomy::is_known(&c.slug), "{}", c.slug);
        }
    }

    async fn sorting_orders_and_pages_do_not_overlap(app: TestApp) {
        let p1 = app.store.list_products(&query("kitchen", SortOrder::PriceAsc, 1)).await.unwrap();
        let p2 = app.store.list_products(&query("kitchen", SortOrder::PriceAsc, 2)).await.unwrap();
        assert_eq!(p1.items.len(), PAGE_SIZE as usize);
        assert!(p1.items.windows(2).all(|w| w[0].price_minor <= w[1].price_minor));
        assert!(p1.items.last().unwrap().price_minor <= p2.items[0].price_minor);
        assert!(p2.items.iter().all(|c| !p1.items.contains(c)));
        let desc = app.store.list_products(&query("kitchen", SortOrder::PriceDesc, 1)).await.unwrap();
        assert!(desc.items.windows(2).all(|w| w[0].price_minor >= w[1].price_minor));
        assert_eq!(p1.total, desc.total);
    }

    async fn filters_narrow_the_listing(app: TestApp) {
        let all = app.store.list_products(&query("kitchen", SortOrder::Popular, 1)).await.unwrap();
        let mut q = query("kitchen", SortOrder::Popular, 1);
        q.in_stock_only = true;
        q.min_price = Some(100);
        q.max_price = Some(300);
        let some = app.store.list_products(&q).await.unwrap();
        assert!(some.total < all.total);
        assert!(some.items.iter().all(|c| c.stock > 0 && (100..=300).contains(&c.price_minor)));
    }

    async fn best_sellers_come_from_recent_orders(app: TestApp) {
        let now = app::state::now();
        let recent = app.store.best_sellers(now - 30 * 86_400, 10).await.unwrap();
        assert!(!recent.is_empty(), "the newest orders are a day old");
        let future = app.store.best_sellers(now + 86_400, 10).await.unwrap();
        assert!(future.is_empty());
    }

    async fn product_detail_and_lookup_by_codes(app: TestApp) {
        let all = app.store.all_products().await.unwrap();
        let top = &all[0];
        let detail = app.store.product(&top.code).await.unwrap().expect("exists");
        assert_eq!(&detail.card, top);
        assert!(detail.units_sold > 0);
        assert!(!detail.also_bought.is_empty());
        assert!(detail.also_bought.iter().all(|c| c.code != top.code));
        assert!(app.store.product("NOPE").await.unwrap().is_none());
        let codes = vec![all[2].code.clone(), "NOPE".to_string(), all[1].code.clone()];
        let found = app.store.products_by_codes(&codes).await.unwrap();
        assert_eq!(found.iter().map(|c| c.code.clone()).collect::<Vec<_>>(), vec![all[2].code.clone(), all[1].code.clone()]);
    }

    async fn new_arrivals_are_newest_first(app: TestApp) {
        let list = app.store.new_arrivals(12).await.unwrap();
        assert_eq!(list.len(), 12);
        let mut last = i64::MAX;
        for c in &list {
            let d = app.store.product(&c.code).await.unwrap().unwrap();
            assert!(d.first_sold_at <= last);
            last = d.first_sold_at;
        }
    }
}
