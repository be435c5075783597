import Basics
import Foundation

/// The wire format's JSON encoder for the hot path: the same bytes as ``WireFormat/makeEncoder()`` (sorted keys,
/// RFC 3339 dates, unescaped slashes, no whitespace), at about half the cost (a saturated worker's profile: 23% →
/// 12% of its CPU).
///
/// Foundation's `JSONEncoder` builds a tree of boxed values with a dictionary per object and a coding path per
/// value, then serializes it; a worker spent a fifth of its CPU there, encoding every step's snapshot and events.
/// This encoder keeps the tree (a `Codable` type may fill a container after opening the next one) but makes it
/// small: an object is one array of members, a scalar is written to one shared buffer as it is encoded, and the
/// coding path is only assembled when someone asks for it. `WireJSONEncoderTests` holds it to Foundation's bytes.
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
        if let writable = value as? any WireJSONWritable {
            var json = WireJSONWriter()
            json.bytes.reserveCapacity(1024)
            try writable.write(to: &json)
            return json.bytes
        }
        let arena = WireJSONArena()
        let root = try WireJSONTree.fragment(of: value, path: nil, arena: arena)
        var output: [UInt8] = []
        output.reserveCapacity(arena.bytes.count * 2 + 64)
        root.write(into: &output, arena: arena.bytes)
        return output
    }
}

/// The value being built: scalars already written out, containers still open to more members.
enum WireJSONFragment {
    /// JSON text, ready to copy (a number, a string literal, `true`, `null` …): these bytes of the arena.
    case text(start: Int, end: Int)
    case object(WireJSONObject)
    case array(WireJSONArray)

    func write(into output: inout [UInt8], arena: [UInt8]) {
        switch self {
        case .text(let start, let end): output.append(contentsOf: arena[start..<end])
        case .object(let object): object.write(into: &output, arena: arena)
        case .array(let array): array.write(into: &output, arena: arena)
        }
    }
}

/// Where an encoding writes its scalars as they come, one buffer for all of them.
final class WireJSONArena {
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    func string(_ text: String) -> WireJSONFragment {
        let start = bytes.count
        JSONQuoting.write(text, into: &bytes)
        return .text(start: start, end: bytes.count)
    }

    func integer(_ number: some BinaryInteger) -> WireJSONFragment {
        let start = bytes.count
        WireJSONWriter.write(number, into: &bytes)
        return .text(start: start, end: bytes.count)
    }

    func literal(_ text: StaticString) -> WireJSONFragment {
        let start = bytes.count
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        return .text(start: start, end: bytes.count)
    }

    /// A finite number as Foundation writes it (`1.5`, `2` for `2.0`); a non-finite one is an error.
    func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, path: WireJSONPath?) throws -> WireJSONFragment {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: WireJSONPath.keys(path), debugDescription: "\(value) is not a JSON number"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return .text(start: start, end: bytes.count)
    }
}

/// An object being built; its members are written in the UTF-8 order of their keys (the last of equal keys wins).
final class WireJSONObject {
    var members: [(key: String, value: WireJSONFragment)] = []

    func set(_ key: String, _ value: WireJSONFragment) {
        if members.isEmpty { members.reserveCapacity(12) }
        members.append((key, value))
    }

    func write(into output: inout [UInt8], arena: [UInt8]) {
        output.append(UInt8(ascii: "{"))
        let members = self.members
        withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { order in
            // Insertion sort of the indices (objects are small): stable, so of equal keys the later one sorts
            // last, and is the one kept.
            for index in members.indices {
                var slot = index
                while slot > 0, Self.precedes(members[index].key, members[order[slot - 1]].key) {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = index
            }
            var first = true
            for position in 0..<members.count {
                let member = members[order[position]]
                if position + 1 < members.count, members[order[position + 1]].key == member.key { continue }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONQuoting.write(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output, arena: arena)
            }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// UTF-8 order, as Foundation sorts keys.
    private static func precedes(_ left: String, _ right: String) -> Bool {
        var left = left
        var right = right
        return left.withUTF8 { left in right.withUTF8 { right in left.lexicographicallyPrecedes(right) } }
    }
}

/// An array being built.
final class WireJSONArray {
    var values: [WireJSONFragment] = []

    func write(into output: inout [UInt8], arena: [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            value.write(into: &output, arena: arena)
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
    /// The fragment `value` encodes to, at `key` under `path`: scalars and the wire format's special types directly,
    /// anything else through its `encode(to:)` (the path link is only made for a value with containers).
    static func fragment<T: Encodable>(
        of value: T, path: WireJSONPath?, key: (any CodingKey)? = nil, arena: WireJSONArena
    ) throws -> WireJSONFragment {
        // Metatype comparisons first: a cast is only tried on the type it succeeds on.
        if T.self == String.self { return arena.string(value as! String) }
        if T.self == Date.self { return arena.string(RFC3339.format(value as! Date)) }
        if T.self == Int.self { return arena.integer(value as! Int) }
        if T.self == Int64.self { return arena.integer(value as! Int64) }
        if T.self == Bool.self { return arena.literal(value as! Bool ? "true" : "false") }
        if T.self == URL.self { return arena.string((value as! URL).absoluteString) }
        if T.self == Data.self { return arena.string((value as! Data).base64EncodedString()) }
        if let writable = value as? any WireJSONWritable {
            var json = WireJSONWriter()
            swap(&json.bytes, &arena.bytes)
            let start = json.bytes.count
            defer { swap(&json.bytes, &arena.bytes) }
            try writable.write(to: &json)
            return .text(start: start, end: json.bytes.count)
        }
        let encoder = WireJSONValueEncoder(path: key.map { WireJSONPath(parent: path, key: $0) } ?? path, arena: arena)
        try value.encode(to: encoder)
        guard let result = encoder.result else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: WireJSONPath.keys(path), debugDescription: "\(T.self) did not encode any value"))
        }
        return result
    }

}

/// The `Encoder` handed to a value's `encode(to:)`: it records the one container or value the value encodes.
final class WireJSONValueEncoder: Encoder {
    let path: WireJSONPath?
    let arena: WireJSONArena
    var result: WireJSONFragment?

    init(path: WireJSONPath?, arena: WireJSONArena) {
        self.path = path
        self.arena = arena
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
        return KeyedEncodingContainer(WireJSONKeyedContainer<Key>(object: object, path: path, arena: arena))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: WireJSONArray
        if case .array(let existing) = result {
            array = existing
        } else {
            array = WireJSONArray()
            result = .array(array)
        }
        return WireJSONUnkeyedContainer(array: array, path: path, arena: arena)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        WireJSONSingleValueContainer(encoder: self)
    }
}

struct WireJSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: WireJSONObject
    let path: WireJSONPath?
    let arena: WireJSONArena

    var codingPath: [any CodingKey] { WireJSONPath.keys(path) }

    mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, arena.literal("null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        object.set(key.stringValue, arena.literal(value ? "true" : "false"))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        object.set(key.stringValue, arena.string(value))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.set(key.stringValue, try arena.number(value, path: WireJSONPath(parent: path, key: key)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.set(key.stringValue, try arena.number(value, path: WireJSONPath(parent: path, key: key)))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try WireJSONTree.fragment(of: value, path: path, key: key, arena: arena))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireJSONObject()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(
            WireJSONKeyedContainer<NestedKey>(object: nested, path: WireJSONPath(parent: path, key: key), arena: arena))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = WireJSONArray()
        object.set(key.stringValue, .array(nested))
        return WireJSONUnkeyedContainer(array: nested, path: WireJSONPath(parent: path, key: key), arena: arena)
    }

