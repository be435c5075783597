extension TraceContext {
    /// Parses a received `traceparent` header (and its `tracestate`) strictly, as W3C Trace Context Level 1 says a
    /// receiver must; nil for anything invalid, which the caller ignores (a new trace starts, the input is never
    /// refused for it).
    ///
    /// Valid: `version-traceid-parentid-flags`, lowercase hex, with optional spaces or tabs around it. Version
    /// `ff` is invalid; version `00` is exactly 55 characters; a higher version is read as far as version 00
    /// reaches, and must be exactly that long or go on with a `-`. All-zero trace or parent IDs are invalid.
    /// A `tracestate` is kept only with a valid `traceparent`, and dropped on its own when invalid (see
    /// ``validTraceState(_:)``).
    public init?(traceparent: String, tracestate: String? = nil) {
        let bytes = Array(Self.trimmingWhitespace(traceparent[...]).utf8)
        guard bytes.count >= 55,
              let version = Self.hexValue(bytes[0..<2]), version != 0xFF,
              version == 0 ? bytes.count == 55 : (bytes.count == 55 || bytes[55] == UInt8(ascii: "-")),
              bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
              Self.isHex(bytes[3..<35]), Self.isHex(bytes[36..<52]),
              let flags = Self.hexValue(bytes[53..<55]),
              bytes[3..<35].contains(where: { $0 != UInt8(ascii: "0") }),
              bytes[36..<52].contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        self.init(
            traceID: String(decoding: bytes[3..<35], as: UTF8.self), spanID: String(decoding: bytes[36..<52], as: UTF8.self),
            flags: UInt8(flags), traceState: tracestate.flatMap(Self.validTraceState))
    }

    /// Whether every byte is a lowercase hex digit (uppercase is invalid in `traceparent`).
    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// Two lowercase hex digits as a number, or nil.
    private static func hexValue(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count == 2, isHex(bytes) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self), radix: 16)
    }

    /// `text` without the optional whitespace (spaces and tabs) HTTP allows around a header value.
    static func trimmingWhitespace(_ text: Substring) -> Substring {
        var text = text
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
