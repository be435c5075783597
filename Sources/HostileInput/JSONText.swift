import Basics

/// JSON text building blocks: string quoting (``JSONQuoting``) and raw literals.
enum JSONText {
    /// `text` as a JSON string literal (``JSONQuoting/quoted(_:)``).
    static func quoted(_ text: String) -> [UInt8] {
        JSONQuoting.quoted(text)
    }

    /// A JSON string literal whose content is `raw`, inserted without escaping (invalid UTF-8, a `\ud800`
    /// escape).
    static func quotedRaw(_ raw: [UInt8]) -> [UInt8] {
        [0x22] + raw + [0x22]
    }
}
