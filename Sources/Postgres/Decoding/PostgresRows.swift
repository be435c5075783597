/// The complete result of one statement: its rows, columns and command tag.
///
/// Rows are copied out of libpq's result before it is freed, so the value is safe to keep and send across
/// tasks.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let table: PostgresColumnTable
    let rowValues: [[String?]]

    /// The command tag, e.g. `INSERT 0 3`, `UPDATE 1`, `SELECT 10`.
    public let commandTag: String
    /// Rows inserted, updated, deleted, selected or copied, per the command tag; 0 when it has no count.
    public let affectedRows: Int

    init(table: PostgresColumnTable, rowValues: [[String?]], commandTag: String, affectedRows: Int) {
        self.table = table
        self.rowValues = rowValues
        self.commandTag = commandTag
        self.affectedRows = affectedRows
    }

    /// The result's columns.
    public var columns: [PostgresColumn] { table.columns }

    public var startIndex: Int { rowValues.startIndex }
    public var endIndex: Int { rowValues.endIndex }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(table: table, values: rowValues[position])
    }

    /// The only row of a result that must have exactly one.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` when there are no rows or several.
    public func single() throws -> PostgresRow {
        guard count == 1 else {
            throw PostgresError(
                code: .decoding,
                message: "expected exactly one row but the statement (\(commandTag)) returned \(count)"
            )
        }
        return self[0]
    }
}
