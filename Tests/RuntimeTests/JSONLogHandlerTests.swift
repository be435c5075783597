import Activation
import Foundation
import Logging
import Pool
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

@Suite("JSON logs: trace context")
struct JSONLogHandlerTraceTests {
    @Test func aLineWrittenInAnActivationsTraceNamesItsTraceAndSpan() throws {
        let trace = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        let handler = JSONLogHandler(label: "otppool.worker", level: .info, metadataProvider: TraceScope.loggingMetadata)
        let event = LogEvent(
            level: .info, message: "resumed a stalled activation", metadata: ["request.id": "req-1"], source: "Pool",
            file: #fileID, function: #function, line: #line)

        let inside = try TraceScope.$current.withValue(trace) { try #require(handler.render(event, at: Date())) }
        let fields = try #require(try JSONSerialization.jsonObject(with: inside) as? [String: String])
        #expect(fields["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(fields["span_id"] == "00f067aa0ba902b7")
        #expect(fields["request.id"] == "req-1")

        let outside = try #require(handler.render(event, at: Date()))
        let plain = try #require(try JSONSerialization.jsonObject(with: outside) as? [String: String])
        #expect(plain["trace_id"] == nil && plain["span_id"] == nil)
    }
}
