/// A supplier API key or token that never shows itself.
///
/// Its `description` and `debugDescription` are `<redacted>`, so interpolating it into a log line or an error
/// message cannot leak it. Read the value only where the request is built.
public struct SupplierAPIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key itself; use only to build a request.
    public let value: String

    /// Wraps a key.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
