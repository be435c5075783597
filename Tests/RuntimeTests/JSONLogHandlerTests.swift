import Foundation
import Logging
import Testing

@testable import Runtime

@Suite("JSON logs")
struct JSONLogHandlerTests {
    @Test func oneObjectPerLineWithTheMetadataAsFields() throws {
        var handler = JSONLogHandler(label: "otppool.worker", level: .info)
        handler[metadataKey: "kafka.group"] = "otppool-activation"
        let event = LogEvent(
            level: .warning, message: "processing failed, retrying in 100 ms", metadata: ["request.id": "req-1", "kafka.partition": "3"],
            source: "Pool", file: #fileID, function: #function, line: #line)
        let line = try #require(handler.render(event, at: Date(timeIntervalSince1970: 1_796_000_000.25)))
        #expect(line.last == 0x0A)
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: String])
        #expect(object == [
            "ts": "2026-11-30T00:53:20.250Z", "level": "warning", "logger": "otppool.worker", "source": "Pool",
            "msg": "processing failed, retrying in 100 ms", "request.id": "req-1", "kafka.partition": "3", "kafka.group": "otppool-activation",
        ])
    }
}
