extension Layout {
    /// A search's results: the failure, the empty message (`nothing`), or "N shown, newest first" and a scrolling
    /// table (`id="results"`) with the `header` cells and one row per item. Every list page renders its results here.
    static func results<Item>(
        _ listed: Result<[Item], Overview.Failure>, nothing: String, header: HTML, row: (Item) -> HTML
    ) -> HTML {
        switch listed {
        case .failure(let failure):
            return "<p class=\"error\">\(failure.message)</p>"
        case .success(let items) where items.isEmpty:
            return "<p class=\"muted\" id=\"no-results\">\(nothing)</p>"
        case .success(let items):
            return """
                <p class="muted">\(items.count) shown, newest first</p>
                <div class="scroll"><table id="results"><thead><tr>\(header)</tr></thead><tbody>\(items.map(row))</tbody></table></div>
                """
        }
    }
}
