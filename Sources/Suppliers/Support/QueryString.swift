import Foundation

/// Builds `a=1&b=2` with every value percent-encoded (`+`, `&` and `=` included).
enum QueryString {
    private static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// The encoded query for these pairs; nil values are left out.
    static func encode(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in
            value.map { "\(Self.escape(name))=\(Self.escape($0))" }
        }.joined(separator: "&")
    }

    /// One percent-encoded component.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? text
    }
}
