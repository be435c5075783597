import Basics
import Foundation

/// A type that writes its own wire JSON: the bytes its `Codable` encoding gives through ``WireJSONEncoder``, without
/// the encoder's containers.
///
/// The hot path encodes a few types on every step (the snapshot's progress, the events, the timeline entries);
/// through `Codable` containers they were a fifth of a saturated worker's CPU. ``WireJSONEncoder`` uses this
/// writing for a value that conforms, wherever it is in what is encoded. A conformance writes the keys its
/// `CodingKeys` give, in UTF-8 order, and leaves out nil optionals, as the synthesized `encode(to:)` does;
/// `WireJSONWriterTests` holds every conformance to the bytes of its `Codable` encoding.
public protocol WireJSONWritable: Encodable {
    /// Writes the value as one JSON value.
    func write(to json: inout WireJSONWriter) throws
}

/// Writes JSON text for ``WireJSONWritable`` conformances: objects and arrays opened and closed in order, keys
/// given in UTF-8 order by the caller.
public struct WireJSONWriter {
    /// The JSON written so far.
    public internal(set) var bytes: [UInt8]
    /// Whether the innermost open object or array has no member yet.
    private var opened = false

    public init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        opened = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        opened = false
    }

    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        opened = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        opened = false
    }

    /// Starts the next member of the open object: its key (plain ASCII, no escapes) and the colon.
    public mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts the next element of the open array.
    public mutating func element() {
        separate()
    }

    private mutating func separate() {
        if !opened { bytes.append(UInt8(ascii: ",")) }
        opened = false
    }

    public mutating func string(_ text: String) {
        JSONQuoting.write(text, into: &bytes)
    }

    public mutating func integer(_ number: some BinaryInteger) {
        Self.write(number, into: &bytes)
    }

    /// `number`'s decimal digits, after a minus sign when negative.
    static func write(_ number: some BinaryInteger, into bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        let digitsStart = bytes.count
        var rest = UInt64(number.magnitude)
        repeat {
            bytes.append(0x30 + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[digitsStart...].reverse()
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    /// A date as the wire format writes it (RFC 3339, milliseconds, UTC).
    public mutating func date(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        RFC3339.write(date, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A value without a writing of its own, through its `Codable` encoding.
    public mutating func encodable(_ value: some Encodable) throws {
        if let writable = value as? any WireJSONWritable {
            return try writable.write(to: &self)
        }
        let arena = WireJSONArena()
        try WireJSONTree.fragment(of: value, path: nil, arena: arena).write(into: &bytes, arena: arena.bytes)
    }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    /// An array of values that write themselves.
    public mutating func array(_ values: [some WireJSONWritable]) throws {
        beginArray()
        for value in values {
            element()
            try value.write(to: &self)
        }
        endArray()
    }

    // Members, left out when nil (as `encodeIfPresent` does).

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    public mutating func member(_ name: StaticString, _ value: Date?) {
        guard let value else { return }
        key(name)
        date(value)
    }

    public mutating func member(_ name: StaticString, _ value: (some WireJSONWritable)?) throws {
        guard let value else { return }
        key(name)
        try value.write(to: &self)
    }

    /// A member without a writing of its own, through its `Codable` encoding.
    public mutating func encodableMember(_ name: StaticString, _ value: (some Encodable)?) throws {
        guard let value else { return }
        key(name)
        try encodable(value)
    }
}
