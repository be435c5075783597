import Foundation
import Testing

@testable import Suppliers

@Suite("JSONScanner: supplier lists read without a tree")
struct JSONScannerTests {
    /// The text the scanner reads for one JSON value, and whether the whole input was that value; nil when malformed.
    private func text(_ json: String) -> String?? {
        JSONScanner.scan(json[...]) { scanner -> String?? in
            guard let value = scanner.lenientValue(), scanner.atEnd() else { return nil }
            return .some(value.text)
        }
    }

    @Test("scalars read as lenient text: strings, whole and other numbers, flags, null, lists and objects")
    func scalars() {
        #expect(text(#""tg""#) == "tg")
        #expect(text(#"  "" "#) == "")
        #expect(text("796495656126001") == "796495656126001")
        #expect(text("-12") == "-12")
        #expect(text("0") == "0")
        #expect(text("18.50") == "18.5")
        #expect(text("18.0") == "18", "a whole number in integer form, however written")
        #expect(text("1e3") == "1000")
        #expect(text("1.5e-3") == "0.0015")
        #expect(text("12345678901234567890") == "1.2345678901234567e+19", "beyond Int64: as a Double prints it")
        #expect(text("true") == "1")
        #expect(text("false") == "0")
        #expect(text("null") == .some(nil))
        #expect(text(#"["old", "Your code 123456"]"#) == "Your code 123456", "a list is its last entry")
        #expect(text("[]") == .some(nil))
        #expect(text(#"{"a": [1, {"b": null}], "c": "d"}"#) == .some(nil), "an object has no text, and is read past")
        #expect(text(#"[{"a": "x\"y\u00e9\ud83d\ude00", "b": -1.5e3, "c": [true, false, null]}, "after"]"#) == "after")
    }

    @Test("escapes, surrogate pairs and UTF-8 in strings")
    func strings() {
        #expect(text(#""a\"b\\c\/d\n\t\r\b\f""#) == "a\"b\\c/d\n\t\r\u{08}\u{0C}")
        #expect(text(#""caf\u00e9 \u041a""#) == "café К")
        #expect(text(#""\ud83d\ude00""#) == "😀", "a surrogate pair is one scalar")
        #expect(text(#""\ud83d x""#) == "\u{FFFD} x", "a lone surrogate reads as the replacement character")
        #expect(text(#""Ваш код 1234""#) == "Ваш код 1234")
    }

    @Test("malformed text is refused, not guessed", arguments: [
        #""open"#, #""bad \q escape""#, "\"raw \u{01} control\"", #""\u12""#, "[1,]", "[1 2]", #"{"a" 1}"#,
        #"{"a":1,}"#, "{1:2}", "tru", "nul", "-", "1.", "1e", "--1", #"{"a":1} x"#, "", String(repeating: "[", count: 100),
        // The same faults inside an object, whose members are read past rather than kept.
        #"{"a":"bad \q escape"}"#, "{\"a\":\"raw \u{01} control\"}", #"{"a":"\u12"}"#, #"{"a":[1,]}"#, #"{"a":1.}"#,
        #"{"a":{"b":tru}}"#, #"{"a":"open}"#,
    ])
    func malformed(_ json: String) {
        #expect(text(json) == nil)
    }

    @Test("deep nesting stops at the limit instead of recursing on")
    func depth() {
        let deep = String(repeating: "[", count: JSONScanner.maximumDepth + 1) + String(repeating: "]", count: JSONScanner.maximumDepth + 1)
        let shallow = String(repeating: "[", count: 10) + "7" + String(repeating: "]", count: 10)
        #expect(text(deep) == nil)
        #expect(text(shallow) == "7")
    }

    /// On Darwin a bridged string's UTF-8 need not be contiguous and is copied first; on Linux it is native.
    @Test("a string bridged from NSString reads the same")
    func bridged() {
        let bridged = NSString(string: #"{"a": "é", "b": [1, 2]}"#) as String
        let members = JSONScanner.scan(bridged[...]) { scanner -> [String: String?]? in
            var members: [String: String?] = [:]
            let read = scanner.object { scanner, key in
                guard let value = scanner.lenientValue() else { return false }
                members[key] = value.text
                return true
            }
            return read && scanner.atEnd() ? members : nil
        }
        #expect(members == ["a": "é", "b": "2"])
    }
}
