import Basics

/// Query parameters ready to pass to `PQexecParams`/`PQsendQueryParams`: in PostgreSQL's text format, arrays in its
/// binary format (``PostgresBinary``).
///
/// Encoding happens on the caller's task (it is cheap and pure), so only these plain values cross to the
/// connection's queue.
struct EncodedParameters: Sendable {
    private enum Value: Sendable {
        case null
        case text(String)
        case binary([UInt8])

        /// The bytes the value takes (text without its terminating NUL).
        var byteCount: Int {
            switch self {
            case .null: 0
            case .text(let text): text.utf8.count
            case .binary(let bytes): bytes.count
            }
        }

        var isBinary: Bool {
            if case .binary = self { return true }
            return false
        }
    }

    private(set) var types: [UInt32] = []
    private var values: [Value] = []
    private var hasBinary = false

    /// Encodes `binds` in order as `$1`, `$2`, …
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/encoding`` for a value with a NUL byte, which libpq's
    ///   C strings cannot carry (PostgreSQL text cannot store it either).
    init(_ binds: [any PostgresBindable], sql: String) throws {
        types.reserveCapacity(binds.count)
        values.reserveCapacity(binds.count)
        for (index, bind) in binds.enumerated() {
            let value: Value
            if let binary = bind.postgresBinary {
                if binary.holdsNUL { throw Self.nulByte(index, sql: sql) }
                value = .binary(binary.bytes)
                hasBinary = true
            } else if let text = bind.postgresText {
                if UTF8Search.contains(text, byte: 0) { throw Self.nulByte(index, sql: sql) }
                value = .text(text)
            } else {
                value = .null
            }
            types.append(type(of: bind).postgresType.oid)
            values.append(value)
        }
    }

    private static func nulByte(_ index: Int, sql: String) -> PostgresError {
        PostgresError(
            code: .encoding,
            message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store; "
                + "remove it or store the value as bytea",
            query: sql
        )
    }

    var count: Int32 { Int32(values.count) }

    /// Calls `body` with C arrays of the parameter types, the values (NUL-terminated text, or binary bytes; NULL for
    /// SQL NULL), their lengths and their formats (both nil when every value is text, as libpq allows).
    func withCArrays<R>(
        _ body: (
            _ types: UnsafePointer<UInt32>?, _ values: UnsafePointer<UnsafePointer<CChar>?>?,
            _ lengths: UnsafePointer<Int32>?, _ formats: UnsafePointer<Int32>?
        ) throws -> R
    ) rethrows -> R {
        guard !values.isEmpty else { return try body(nil, nil, nil, nil) }
        // One buffer holds every value back to back, so a query costs one allocation however many parameters.
        var storage: [UInt8] = []
        storage.reserveCapacity(values.reduce(0) { $0 + $1.byteCount + 1 })
        var offsets: [Int?] = []
        offsets.reserveCapacity(values.count)
        var lengths: [Int32] = []
        var formats: [Int32] = []
        if hasBinary {
            lengths.reserveCapacity(values.count)
            formats.reserveCapacity(values.count)
        }
        for value in values {
            switch value {
            case .null:
                offsets.append(nil)
            case .text(let text):
                offsets.append(storage.count)
                storage.append(contentsOf: text.utf8)
                storage.append(0)
            case .binary(let bytes):
                offsets.append(storage.count)
                storage.append(contentsOf: bytes)
            }
            if hasBinary {
                lengths.append(Int32(value.byteCount))
                formats.append(value.isBinary ? 1 : 0)
            }
        }
        return try storage.withUnsafeBufferPointer { bytes in
            try bytes.withMemoryRebound(to: CChar.self) { buffer in
                let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { buffer.baseAddress! + $0 } }
                return try pointers.withUnsafeBufferPointer { pointerBuffer in
                    try types.withUnsafeBufferPointer { typeBuffer in
                        try lengths.withUnsafeBufferPointer { lengthBuffer in
                            try formats.withUnsafeBufferPointer { formatBuffer in
                                try body(
                                    typeBuffer.baseAddress, pointerBuffer.baseAddress,
                                    hasBinary ? lengthBuffer.baseAddress : nil, hasBinary ? formatBuffer.baseAddress : nil)
                            }
                        }
                    }
                }
            }
        }
    }
}
