/// A Swift type that can be decoded from a column of a result row.
///
/// Conformers check the column's type, so a mismatch is an error naming the column rather than a silently
/// wrong value. `Optional` conforms when its wrapped type does and decodes NULL as `nil`; every other
/// conformer rejects NULL.
public protocol PostgresDecodable {
    /// Decodes a value from one cell.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` when the cell is NULL, of another type, or
    ///   holds a value that does not fit.
    init(postgresCell cell: PostgresCell) throws
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        self = cell.isNull ? nil : try Wrapped(postgresCell: cell)
    }
}

extension String: PostgresDecodable {
    /// Accepts text, varchar, character, name and unknown columns.
    public init(postgresCell cell: PostgresCell) throws {
        self = try cell.text(as: String.self, ofTypes: PostgresDataType.textual)
    }
}

extension Bool: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        switch try cell.text(as: Bool.self, ofTypes: PostgresDataType.booleans) {
        case "t": self = true
        case "f": self = false
        default: throw cell.invalidValue(Bool.self, reason: "expected t or f")
        }
    }
}

extension FixedWidthInteger where Self: PostgresDecodable {
    fileprivate static func decode(_ cell: PostgresCell, types: Set<PostgresDataType>) throws -> Self {
        let text = try cell.text(as: Self.self, ofTypes: types)
        guard let value = Self(text) else {
            throw cell.invalidValue(Self.self, reason: "out of range for \(Self.self)")
        }
        return value
    }
}

extension Int: PostgresDecodable {
    /// Accepts smallint, integer, bigint and oid columns.
    public init(postgresCell cell: PostgresCell) throws {
        self = try .decode(cell, types: PostgresDataType.wholeNumbers)
    }
}

extension Int64: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        self = try .decode(cell, types: PostgresDataType.wholeNumbers)
    }
}

extension Int32: PostgresDecodable {
    /// Accepts smallint and integer columns; cast a bigint in SQL if it is known to fit.
    public init(postgresCell cell: PostgresCell) throws {
        self = try .decode(cell, types: PostgresDataType.smallIntegers)
    }
}

extension Double: PostgresDecodable {
    /// Accepts real, double precision and numeric columns.
    public init(postgresCell cell: PostgresCell) throws {
        let text = try cell.text(as: Double.self, ofTypes: PostgresDataType.floatingPoint)
        guard let value = Double(text) else {
            throw cell.invalidValue(Double.self, reason: "not a floating-point number")
        }
        self = value
    }
}
