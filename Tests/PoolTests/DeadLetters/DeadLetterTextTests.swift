import Foundation
import Pool
import Testing

@Suite("Dead letters: safe rendering of untrusted bytes")
struct DeadLetterTextTests {
    @Test("valid UTF-8 stays text; other bytes are escaped; control characters never reach the terminal raw")
    func escapesBytesAndControls() {
        #expect(DeadLetterText.render(Data("héllo\n\tok".utf8)) == "héllo\n\tok")
        #expect(DeadLetterText.render(Data([0x61, 0xFF, 0xC3, 0x28, 0x00, 0x62])) == #"a\xFF\xC3(\u{0}b"#)
        #expect(DeadLetterText.render(Data("\u{1B}[31mred\u{7F}".utf8)) == #"\u{1B}[31mred\u{7F}"#)
        // Overlong encodings and surrogates are not valid UTF-8.
        #expect(DeadLetterText.render(Data([0xC0, 0xAF, 0xED, 0xA0, 0x80])) == #"\xC0\xAF\xED\xA0\x80"#)
    }

    @Test("secret-named fields are masked, in JSON (whole or cut off) and in name=value text")
    func masksSecrets() {
        let json = Data(#"{"request_id":"r-1","api_key":"sk-123","nested":{"Auth_Token": 98765},"note":"token=abc&x=1"}"#.utf8)
        let rendered = DeadLetterText.render(json)
        #expect(rendered == #"{"request_id":"r-1","api_key":"***","nested":{"Auth_Token": "***"},"note":"token=***&x=1"}"#)
        #expect(!rendered.contains("sk-123") && !rendered.contains("98765") && !rendered.contains("abc"))
        let cut = DeadLetterText.render(Data(#"{"password": "hunter2 and more"#.utf8))
        #expect(cut == #"{"password": "***""#)
        #expect(DeadLetterText.isSecret("X-Api-Key") && DeadLetterText.isSecret("authorization") && !DeadLetterText.isSecret("trace"))
    }

    @Test("the rendering is capped, with a note of what was left out")
    func capsTheSize() {
        let rendered = DeadLetterText.render(Data(String(repeating: "x", count: 10_000).utf8), limit: 100)
        #expect(rendered.hasPrefix(String(repeating: "x", count: 100) + "…"))
        #expect(rendered.hasSuffix("(9900 more characters, 10000 bytes in all)"))
    }
}
