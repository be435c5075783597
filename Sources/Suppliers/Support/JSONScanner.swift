/// Reads JSON text byte by byte without building a tree, for supplier lists of thousands of entries: the caller
/// walks the objects and arrays it expects and keeps only the scalars it needs, as ``LenientValue``s.
///
/// `JSONSerialization` made an `NSDictionary` of `NSString`s and `NSNumber`s for every entry of a handler_api active
/// list, about 5 kB an entry: 113 MB at once for the 21,000 numbers one worker had waiting.
struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// Nesting deeper than this is refused rather than followed (a hostile body cannot exhaust the stack).
    static let maximumDepth = 64

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `read` over the UTF-8 of `text`; the scanner is valid only inside it.
    static func scan<Result>(_ text: Substring, _ read: (inout JSONScanner) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable({ bytes in
            var scanner = JSONScanner(bytes)
            return read(&scanner)
        }) {
            return result
        }
        return Array(text.utf8).withUnsafeBufferPointer { bytes in
            var scanner = JSONScanner(bytes)
            return read(&scanner)
        }
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    /// Reads an object, calling `member` with each key; `member` must read or skip that member's value and return
    /// whether it could. False when the next value is not a well-formed object.
    mutating func object(depth: Int = 0, _ member: (inout JSONScanner, String) -> Bool) -> Bool {
        guard depth < Self.maximumDepth, take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            guard let key = string(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// Reads an array, calling `element` for each entry; `element` must read or skip it and return whether it could.
    /// False when the next value is not a well-formed array.
    mutating func array(depth: Int = 0, _ element: (inout JSONScanner) -> Bool) -> Bool {
        guard depth < Self.maximumDepth, take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// Reads `null` when it comes next; otherwise reads nothing.
    mutating func null() -> Bool {
        skipWhitespace()
        return literal("null")
    }

    /// Reads the next value with the text decoding a ``LenientValue`` gives it: a string as written, a whole number (or
    /// true and false, as 1 and 0) in integer form, any other number as a `Double` prints it, a list as its last entry,
    /// null and an object as no text. Nil when the value is malformed.
    mutating func lenientValue(depth: Int = 0) -> LenientValue? {
        skipWhitespace()
        guard index < bytes.count, depth < Self.maximumDepth else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return string().map { LenientValue($0) }
        case UInt8(ascii: "{"):
            return skipValue(depth: depth) ? LenientValue(nil) : nil
        case UInt8(ascii: "["):
            var last = LenientValue(nil)
            let read = array(depth: depth + 1) { scanner in
                guard let value = scanner.lenientValue(depth: depth + 1) else { return false }
                last = value
                return true
            }
            return read ? last : nil
        case UInt8(ascii: "t"):
            return literal("true") ? LenientValue("1") : nil
        case UInt8(ascii: "f"):
            return literal("false") ? LenientValue("0") : nil
        case UInt8(ascii: "n"):
            return literal("null") ? LenientValue(nil) : nil
        default:
            return number()
        }
    }

    /// Reads past the next value, checking it as ``lenientValue(depth:)`` would but keeping no text; false when it is
    /// malformed.
    mutating func skipValue(depth: Int = 0) -> Bool {
        skipWhitespace()
        guard index < bytes.count, depth < Self.maximumDepth else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return scanString(keeping: false) != nil
        case UInt8(ascii: "{"): return object(depth: depth + 1) { scanner, _ in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return array(depth: depth + 1) { scanner in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return numberToken() != nil
        }
    }

    // MARK: - Tokens

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    /// Reads `byte` (after whitespace) when it comes next.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard bytes.count - index >= length,
            word.withUTF8Buffer({ $0.elementsEqual(bytes[index..<index + length]) })
        else { return false }
        index += length
        return true
    }

    /// A string token, its escapes decoded; nil when the next token is not a well-formed string.
    private mutating func string() -> String? {
        scanString(keeping: true)
    }

    /// Reads a string token: its text, escapes decoded, when `keeping` (else ""); nil when it is not well formed.
    private mutating func scanString(keeping: Bool) -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        // The text so far, once an escape makes it differ from the bytes (and only when it is kept).
        var decoded: [UInt8]?
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                guard keeping else { return "" }
                return decoded.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: bytes[start..<index], as: UTF8.self)
            case 0..<0x20:
                return nil  // control characters must be escaped
            case UInt8(ascii: "\\"):
                if keeping, decoded == nil { decoded = Array(bytes[start..<index]) }
                index += 1
                guard escape(into: &decoded) else { return nil }
            default:
                decoded?.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// Reads the escape after a backslash, appending what it stands for to `decoded` when there is one; false when
    /// it is not a JSON escape.
    private mutating func escape(into decoded: inout [UInt8]?) -> Bool {
        guard index < bytes.count else { return false }
        let escape = bytes[index]
        index += 1
        let byte: UInt8
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte = escape
        case UInt8(ascii: "b"): byte = 0x08
        case UInt8(ascii: "f"): byte = 0x0C
        case UInt8(ascii: "n"): byte = 0x0A
        case UInt8(ascii: "r"): byte = 0x0D
        case UInt8(ascii: "t"): byte = 0x09
        case UInt8(ascii: "u"):
            guard let scalar = unicodeEscape() else { return false }
            decoded?.append(contentsOf: UTF8.encode(scalar)!)
            return true
        default:
            return false
        }
        decoded?.append(byte)
        return true
    }

    /// The scalar of a `\uXXXX` escape (the `\u` read), joining a surrogate pair; a lone surrogate reads as U+FFFD.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hexUnit() else { return nil }
        if (0xD800..<0xDC00).contains(unit), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
        {
            let rewind = index
            index += 2
            if let low = hexUnit(), (0xDC00..<0xE000).contains(low) {
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            }
            index = rewind
        }
        return Unicode.Scalar(unit) ?? "\u{FFFD}"
    }

    private mutating func hexUnit() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(bytes[index]) else { return nil }
            unit = unit << 4 | digit
            index += 1
        }
        return unit
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A number token as ``lenientValue(depth:)`` gives it; nil when the next token is not a JSON number.
    private mutating func number() -> LenientValue? {
        guard let (token, whole) = numberToken() else { return nil }
        let text = String(decoding: bytes[token], as: UTF8.self)
        if whole, let integer = Int64(text) { return LenientValue(String(integer)) }
        guard let double = Double(text) else { return nil }
        if double == double.rounded(), abs(double) < 9.2e18 { return LenientValue(String(Int64(double))) }
        return LenientValue("\(double)")
    }

    /// Reads a number token: where it is, and whether it has neither fraction nor exponent; nil when the next token
    /// is not a JSON number.
    private mutating func numberToken() -> (bytes: Range<Int>, whole: Bool)? {
        let start = index
        var whole = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits() > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            whole = false
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            whole = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        return (start..<index, whole)
    }

    /// Reads decimal digits; how many.
    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }
}
