import Activation
import Foundation

/// What the console does to supplier text before it renders it: codes masked, keys and tokens blanked.
///
/// The workers already store codes masked (`12****`) and supplier replies with the API key scrubbed; the console
/// masks again, because a page is the last place such a value could leak from, and a row written by an older
/// build or by hand would otherwise show as it is.
public enum Masking {
    private static let rules: [(NSRegularExpression, @Sendable (String) -> String)] = [
        // handler_api: STATUS_OK:<code>, and the full SMS text some suppliers add after it.
        (pattern(#"(STATUS_OK:)([^\s'"]+)"#), { ActivationEvent.mask($0) }),
        // 5sim JSON: "code":"123456", "text":"Your code is 123456".
        (pattern(#"("code"\s*:\s*")([^"]*)"#), { ActivationEvent.mask($0) }),
        (pattern(#"("text"\s*:\s*")([^"]*)"#), { _ in "…" }),
        // Keys in URLs, headers or replies.
        (pattern(#"((?:api_?key|token|password|secret)["']?\s*[=:]\s*["']?)([^&\s"',]+)"#), { _ in "***" }),
        (pattern(#"(Bearer\s+)(\S+)"#), { _ in "***" }),
    ]

    /// `text` with every code masked and every key replaced by `***`.
    public static func supplierText(_ text: String) -> String {
        var out = text
        for (expression, replace) in rules {
            let source = out as NSString
            var result = ""
            var last = 0
            for match in expression.matches(in: out, range: NSRange(location: 0, length: source.length)) {
                result += source.substring(with: NSRange(location: last, length: match.range.location - last))
                result += source.substring(with: match.range(at: 1))
                result += replace(source.substring(with: match.range(at: 2)))
                last = match.range.location + match.range.length
            }
            result += source.substring(from: last)
            out = result
        }
        return out
    }

    /// A code as the console shows it: its first two characters, the rest as `*` (a stored masked code stays as it is).
    public static func code(_ code: String) -> String {
        ActivationEvent.mask(code)
    }

    private static func pattern(_ text: String) -> NSRegularExpression {
        // The patterns are literals above; a typo is a programming error caught by the masking tests.
        try! NSRegularExpression(pattern: text, options: [.caseInsensitive])
    }
}
