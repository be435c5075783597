/// A JSON document kept as a tree whose leaves are raw bytes, so any value or key can become hostile bytes
/// (invalid UTF-8, a 10 MB string, an unclosed array) while the rest of the document stays well-formed.
///
/// Each leaf also says what a JSON reader sees in it (``Leaf``), which is what the expected outcome of a
/// generated input is worked out from.
indirect enum JSONTree: Sendable {
    /// What a JSON reader sees in a leaf's bytes.
    enum Leaf: Sendable {
        case null
        case bool
        /// A whole number that fits in 64 bits.
        case integer(Int64)
        /// A number with a fraction (`3.14`).
        case fraction
        /// A whole number outside 64 bits (`1e400`, `99999999999999999999999`).
        case hugeNumber
        /// A string, as decoded.
        case string(String)
        /// Arrays or objects written as raw bytes (deep nesting).
        case nested
        /// A string a JSON reader cannot turn into text (a lone surrogate escape, bytes that are not UTF-8).
        case unreadable
    }

    /// An object member: its key as decoded and as raw bytes (quotes included), and its value.
    struct Member: Sendable {
        var key: String
        var rawKey: [UInt8]
        var value: JSONTree
        /// False when the raw key is a string a reader cannot turn into text.
        var keyIsReadable = true
    }

    case leaf([UInt8], Leaf)
    case object([Member])
    case array([JSONTree])

    static let null = JSONTree.leaf(Array("null".utf8), .null)

    /// A JSON string holding `text`, escaped as JSON requires.
    static func string(_ text: String) -> JSONTree {
        .leaf(JSONText.quoted(text), .string(text))
    }

    /// A JSON number.
    static func number(_ value: Int64) -> JSONTree {
        .leaf(Array(String(value).utf8), .integer(value))
    }

    /// An object of members with plain keys.
    static func object(_ members: [(String, JSONTree)]) -> JSONTree {
        .object(members.map { Member(key: $0.0, rawKey: JSONText.quoted($0.0), value: $0.1) })
    }

    /// The value of member `key`, when this is an object that has it.
    subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Whether some value or key is a string a reader cannot turn into text.
    var containsUnreadable: Bool {
        switch self {
        case .leaf(_, .unreadable): true
        case .leaf: false
        case .object(let members): members.contains { !$0.keyIsReadable || $0.value.containsUnreadable }
        case .array(let elements): elements.contains { $0.containsUnreadable }
        }
    }

    /// The string this leaf holds, if it is a string.
    var string: String? {
        if case .leaf(_, .string(let text)) = self { return text }
        return nil
    }

    /// The document as bytes.
    func rendered() -> [UInt8] {
        var bytes: [UInt8] = []
        self.render(into: &bytes)
        return bytes
    }

    private func render(into bytes: inout [UInt8]) {
        switch self {
        case .leaf(let raw, _):
            bytes += raw
        case .object(let members):
            bytes.append(0x7B)
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                bytes += member.rawKey
                bytes.append(0x3A)
                member.value.render(into: &bytes)
            }
            bytes.append(0x7D)
        case .array(let elements):
            bytes.append(0x5B)
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                element.render(into: &bytes)
            }
            bytes.append(0x5D)
        }
    }
}
