import Basics

/// Query parameters in PostgreSQL's text format, ready to pass to `PQexecParams`/`PQsendQueryParams`.
///
/// Encoding happens on the caller's task (it is cheap and pure), so only these plain values cross to the
/// connection's queue.
struct EncodedParameters: Sendable {
    private(set) var types: [UInt32] = []
    private(set) var values: [String?] = []

    /// Encodes `binds` in order as `$1`, `$2`, …
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/encoding`` for a value with a NUL byte, which libpq's
    ///   C strings cannot carry (PostgreSQL text cannot store it either).
    init(_ binds: [any PostgresBindable], sql: String) throws {
        types.reserveCapacity(binds.count)
        values.reserveCapacity(binds.count)
        for (index, bind) in binds.enumerated() {
            let text = bind.postgresText
            if let text, UTF8Search.contains(text, byte: 0) {
                throw PostgresError(
                    code: .encoding,
                    message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store; "
                        + "remove it or store the value as bytea",
                    query: sql
                )
            }
            types.append(type(of: bind).postgresType.oid)
            values.append(text)
        }
    }

    var count: Int32 { Int32(values.count) }

    /// Calls `body` with C arrays of the parameter types and NUL-terminated values (NULL for SQL NULL).
    func withCArrays<R>(
        _ body: (UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?) throws -> R
    ) rethrows -> R {
        guard !values.isEmpty else { return try body(nil, nil) }
        // One buffer holds every value back to back, so a query costs one allocation however many parameters.
        var storage: [UInt8] = []
        storage.reserveCapacity(values.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
        var offsets: [Int?] = []
        offsets.reserveCapacity(values.count)
        for value in values {
            guard let value else {
                offsets.append(nil)
                continue
            }
            offsets.append(storage.count)
            storage.append(contentsOf: value.utf8)
            storage.append(0)
        }
        return try storage.withUnsafeBufferPointer { bytes in
            try bytes.withMemoryRebound(to: CChar.self) { buffer in
                let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { buffer.baseAddress! + $0 } }
                return try pointers.withUnsafeBufferPointer { pointerBuffer in
                    try types.withUnsafeBufferPointer { typeBuffer in
                        try body(typeBuffer.baseAddress, pointerBuffer.baseAddress)
                    }
                }
            }
        }
    }
}
