/// One row of a query result.
///
/// ```swift
/// let balance: Int64 = try row.decode("balance_minor")
/// let email = try row.decode("email", as: String?.self)
/// ```
public struct PostgresRow: Sendable {
    let table: PostgresColumnTable
    let values: [String?]

    /// The row's columns.
    public var columns: [PostgresColumn] { table.columns }

    /// The cell of a column by name.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` when the result has no such column.
    public func cell(_ column: String) throws -> PostgresCell {
        guard let index = table.index(of: column) else {
            let names = table.columns.map(\.name).joined(separator: ", ")
            throw PostgresError(
                code: .decoding,
                message: "the result has no column \"\(column)\" (it has: \(names)); check the SELECT list"
            )
        }
        return cell(at: index)
    }

    /// The cell of a column by position, from 0.
    public func cell(at index: Int) -> PostgresCell {
        let column = table.columns[index]
        return PostgresCell(text: values[index], type: column.type, columnName: column.name, columnIndex: index)
    }

    /// Decodes a column by name.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` naming the column when it is missing, NULL
    ///   (decode an `Optional` to accept NULL), of another type, or out of range.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try T(postgresCell: cell(column))
    }

    /// Decodes a column by position, from 0.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` as ``decode(_:as:)``.
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws -> T {
        try T(postgresCell: cell(at: index))
    }

    /// Decodes a `numeric` (or integer) column as an exact count of minor currency units.
    ///
    /// `12.34` with `scale` 2 is 1234; an integer column is multiplied by 10^`scale`.
    /// - Parameters:
    ///   - column: The column's name.
    ///   - scale: Digits after the decimal point in one major unit. Default: 2 (cents).
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` when the column is NULL, not a number, has
    ///   more significant fractional digits than `scale`, or does not fit `Int64`.
    public func decodeMinorUnits(_ column: String, scale: Int = 2) throws -> Int64 {
        let cell = try cell(column)
        let text = try cell.text(as: Int64.self, ofTypes: PostgresDataType.integers.union([.numeric]))
        do {
            return try PostgresMinorUnits.parse(text, scale: scale)
        } catch .tooPrecise {
            throw cell.invalidValue(Int64.self, reason: "more than \(scale) fractional digits; round it in SQL")
        } catch .overflow {
            throw cell.invalidValue(Int64.self, reason: "too large for Int64 minor units")
        } catch {
            throw cell.invalidValue(Int64.self, reason: "not a finite number")
        }
    }

    /// Decodes a `jsonb` or `json` column into a `Decodable` type.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` when the column is NULL or not JSON, or the
    ///   JSON does not match `type` (the decoder's message is included).
    public func decodeJSON<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        let cell = try cell(column)
        let json = try PostgresJSON(postgresCell: cell)
        do {
            return try json.decode(type)
        } catch {
            throw cell.invalidValue(T.self, reason: "JSON does not match: \(error)")
        }
    }
}
