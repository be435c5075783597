import Foundation
import Testing

@testable import Kafka

@Suite("KafkaHeader: a text value is the same header as its bytes")
struct KafkaHeaderTests {
    @Test("text and byte values read back alike, compare and hash alike, and hand librdkafka the same bytes")
    func textAndBytes() {
        let texts = ["", "v1", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "ключ ✓"]
        for text in texts {
            let fromText = KafkaHeader(key: "k", string: text)
            let fromBytes = KafkaHeader(key: "k", value: Data(text.utf8))
            #expect(fromText.value == Data(text.utf8))
            #expect(fromText.stringValue == text)
            #expect(fromText == fromBytes)
            #expect(fromText.hashValue == fromBytes.hashValue)
            #expect(fromText.withValueBytes { $0.map { Data($0) } ?? Data() } == Data(text.utf8))
            // An empty value is an empty value (an address, no bytes) either way, not a header without a value.
            #expect(fromText.withValueBytes { $0?.baseAddress == nil } == fromBytes.withValueBytes { $0?.baseAddress == nil })
        }
        let absent = KafkaHeader(key: "k", value: nil)
        #expect(absent.value == nil && absent.stringValue == nil)
        #expect(absent.withValueBytes { $0 == nil })
        #expect(absent != KafkaHeader(key: "k", string: ""))
        var changed = KafkaHeader(key: "k", string: "a")
        changed.value = Data("b".utf8)
        #expect(changed.stringValue == "b")
    }
}
