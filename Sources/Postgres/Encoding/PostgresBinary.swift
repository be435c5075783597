/// A parameter in PostgreSQL's binary format (format code 1), as `array_send` writes arrays: the server reads it
/// with the type's receive function instead of parsing text.
///
/// Arrays travel this way: a step's statement binds a dozen arrays of up to 128 elements, many of them JSON
/// documents, and as text every quote in them was escaped by the worker and unescaped by the server (`array_in`,
/// less the JSON parse it calls, took 6.5% of PostgreSQL's time in the benchmark).
public struct PostgresBinary: Sendable {
    /// The bytes as sent.
    public private(set) var bytes: [UInt8] = []
    /// A text element held a NUL byte, which PostgreSQL text cannot store: the parameter is refused before sending.
    private(set) var holdsNUL = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// A one-dimensional array of `elements` (0 dimensions when empty, as the server writes it).
    init<Element: PostgresArrayElement>(array elements: [Element]) {
        self.init(capacity: 20 + elements.count * 12)
        append(Int32(elements.isEmpty ? 0 : 1))
        let nullFlag = bytes.count
        append(Int32(0))
        append(Element.postgresElementType.oid)
        if !elements.isEmpty {
            append(Int32(elements.count))
            append(Int32(1))  // the lower bound
        }
        var hasNull = false
        for element in elements {
            hasNull = element.appendPostgresBinaryElement(to: &self) || hasNull
        }
        if hasNull { bytes[nullFlag + 3] = 1 }
    }

    /// Appends an integer, most significant byte first (network order, as every binary format has it).
    mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends `text`'s UTF-8 bytes after their length (and `prefix`, counted in the length, before them).
    mutating func appendLengthPrefixed(_ text: String, prefix: UInt8? = nil) {
        var text = text
        text.withUTF8 { utf8 in
            append(Int32(utf8.count + (prefix == nil ? 0 : 1)))
            if let prefix { bytes.append(prefix) }
            bytes.append(contentsOf: utf8)
            if !holdsNUL, utf8.contains(0) { holdsNUL = true }
        }
    }

    /// Appends a NULL element: a length of -1 and no bytes.
    mutating func appendNull() {
        append(Int32(-1))
    }
}
