import Foundation

/// Renders the untrusted bytes of a dead letter (payload, key, header values) safely for a terminal or a page.
///
/// Dead letters are whatever a producer sent: bytes that are not UTF-8, terminal escape sequences, megabytes,
/// and possibly a credential put in the wrong place. So valid UTF-8 is shown as text, every other byte as
/// `\xNN`, control characters (ESC included) as `\u{NN}` (newline and tab stay), values of fields named like a
/// secret (`api_key`, `token`, `secret`, `password`, `authorization`) as `***` — in JSON and in `name=value`
/// text, even when the JSON is cut off — and the result is capped.
public enum DeadLetterText {
    /// The default cap on a rendered payload, in characters. Default: 4,096.
    public static let defaultLimit = 4_096

    /// The bytes as safe text, at most `limit` characters of it, then a note of what was left out.
    public static func render(_ bytes: Data, limit: Int = defaultLimit) -> String {
        let text = mask(escaped(bytes))
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.count - limit) more characters, \(bytes.count) bytes in all)"
    }

    /// Whether a field or header named `name` holds a secret.
    public static func isSecret(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretNames.contains { lowered.contains($0) }
    }

    private static let secretNames = ["api_key", "apikey", "api-key", "token", "secret", "password", "authorization"]

    /// Valid UTF-8 as it is, other bytes as `\xNN`, control characters as `\u{NN}`.
    static func escaped(_ bytes: Data) -> String {
        let bytes = [UInt8](bytes)
        var out = ""
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes[index])
            if length > 0, index + length <= bytes.count,
                let scalarText = String(validating: bytes[index..<index + length], as: UTF8.self)
            {
                for scalar in scalarText.unicodeScalars { out += printable(scalar) }
                index += length
            } else {
                out += String(format: "\\x%02X", bytes[index])
                index += 1
            }
        }
        return out
    }

    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    private static func printable(_ scalar: Unicode.Scalar) -> String {
        if scalar == "\n" || scalar == "\t" { return String(scalar) }
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
            return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
        return String(scalar)
    }

    /// Replaces the values of secret-named JSON fields and `name=value` pairs with `***`.
    static func mask(_ text: String) -> String {
        let names = #"[^"\\]*(?:api[_-]?key|token|secret|password|authorization)[^"\\]*"#
        let patterns = [
            // "api_key": "value" (or a number, or a string cut off at the end of the payload).
            (#"("\#(names)"\s*:\s*)(?:"(?:[^"\\]|\\.)*(?:"|$)|[^\s,}\]]+)"#, "$1\"***\""),
            // api_key=value in query strings and form bodies.
            (#"\b([A-Za-z_-]*(?:api[_-]?key|token|secret|password)=)[^&\s"]+"#, "$1***"),
        ]
        var text = text
        for (pattern, template) in patterns {
            // The patterns are constants (built per call: NSRegularExpression is not Sendable); the tests compile them.
            guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            text = expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text
    }
}
