import Foundation

/// The wire format's JSON encoder for the hot path: the same bytes as ``WireFormat/makeEncoder()`` (sorted keys,
/// RFC 3339 dates, unescaped slashes, no whitespace), at a fraction of the cost.
///
/// Foundation's `JSONEncoder` builds a tree of boxed values with a dictionary per object and a coding path per
/// value, then serializes it; a worker spent a fifth of its CPU there, encoding every step's snapshot and events.
/// This encoder keeps the tree (a `Codable` type may fill a container after opening the next one) but makes it
/// small: an object is two arrays, a scalar is written as it is encoded, and the coding path is only assembled
/// when someone asks for it. `WireJSONEncoderTests` holds it to Foundation's bytes.
///
/// Not thread-safe; make one per encoding (they are cheap), or call ``WireFormat/encode(_:)``.
public struct WireJSONEncoder {
    public init() {}

    /// `value` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a value that cannot be JSON (a non-finite double, or a value
    ///   that encodes nothing).
    public func encode(_ value: some Encodable) throws -> Data {
        Data(try encodeBytes(value))
    }

    /// `value` as JSON bytes.
    public func encodeBytes(_ value: some Encodable) throws -> [UInt8] {
        let root = try WireJSONTree.fragment(of: value, path: nil)
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        root.write(into: &output)
        return output
    }
}

/// The value being built: scalars already written out, containers still open to more members.
enum WireJSONFragment {
    /// JSON text, ready to copy (a number, a string literal, `true`, `null` …).
    case text([UInt8])
    case object(WireJSONObject)
    case array(WireJSONArray)

    func write(into output: inout [UInt8]) {
        switch self {
        case .text(let bytes): output.append(contentsOf: bytes)
        case .object(let object): object.write(into: &output)
        case .array(let array): array.write(into: &output)
        }
    }
}

/// An object being built; its members are written in the UTF-8 order of their keys (the last of equal keys wins).
final class WireJSONObject {
    var keys: [String] = []
    var values: [WireJSONFragment] = []

    init() {
        keys.reserveCapacity(8)
        values.reserveCapacity(8)
    }

    func set(_ key: String, _ value: WireJSONFragment) {
        keys.append(key)
        values.append(value)
    }

    func write(into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        var order = Array(keys.indices)
        // Stable: of equal keys the later one sorts last, and is the one kept.
        order.sort { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) || (keys[$0] == keys[$1] && $0 < $1) }
        var first = true
        for (position, index) in order.enumerated() {
            if position + 1 < order.count, keys[order[position + 1]] == keys[index] { continue }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            WireJSONTree.writeString(keys[index], into: &output)
            output.append(UInt8(ascii: ":"))
            values[index].write(into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}

/// An array being built.
final class WireJSONArray {
    var values: [WireJSONFragment] = []

    func write(into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            value.write(into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}

/// A link of a coding path: built per nested value, turned into `[CodingKey]` only when asked.
final class WireJSONPath {
    let parent: WireJSONPath?
    let key: any CodingKey

    init(parent: WireJSONPath?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func keys(_ path: WireJSONPath?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var link = path
        while let current = link {
            keys.append(current.key)
            link = current.parent
        }
        return keys.reversed()
    }
}

/// The index of an array element as a coding key.
struct WireJSONIndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

enum WireJSONTree {
    /// The fragment `value` encodes to: scalars and the wire format's special types directly, anything else
    /// through its `encode(to:)`.
    static func fragment<T: Encodable>(of value: T, path: WireJSONPath?) throws -> WireJSONFragment {
        // Metatype comparisons first: a cast is only tried on the type it succeeds on.
        if T.self == String.self { return .text(quoted(value as! String)) }
        if T.self == Date.self { return .text(quoted(RFC3339.format(value as! Date))) }
        if T.self == Int.self { return .text(digits(Int64(value as! Int))) }
        if T.self == Int64.self { return .text(digits(value as! Int64)) }
        if T.self == Bool.self { return .text(value as! Bool ? literalTrue : literalFalse) }
        if T.self == URL.self { return .text(quoted((value as! URL).absoluteString)) }
        if T.self == Data.self { return .text(quoted((value as! Data).base64EncodedString())) }
        let encoder = WireJSONValueEncoder(path: path)
        try value.encode(to: encoder)
        guard let result = encoder.result else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: WireJSONPath.keys(path), debugDescription: "\(T.self) did not encode any value"))
        }
        return result
    }

    static let literalTrue = Array("true".utf8)
    static let literalFalse = Array("false".utf8)
    static let literalNull = Array("null".utf8)

    static func quoted(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        writeString(text, into: &bytes)
        return bytes
    }

    /// `text` as a JSON string literal, escaped as Foundation's encoder escapes it (slashes left alone).
    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: bytes[start..<index])
                start = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: output.append(UInt8(ascii: "\""))
                case 0x5C: output.append(UInt8(ascii: "\\"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    output.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex(byte >> 4), hex(byte & 0x0F)])
                }
            }
            output.append(contentsOf: bytes[start...])
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }

    static func digits(_ number: Int64) -> [UInt8] {
        if number < 0 {
            return [UInt8(ascii: "-")] + digits(number.magnitude)
        }
        return digits(UInt64(number))
    }

    static func digits(_ number: UInt64) -> [UInt8] {
        if number < 10 { return [0x30 + UInt8(number)] }
        var reversed: [UInt8] = []
        reversed.reserveCapacity(20)
        var rest = number
        while rest > 0 {
            reversed.append(0x30 + UInt8(rest % 10))
            rest /= 10
        }
        return reversed.reversed()
    }

    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, path: WireJSONPath?) throws -> [UInt8] {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: WireJSONPath.keys(path), debugDescription: "\(value) is not a JSON number"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return Array(text.utf8)
    }
}

