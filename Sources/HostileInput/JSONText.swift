/// JSON text building blocks: string quoting and escaping.
enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped, everything else
    /// as UTF-8 (so a `'; DROP TABLE …` or a right-to-left override reaches the reader verbatim).
    static func quoted(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x00..<0x20: bytes += Array("\\u00".utf8) + [self.hex(byte >> 4), self.hex(byte & 0x0F)]
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
        return bytes
    }

    /// A JSON string literal whose content is `raw`, inserted without escaping (invalid UTF-8, a `\ud800`
    /// escape).
    static func quotedRaw(_ raw: [UInt8]) -> [UInt8] {
        [0x22] + raw + [0x22]
    }

    private static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