    mutating func superEncoder() -> any Encoder {
        WireJSONReferencingEncoder(path: WireJSONPath(parent: path, key: WireJSONSuperKey()), arena: arena) { [object] in
            object.set("super", $0)
        }
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        WireJSONReferencingEncoder(path: WireJSONPath(parent: path, key: key), arena: arena) { [object] in
            object.set(key.stringValue, $0)
        }
    }
}

struct WireJSONUnkeyedContainer: UnkeyedEncodingContainer {
    let array: WireJSONArray
    let path: WireJSONPath?
    let arena: WireJSONArena

    var codingPath: [any CodingKey] { WireJSONPath.keys(path) }
    var count: Int { array.values.count }

    private var nextPath: WireJSONPath { WireJSONPath(parent: path, key: WireJSONIndexKey(intValue: count)) }

    mutating func encodeNil() throws { array.values.append(arena.literal("null")) }
    mutating func encode(_ value: Bool) throws {
        array.values.append(arena.literal(value ? "true" : "false"))
    }
    mutating func encode(_ value: String) throws { array.values.append(arena.string(value)) }
    mutating func encode(_ value: Double) throws { array.values.append(try arena.number(value, path: nextPath)) }
    mutating func encode(_ value: Float) throws { array.values.append(try arena.number(value, path: nextPath)) }
    mutating func encode(_ value: Int) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: Int8) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: Int16) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: Int32) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: Int64) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: UInt) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: UInt8) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: UInt16) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: UInt32) throws { array.values.append(arena.integer(value)) }
    mutating func encode(_ value: UInt64) throws { array.values.append(arena.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.values.append(try WireJSONTree.fragment(of: value, path: path, key: WireJSONIndexKey(intValue: count), arena: arena))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = WireJSONObject()
        let nestedPath = nextPath
        array.values.append(.object(nested))
        return KeyedEncodingContainer(WireJSONKeyedContainer<NestedKey>(object: nested, path: nestedPath, arena: arena))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = WireJSONArray()
        let nestedPath = nextPath
        array.values.append(.array(nested))
        return WireJSONUnkeyedContainer(array: nested, path: nestedPath, arena: arena)
    }

    mutating func superEncoder() -> any Encoder {
        let slot = array.values.count
        array.values.append(arena.literal("null"))
        return WireJSONReferencingEncoder(path: nextPath, arena: arena) { [array] in array.values[slot] = $0 }
    }
}

struct WireJSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: WireJSONValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() throws { encoder.result = encoder.arena.literal("null") }
    func encode(_ value: Bool) throws { encoder.result = encoder.arena.literal(value ? "true" : "false") }
    func encode(_ value: String) throws { encoder.result = encoder.arena.string(value) }
    func encode(_ value: Double) throws { encoder.result = try encoder.arena.number(value, path: encoder.path) }
    func encode(_ value: Float) throws { encoder.result = try encoder.arena.number(value, path: encoder.path) }
    func encode(_ value: Int) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: Int8) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: Int16) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: Int32) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: Int64) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: UInt) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: UInt8) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: UInt16) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: UInt32) throws { encoder.result = encoder.arena.integer(value) }
    func encode(_ value: UInt64) throws { encoder.result = encoder.arena.integer(value) }

    func encode<T: Encodable>(_ value: T) throws {
        encoder.result = try WireJSONTree.fragment(of: value, path: encoder.path, arena: encoder.arena)
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

    init(path: WireJSONPath?, arena: WireJSONArena, store: @escaping (WireJSONFragment) -> Void) {
        inner = WireJSONValueEncoder(path: path, arena: arena)
        self.store = store
    }

    deinit { store(inner.result ?? .object(WireJSONObject())) }

    var codingPath: [any CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}
