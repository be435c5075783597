import Foundation

/// The fields of a query string or an `application/x-www-form-urlencoded` body: `+` is a space, `%XX` a byte;
/// the first value of a name wins. Blank values count as absent, so an empty filter box filters nothing.
public struct FormFields: Sendable, Hashable {
    private var values: [String: String] = [:]

    /// Parses `a=1&b=two+words`.
    public init(_ encoded: String?) {
        for pair in (encoded ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if values[name] == nil { values[name] = value }
        }
    }

    /// The field's value, trimmed; nil when absent or blank.
    public subscript(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
