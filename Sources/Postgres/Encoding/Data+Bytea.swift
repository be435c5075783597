import Foundation

/// Raw bytes as `bytea`, in PostgreSQL's hex text form (`\x0aff…`).
///
/// Parameters and results travel as text; the hex form is the one text form of `bytea` that holds every byte
/// (NUL included) and is the server's default output (`bytea_output = hex`, PostgreSQL 9.0+).
extension Data: PostgresBindable {
    public static var postgresType: PostgresDataType { .bytea }

    public var postgresText: String? {
        var text = "\\x"
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    private static let hexDigits = Array("0123456789abcdef")
}

extension Data: PostgresDecodable {
    /// Accepts `bytea` columns in the hex output form.
    public init(postgresCell cell: PostgresCell) throws {
        let text = try cell.text(as: Data.self, ofTypes: [.bytea])
        let digits = Array(text.utf8)
        guard digits.count >= 2, digits[0] == UInt8(ascii: "\\"), digits[1] == UInt8(ascii: "x"), digits.count % 2 == 0 else {
            throw cell.invalidValue(Data.self, reason: "not in bytea's hex form; set bytea_output = 'hex' for this session")
        }
        var bytes = Data(capacity: (digits.count - 2) / 2)
        var index = 2
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                throw cell.invalidValue(Data.self, reason: "a character outside 0-9 a-f in bytea's hex form")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
