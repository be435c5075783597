/// PostgreSQL's text form of one-dimensional arrays: `{a,"b c",NULL}`.
enum PostgresArrayText {
    /// Formats elements as an array literal, quoting every element so no value can be read as NULL or as
    /// a delimiter; a nil element is NULL.
    static func format(_ elements: [String?]) -> String {
        var bytes = start(capacity: elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) * 9 / 8 + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if let element { appendQuoted(element, to: &bytes) } else { bytes.append(contentsOf: "NULL".utf8) }
        }
        return finish(bytes)
    }

    /// Formats strings as an array literal (the common case, without an optional per element).
    static func format(_ elements: [String]) -> String {
        var bytes = start(capacity: elements.reduce(2) { $0 + $1.utf8.count * 9 / 8 + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendQuoted(element, to: &bytes)
        }
        return finish(bytes)
    }

    private static func start(capacity: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
        return bytes
    }

    private static func finish(_ bytes: [UInt8]) -> String {
        var bytes = bytes
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `element` in quotes, a backslash before each quote and backslash in it.
    ///
    /// On UTF-8 bytes: a multi-byte character never contains the ASCII quote or backslash, and walking characters
    /// (grapheme clusters) made this a tenth of a worker's time on the step's timeline arrays. The runs between the
    /// bytes to escape are copied whole: a step's JSON arrays are kilobytes.
    private static func appendQuoted(_ element: String, to bytes: inout [UInt8]) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var element = element
        bytes.append(quote)
        element.withUTF8 { utf8 in
            var runStart = 0
            for offset in utf8.indices where utf8[offset] == quote || utf8[offset] == backslash {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                bytes.append(backslash)
                runStart = offset
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(quote)
    }

    /// Parses a one-dimensional array literal into its elements (`nil` for NULL).
    ///
    /// - Returns: `nil` when the text is not a one-dimensional array literal.
    static func parse(_ text: String) -> [String?]? {
        var bytes = Substring(text).utf8[...]
        // A lower bound other than 1 is printed as a dimension decoration: `[0:2]={1,2,3}`.
        if bytes.first == UInt8(ascii: "["), let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
            bytes = bytes[bytes.index(after: equals)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        bytes = bytes.dropFirst().dropLast()
        if bytes.isEmpty { return [] }

        var elements: [String?] = []
        var current: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for byte in bytes {
            if escaped {
                current.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                quoted.toggle()
                wasQuoted = true
            } else if byte == UInt8(ascii: ",") && !quoted {
                elements.append(element(current, wasQuoted: wasQuoted))
                current = []
                wasQuoted = false
            } else if byte == UInt8(ascii: "{") && !quoted {
                return nil  // a nested array: more than one dimension
            } else {
                current.append(byte)
            }
        }
        guard !quoted, !escaped else { return nil }
        elements.append(element(current, wasQuoted: wasQuoted))
        return elements
    }

    private static func element(_ bytes: [UInt8], wasQuoted: Bool) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        if wasQuoted { return text }
        let trimmed = text.trimmingSpaces
        return trimmed.uppercased() == "NULL" ? nil : trimmed
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " }),
            let end = scalars.lastIndex(where: { $0 != " " })
        else { return "" }
        return String(scalars[start...end])
    }
}
