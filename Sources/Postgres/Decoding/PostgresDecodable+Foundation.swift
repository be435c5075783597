import Basics
import Foundation

extension Decimal: PostgresDecodable {
    /// Accepts numeric and integer columns; NaN and infinities are rejected.
    public init(postgresCell cell: PostgresCell) throws {
        let text = try cell.text(as: Decimal.self, ofTypes: PostgresDataType.decimals)
        guard let value = Decimal(written: text), !value.isNaN,
            text.first.map({ $0 == "-" || $0.isNumber }) == true
        else {
            throw cell.invalidValue(Decimal.self, reason: "not a finite decimal number")
        }
        self = value
    }
}

extension Date: PostgresDecodable {
    /// Accepts timestamptz and timestamp (taken as UTC) columns; `infinity` is rejected.
    public init(postgresCell cell: PostgresCell) throws {
        let text = try cell.text(as: Date.self, ofTypes: PostgresDataType.timestamps)
        guard let date = PostgresTimestamp.parse(text) else {
            throw cell.invalidValue(Date.self, reason: "not a finite timestamp in ISO format")
        }
        self = date
    }
}

extension UUID: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        let text = try cell.text(as: UUID.self, ofTypes: PostgresDataType.uuids)
        guard let uuid = UUID(uuidString: text) else {
            throw cell.invalidValue(UUID.self, reason: "not a UUID")
        }
        self = uuid
    }
}

extension PostgresJSON: PostgresDecodable {
    /// Accepts jsonb and json columns, and text ones: JSON a table keeps only to read back, stored as text so the
    /// server does not parse it on every write. The server checks text for nothing but its encoding; the JSON is
    /// checked when decoded.
    public init(postgresCell cell: PostgresCell) throws {
        self.init(text: try cell.text(as: PostgresJSON.self, ofTypes: PostgresDataType.jsonTexts))
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Accepts one-dimensional arrays of the element's type; a NULL element is an error.
    public init(postgresCell cell: PostgresCell) throws {
        let types: Set<PostgresDataType> =
            Element.postgresArrayType == .textArray
            ? [.textArray, .varcharArray]
            : [.int2Array, .int4Array, .int8Array]
        let text = try cell.text(as: [Element].self, ofTypes: types)
        guard let elements = PostgresArrayText.parse(text) else {
            throw cell.invalidValue([Element].self, reason: "not a one-dimensional array")
        }
        self = try elements.enumerated().map { offset, element in
            guard let element else {
                throw cell.invalidValue([Element].self, reason: "element \(offset + 1) is NULL")
            }
            guard let value = Element(postgresArrayElementText: element) else {
                throw cell.invalidValue([Element].self, reason: "element \(offset + 1) does not fit \(Element.self)")
            }
            return value
        }
    }
}
