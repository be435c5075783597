/// A string as a JSON string literal, for code that writes JSON by hand (the wire encoder, the simulator's hot
/// replies, the hostile input generator): quotes, backslashes and control characters escaped, everything else as
/// UTF-8.
public enum JSONQuoting {
    /// `text` as a JSON string literal, in UTF-8 (a `'; DROP TABLE …` or a right-to-left override reaches the reader
    /// verbatim).
    @inlinable
    public static func quoted(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        write(text, into: &bytes)
        return bytes
    }

    /// Appends `text` as a JSON string literal to `output`, escaped as Foundation's `JSONEncoder` escapes it with
    /// `.withoutEscapingSlashes`: quote, backslash, `\b \f \n \r \t` and `\u00XX` for the other control characters,
    /// everything else as UTF-8 (the wire encoder's output is compared with Foundation's byte for byte).
    public static func write(_ text: String, into output: inout [UInt8]) {
        output.append(0x22)
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: bytes[start..<index])
                start = index + 1
                switch byte {
                case 0x22: output += [0x5C, 0x22]
                case 0x5C: output += [0x5C, 0x5C]
                case 0x08: output += [0x5C, 0x62]
                case 0x0C: output += [0x5C, 0x66]
                case 0x0A: output += [0x5C, 0x6E]
                case 0x0D: output += [0x5C, 0x72]
                case 0x09: output += [0x5C, 0x74]
                default: output += [0x5C, 0x75, 0x30, 0x30, hex(byte >> 4), hex(byte & 0x0F)]
                }
            }
            output.append(contentsOf: bytes[start...])
        }
        output.append(0x22)
    }

    /// `text` as a JSON string literal.
    @inlinable
    public static func quotedString(_ text: String) -> String {
        String(decoding: quoted(text), as: UTF8.self)
    }

    @inlinable
    static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
