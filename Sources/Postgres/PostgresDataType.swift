/// A PostgreSQL type, identified by its OID.
///
/// Built-in types have fixed OIDs (`pg_type.oid`); ``unspecified`` (0) lets the server infer a parameter's
/// type from where it is used.
public struct PostgresDataType: Hashable, Sendable, CustomStringConvertible {
    /// The type's OID.
    public var oid: UInt32

    /// Creates a type from its OID.
    public init(oid: UInt32) {
        self.oid = oid
    }

    public static let unspecified = PostgresDataType(oid: 0)
    public static let bool = PostgresDataType(oid: 16)
    public static let bytea = PostgresDataType(oid: 17)
    public static let char = PostgresDataType(oid: 18)
    public static let name = PostgresDataType(oid: 19)
    public static let int8 = PostgresDataType(oid: 20)
    public static let int2 = PostgresDataType(oid: 21)
    public static let int4 = PostgresDataType(oid: 23)
    public static let text = PostgresDataType(oid: 25)
    public static let oidType = PostgresDataType(oid: 26)
    public static let json = PostgresDataType(oid: 114)
    public static let float4 = PostgresDataType(oid: 700)
    public static let float8 = PostgresDataType(oid: 701)
    public static let unknown = PostgresDataType(oid: 705)
    public static let boolArray = PostgresDataType(oid: 1000)
    public static let int2Array = PostgresDataType(oid: 1005)
    public static let int4Array = PostgresDataType(oid: 1007)
    public static let textArray = PostgresDataType(oid: 1009)
    public static let varcharArray = PostgresDataType(oid: 1015)
    public static let int8Array = PostgresDataType(oid: 1016)
    public static let float8Array = PostgresDataType(oid: 1022)
    public static let bpchar = PostgresDataType(oid: 1042)
    public static let varchar = PostgresDataType(oid: 1043)
    public static let date = PostgresDataType(oid: 1082)
    public static let timestamp = PostgresDataType(oid: 1114)
    public static let timestamptz = PostgresDataType(oid: 1184)
    public static let timestamptzArray = PostgresDataType(oid: 1185)
    public static let numeric = PostgresDataType(oid: 1700)
    public static let uuid = PostgresDataType(oid: 2950)
    public static let jsonb = PostgresDataType(oid: 3802)
    public static let jsonbArray = PostgresDataType(oid: 3807)

    private static let names: [UInt32: String] = [
        0: "unspecified", 16: "boolean", 17: "bytea", 18: "\"char\"", 19: "name", 20: "bigint",
        21: "smallint", 23: "integer", 25: "text", 26: "oid", 114: "json", 700: "real",
        701: "double precision", 705: "unknown", 1000: "boolean[]", 1005: "smallint[]", 1007: "integer[]", 1009: "text[]",
        1015: "varchar[]", 1016: "bigint[]", 1022: "double precision[]", 1042: "character", 1043: "varchar", 1082: "date",
        1114: "timestamp", 1184: "timestamptz", 1185: "timestamptz[]", 1700: "numeric", 2950: "uuid", 3802: "jsonb", 3807: "jsonb[]",
    ]

    /// The SQL name for built-in types, `oid <n>` for others.
    public var description: String {
        Self.names[oid] ?? "oid \(oid)"
    }

    /// Types whose text form is the string itself.
    static let textual: Set<PostgresDataType> = [.text, .varchar, .bpchar, .name, .char, .unknown]
    /// Integer types.
    static let integers: Set<PostgresDataType> = [.int2, .int4, .int8]

    // The sets decoders accept, made once: a set literal in a decoder allocated on every cell it decoded.
    static let wholeNumbers = integers.union([.oidType])
    static let smallIntegers: Set<PostgresDataType> = [.int2, .int4]
    static let floatingPoint: Set<PostgresDataType> = [.float4, .float8, .numeric]
    static let decimals = integers.union([.numeric])
    static let timestamps: Set<PostgresDataType> = [.timestamptz, .timestamp]
    static let booleans: Set<PostgresDataType> = [.bool]
    static let uuids: Set<PostgresDataType> = [.uuid]
    static let jsonTexts: Set<PostgresDataType> = [.jsonb, .json, .text]
}
