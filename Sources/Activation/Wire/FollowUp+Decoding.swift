import Foundation

extension FollowUp {
    /// The follow-up a tier record's payload holds.
    ///
    /// Payloads are written by ``WireJSONWritable`` (a flat object, keys in order, no spaces, no escapes in
    /// request IDs the intake accepted): those are read here directly, one pass over the bytes, where Foundation's
    /// decoder took about 3% of the engine's CPU for every follow-up that fired. Anything else (spaces, escapes,
    /// `null`, an unknown key) goes through that decoder and gets its answer and its errors.
    ///
    /// - Throws: `DecodingError` when the payload is not a follow-up.
    public static func decode(_ payload: Data) throws -> FollowUp {
        let read = payload.withUnsafeBytes { bytes in
            var reader = FlatReader(bytes: bytes)
            return reader.followUp()
        }
        if let read { return read }
        return try WireFormat.makeDecoder().decode(FollowUp.self, from: payload)
    }
}

/// Reads the flat objects ``WireJSONWriter`` writes; any byte it does not expect makes it answer nil.
private struct FlatReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func followUp() -> FollowUp? {
        var requestID: String?, kind: FollowUp.Kind?, attempt: Int?, due: Date?, anchor: Date?, unstoredPolls: Int?
        guard take(UInt8(ascii: "{")), !take(UInt8(ascii: "}")) else { return nil }
        var seen: UInt8 = 0  // a bit per key: a key given twice is left to Foundation
        func first(_ bit: UInt8) -> Bool {
            defer { seen |= bit }
            return seen & bit == 0
        }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "request_id" where first(1): requestID = string()
            case "kind" where first(2): kind = string().flatMap(FollowUp.Kind.init(rawValue:))
            case "attempt" where first(4): attempt = integer()
            case "due" where first(8): due = string().flatMap(RFC3339.parse)
            case "anchor" where first(16): guard let date = string().flatMap(RFC3339.parse) else { return nil }; anchor = date
            case "unstored_polls" where first(32): guard let count = integer() else { return nil }; unstoredPolls = count
            default: return nil
            }
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")), index == bytes.count,
            let requestID, let kind, let attempt, let due
        else { return nil }
        var followUp = FollowUp(requestID: requestID, kind: kind, attempt: attempt, due: due)
        followUp.anchor = anchor
        followUp.unstoredPolls = unstoredPolls
        return followUp
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string of printable ASCII without escapes.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard (0x20..<0x80).contains(bytes[index]), bytes[index] != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// A non-negative integer of at most 18 digits, without a leading zero.
    private mutating func integer() -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, (0x30...0x39).contains(bytes[index]), index - start < 18 {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        guard index > start, index == start + 1 || bytes[start] != 0x30 else { return nil }
        if index < bytes.count, (0x30...0x39).contains(bytes[index]) { return nil }  // more digits than read
        return value
    }
}
