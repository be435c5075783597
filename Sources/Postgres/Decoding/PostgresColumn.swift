/// A column of a query result: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    /// The column's name (its alias, when the query gave one).
    public var name: String
    /// The column's type.
    public var type: PostgresDataType

    /// Creates a column description.
    public init(name: String, type: PostgresDataType) {
        self.name = name
        self.type = type
    }
}

/// The columns of one result, shared by all its rows, with a name lookup built once.
final class PostgresColumnTable: Sendable {
    let columns: [PostgresColumn]
    private let indexByName: [String: Int]

    init(_ columns: [PostgresColumn]) {
        self.columns = columns
        // The first column wins when a name repeats, as in `SELECT a.id, b.id`.
        self.indexByName = Dictionary(
            columns.enumerated().map { ($0.element.name, $0.offset) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    func index(of name: String) -> Int? {
        indexByName[name]
    }
}
