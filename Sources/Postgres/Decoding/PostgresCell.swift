/// One value of a result row, as it is handed to ``PostgresDecodable`` types.
///
/// Holds PostgreSQL's text form of the value (`nil` for NULL) and enough context (column name and type)
/// to explain a failed decode.
public struct PostgresCell: Sendable {
    /// The value's text form, or `nil` for SQL NULL.
    public var text: String?
    /// The column's type.
    public var type: PostgresDataType
    /// The column's name.
    public var columnName: String
    /// The column's position in the row, from 0.
    public var columnIndex: Int

    /// Creates a cell (for tests and custom decoders).
    public init(text: String?, type: PostgresDataType, columnName: String, columnIndex: Int) {
        self.text = text
        self.type = type
        self.columnName = columnName
        self.columnIndex = columnIndex
    }

    /// Whether the value is SQL NULL.
    public var isNull: Bool { text == nil }

    /// The non-NULL text of a value whose column type is one of `types`.
    ///
    /// - Throws: ``PostgresError/Code-swift.struct/decoding`` naming the column when the value is NULL or
    ///   the column has another type.
    public func text<T>(as swiftType: T.Type, ofTypes types: Set<PostgresDataType>) throws -> String {
        guard types.contains(type) else {
            let accepted = types.map(\.description).sorted().joined(separator: ", ")
            throw PostgresError(
                code: .decoding,
                message: "column \"\(columnName)\" is \(type), which cannot be decoded as \(T.self) "
                    + "(it accepts \(accepted)); decode it as another Swift type or cast it in the SQL"
            )
        }
        guard let text else {
            throw PostgresError(
                code: .decoding,
                message: "column \"\(columnName)\" (\(type)) is NULL but \(T.self) was requested; "
                    + "decode it as Optional<\(T.self)> or use COALESCE in the SQL"
            )
        }
        return text
    }

    /// An error for a value that has the right column type but does not fit `T`.
    public func invalidValue<T>(_ swiftType: T.Type, reason: String) -> PostgresError {
        PostgresError(
            code: .decoding,
            message: "column \"\(columnName)\" (\(type)) holds \(preview) which cannot be decoded as \(T.self): "
                + reason
        )
    }

    private var preview: String {
        guard let text else { return "NULL" }
        return text.count > 40 ? "\"\(text.prefix(40))…\"" : "\"\(text)\""
    }
}
