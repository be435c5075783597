import Foundation

/// The one error type of the Suppliers module: what a supplier (or the catalogue) refused, and why.
///
/// Every error keeps the supplier's verbatim reply (with the API key scrubbed) so that escalation evidence can
/// quote it. ``isRetriable`` says whether repeating the *same* request later may succeed; errors that are not
/// retriable need something changed first (another country, supplier, price or key).
public struct SupplierError: Error, Sendable, CustomStringConvertible {
    /// The supplier that answered, as named in its configuration (`"catalogue"` for catalogue errors).
    public var supplier: String
    /// What kind of failure this is.
    public var code: Code
    /// The protocol action that failed (`getNumber`, `buy`, `getStatus` …).
    public var action: String
    /// What went wrong and what to do about it.
    public var message: String
    /// The supplier's reply body, verbatim except for the API key, when there was one.
    public var reply: String?
    /// The HTTP status of the reply, when there was one.
    public var httpStatus: Int?
    /// How long to wait before trying again (rate limits: `Retry-After`; early cancel: the remaining window).
    public var retryAfter: Duration?
    /// For ``Code-swift.struct/earlyCancelDenied``: the minimum age of an activation before it can be cancelled,
    /// when the supplier said so (`{"info":{"minActivationTime":120}}`).
    public var minimumActivationTime: Duration?
    /// For ``Code-swift.struct/banned``: the supplier's "banned until" text, verbatim.
    public var bannedUntil: String?
    /// For ``Code-swift.struct/wrongMaxPrice``: the lowest max price the supplier accepts.
    public var minimumPrice: Decimal?
    /// Where the error was raised.
    public var file: String
    /// Where the error was raised.
    public var line: Int

    /// Creates an error.
    public init(
        supplier: String,
        code: Code,
        action: String,
        message: String,
        reply: String? = nil,
        httpStatus: Int? = nil,
        retryAfter: Duration? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.supplier = supplier
        self.code = code
        self.action = action
        self.message = message
        self.reply = reply
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.file = file
        self.line = line
    }

    /// Whether repeating the same request later may succeed.
    ///
    /// Rate limits, timeouts, transport failures, 5xx replies, database errors, channel limits and early-cancel
    /// refusals are retriable (after ``retryAfter`` when set). A timed-out purchase may still have happened:
    /// reconcile through the active-activations list before buying again.
    public var isRetriable: Bool { self.code.isRetriable }

    public var description: String {
        var text = "\(self.supplier) \(self.action): \(self.code): \(self.message)"
        if let httpStatus { text += " [HTTP \(httpStatus)]" }
        if let reply, !reply.isEmpty { text += " reply: \(Self.abbreviated(reply))" }
        return text
    }

    private static func abbreviated(_ reply: String) -> String {
        reply.count <= 300 ? reply : String(reply.prefix(300)) + "…"
    }
}
