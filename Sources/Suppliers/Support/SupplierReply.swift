/// A supplier's raw reply: HTTP status and body text, read whatever the status.
struct SupplierReply: Sendable {
    /// The HTTP status code.
    var status: Int
    /// The body as text, API key scrubbed.
    var body: String
    /// The `Retry-After` header, when sent.
    var retryAfter: Duration?

    /// The body without surrounding whitespace.
    var trimmed: Substring {
        self.body.trimmingPrefixAndSuffixWhitespace()
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines.
    func trimmingPrefixAndSuffixWhitespace() -> Substring {
        var view = self[...]
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return view
    }
}