/// The `Encoder` handed to a value's `encode(to:)`: it records the one container or value the value encodes.
final class WireJSONValueEncoder: Encoder {
    let path: WireJSONPath?
    var result: WireJSONFragment?

    init(path: WireJSONPath?) {
        self.path = path
    }

    var codingPath: [any CodingKey] { WireJSONPath.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: WireJSONObject
        if case .object(let existing) = result {
            object = existing
        } else {
            object = WireJSONObject()
            result = .object(object)
        }
        return KeyedEncodingContainer(WireJSONKeyedContainer<Key>(object: object, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: WireJSONArray
        if case .array(let existing) = result {
            array = existing
        } else {
            array = WireJSONArray()
            result = .array(array)
        }
        return WireJSONUnkeyedContainer(array: array, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        WireJSONSingleValueContainer(encoder: self)
    }
}

struct WireJSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: WireJSONObject
    let path: WireJSONPath?

    var codingPath: [any CodingKey] { WireJSONPath.keys(path) }

    mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.literalNull)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        object.set(key.stringValue, .text(value ? WireJSONTree.literalTrue : WireJSONTree.literalFalse))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        object.set(key.stringValue, .text(WireJSONTree.quoted(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.set(key.stringValue, .text(try WireJSONTree.number(value, path: WireJSONPath(parent: path, key: key))))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.set(key.stringValue, .text(try WireJSONTree.number(value, path: WireJSONPath(parent: path, key: key))))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(key.stringValue, .text(WireJSONTree.digits(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try WireJSONTree.fragment(of: value, path: WireJSONPath(parent: path, key: key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireJSONObject()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(WireJSONKeyedContainer<NestedKey>(object: nested, path: WireJSONPath(parent: path, key: key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = WireJSONArray()
        object.set(key.stringValue, .array(nested))
        return WireJSONUnkeyedContainer(array: nested, path: WireJSONPath(parent: path, key: key))
    }

    mutating func superEncoder() -> any Encoder {
        WireJSONReferencingEncoder(path: WireJSONPath(parent: path, key: WireJSONSuperKey())) { [object] in
            object.set("super", $0)
        }
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        WireJSONReferencingEncoder(path: WireJSONPath(parent: path, key: key)) { [object] in
            object.set(key.stringValue, $0)
        }
    }
}

struct WireJSONUnkeyedContainer: UnkeyedEncodingContainer {
    let array: WireJSONArray
    let path: WireJSONPath?

    var codingPath: [any CodingKey] { WireJSONPath.keys(path) }
    var count: Int { array.values.count }

    private var nextPath: WireJSONPath { WireJSONPath(parent: path, key: WireJSONIndexKey(intValue: count)) }

    mutating func encodeNil() throws { array.values.append(.text(WireJSONTree.literalNull)) }
    mutating func encode(_ value: Bool) throws {
        array.values.append(.text(value ? WireJSONTree.literalTrue : WireJSONTree.literalFalse))
    }
    mutating func encode(_ value: String) throws { array.values.append(.text(WireJSONTree.quoted(value))) }
    mutating func encode(_ value: Double) throws { array.values.append(.text(try WireJSONTree.number(value, path: nextPath))) }
    mutating func encode(_ value: Float) throws { array.values.append(.text(try WireJSONTree.number(value, path: nextPath))) }
    mutating func encode(_ value: Int) throws { array.values.append(.text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int8) throws { array.values.append(.text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { array.values.append(.text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { array.values.append(.text(WireJSONTree.digits(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { array.values.append(.text(WireJSONTree.digits(value))) }
    mutating func encode(_ value: UInt) throws { array.values.append(.text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt8) throws { array.values.append(.text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt16) throws { array.values.append(.text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt32) throws { array.values.append(.text(WireJSONTree.digits(UInt64(value)))) }
    mutating func encode(_ value: UInt64) throws { array.values.append(.text(WireJSONTree.digits(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.values.append(try WireJSONTree.fragment(of: value, path: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireJSONObject()
        let nestedPath = nextPath
        array.values.append(.object(nested))
        return KeyedEncodingContainer(WireJSONKeyedContainer<NestedKey>(object: nested, path: nestedPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = WireJSONArray()
        let nestedPath = nextPath
        array.values.append(.array(nested))
        return WireJSONUnkeyedContainer(array: nested, path: nestedPath)
    }

    mutating func superEncoder() -> any Encoder {
        let slot = array.values.count
        array.values.append(.text(WireJSONTree.literalNull))
        return WireJSONReferencingEncoder(path: nextPath) { [array] in array.values[slot] = $0 }
    }
}

struct WireJSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: WireJSONValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() throws { encoder.result = .text(WireJSONTree.literalNull) }
    func encode(_ value: Bool) throws { encoder.result = .text(value ? WireJSONTree.literalTrue : WireJSONTree.literalFalse) }
    func encode(_ value: String) throws { encoder.result = .text(WireJSONTree.quoted(value)) }
    func encode(_ value: Double) throws { encoder.result = .text(try WireJSONTree.number(value, path: encoder.path)) }
    func encode(_ value: Float) throws { encoder.result = .text(try WireJSONTree.number(value, path: encoder.path)) }
    func encode(_ value: Int) throws { encoder.result = .text(WireJSONTree.digits(Int64(value))) }
    func encode(_ value: Int8) throws { encoder.result = .text(WireJSONTree.digits(Int64(value))) }
    func encode(_ value: Int16) throws { encoder.result = .text(WireJSONTree.digits(Int64(value))) }
    func encode(_ value: Int32) throws { encoder.result = .text(WireJSONTree.digits(Int64(value))) }
    func encode(_ value: Int64) throws { encoder.result = .text(WireJSONTree.digits(value)) }
    func encode(_ value: UInt) throws { encoder.result = .text(WireJSONTree.digits(UInt64(value))) }
    func encode(_ value: UInt8) throws { encoder.result = .text(WireJSONTree.digits(UInt64(value))) }
    func encode(_ value: UInt16) throws { encoder.result = .text(WireJSONTree.digits(UInt64(value))) }
    func encode(_ value: UInt32) throws { encoder.result = .text(WireJSONTree.digits(UInt64(value))) }
    func encode(_ value: UInt64) throws { encoder.result = .text(WireJSONTree.digits(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        encoder.result = try WireJSONTree.fragment(of: value, path: encoder.path)
    }
}

/// The key `superEncoder()` encodes under.
struct WireJSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

/// The encoder of a `superEncoder()`: what it encodes is stored in its parent's container when it is done.
final class WireJSONReferencingEncoder: Encoder {
    private let inner: WireJSONValueEncoder
    private let store: (WireJSONFragment) -> Void

    init(path: WireJSONPath?, store: @escaping (WireJSONFragment) -> Void) {
        inner = WireJSONValueEncoder(path: path)
        self.store = store
    }

    deinit { store(inner.result ?? .object(WireJSONObject())) }

    var codingPath: [any CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}
