//! The UI strings of the search, in English and Simplified Chinese (shared
//! strings are `crate::i18n::Key`; refusals' words are in `refusal.rs`).

crate::i18n::translations! {
    pub enum SearchText {
        SearchPlaceholder => "Search the shop", "搜索商品";
        SearchLabel => "Search products", "搜索商品";
        SearchPrompt => "Type what you are looking for above.", "请在上方输入要找的商品。";
        ResultsFor => "Results for", "搜索结果：";
        NoResults => "No products match", "没有找到匹配的商品：";
        DidYouMean => "Did you mean", "你是不是要找";
        TryCategories => "Or browse a category", "或者浏览分类";
        Suggestions => "Suggestions", "搜索建议";
        FacetCategory => "Category", "分类";
        FacetPrice => "Price", "价格";
        ClearFilters => "Clear filters", "清除筛选";
    }
}
