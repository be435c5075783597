import Basics
import Foundation

/// A JSON scalar that suppliers write as a number one day and a string the next (`12.5`, `"12.5"`, `"1"`, `true`).
///
/// Decoding never fails on the scalar's type; the accessors read it as the type the caller needs.
struct LenientValue: Decodable, Sendable, Hashable {
    /// The scalar as text (`nil` for JSON null); numbers are kept in their shortest decimal form.
    let text: String?

    init(_ text: String?) {
        self.text = text
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self.text = nil
        } else if let string = try? container.decode(String.self) {
            self.text = string
        } else if let int = try? container.decode(Int64.self) {
            self.text = String(int)
        } else if let double = try? container.decode(Double.self) {
            self.text = "\(double)"
        } else if let bool = try? container.decode(Bool.self) {
            self.text = bool ? "1" : "0"
        } else if let list = try? container.decode([LenientValue].self) {
            // smsCode / smsText are lists at some providers: the last entry is the newest.
            self.text = list.last?.text
        } else {
            self.text = nil
        }
    }

    /// The value as money, exactly as written.
    var decimal: Decimal? { self.text.flatMap { Decimal(written: $0) } }

    /// The value as an integer.
    var int: Int? { self.text.flatMap { Int($0) ?? Double($0).map { Int($0) } } }

    /// The value as a flag: `1`, `true` and `yes` are true.
    var bool: Bool? {
        guard let text = self.text?.lowercased() else { return nil }
        return ["1", "true", "yes"].contains(text)
    }

    /// The text when it is not empty.
    var nonEmpty: String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
