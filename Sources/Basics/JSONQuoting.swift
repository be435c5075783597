/// A string as a JSON string literal, for code that writes JSON by hand (the simulator's hot replies, the hostile
/// input generator): quotes, backslashes and control characters escaped, everything else as UTF-8.
public enum JSONQuoting {
    /// `text` as a JSON string literal, in UTF-8 (a `'; DROP TABLE …` or a right-to-left override reaches the reader
    /// verbatim).
    @inlinable
    public static func quoted(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case 0x00..<0x20: bytes += [0x5C, 0x75, 0x30, 0x30, hex(byte >> 4), hex(byte & 0x0F)]
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
        return bytes
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
