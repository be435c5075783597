/// A fragment of HTML that is safe to send: every `String` interpolated into it is escaped, so markup can only
/// come from the console's own literals and from other `HTML` values.
///
/// ```swift
/// let row: HTML = "<td>\(listing.requestID)</td>"   // escaped
/// let page: HTML = "<tr>\(row)</tr>"                // nested as markup
/// ```
public struct HTML: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The markup.
    public private(set) var rendered: String

    /// Trusted markup: only the console's own literals use this.
    public init(stringLiteral value: String) {
        rendered = value
    }

    public init(stringInterpolation: StringInterpolation) {
        rendered = stringInterpolation.out
    }

    public var description: String { rendered }

    /// `text` with `& < > " '` as entities: safe inside elements and quoted attributes.
    public static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Fragments one after the other.
    public static func join(_ parts: some Sequence<HTML>, separator: HTML = "") -> HTML {
        var out = HTML(stringLiteral: "")
        for (index, part) in parts.enumerated() {
            if index > 0 { out.rendered += separator.rendered }
            out.rendered += part.rendered
        }
        return out
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var out = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            out.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { out += literal }
        /// Text: escaped.
        public mutating func appendInterpolation(_ text: String) { out += HTML.escape(text) }
        /// Text: escaped.
        public mutating func appendInterpolation(_ text: Substring) { out += HTML.escape(text) }
        /// Markup: as it is.
        public mutating func appendInterpolation(_ html: HTML) { out += html.rendered }
        /// Fragments in order.
        public mutating func appendInterpolation(_ parts: [HTML]) { out += HTML.join(parts).rendered }
        public mutating func appendInterpolation(_ number: Int) { out += String(number) }
        public mutating func appendInterpolation(_ number: Int64) { out += String(number) }
    }
}
