import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import Runtime

@Suite("Admin server: /metrics, /healthz, /readyz")
struct AdminServerTests {
    @Test func servesMetricsHealthAndReadiness() async throws {
        _ = MetricsRegistry.shared
        Counter(label: "otppool_test_requests_total", dimensions: [("topic", "t")]).increment(by: 3)
        let healthy = Mutex(false)
        let readiness = Readiness([.init("postgres") { healthy.withLock { $0 } ? nil : "PostgreSQL: connection refused" }])
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = AdminServer(
            settings: try await SettingsTests.settings(overrides: ["admin.port": "0"]).admin, readiness: readiness,
            logger: Logger(label: "test")) { port in continuation.yield(port) }
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let http = HTTPClient(eventLoopGroupProvider: .singleton)

        func get(_ path: String) async throws -> (Int, String) {
            let response = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body))
        }
        do {
            let (status, metrics) = try await get("/metrics")
            #expect(status == 200)
            #expect(metrics.contains(#"otppool_test_requests_total{topic="t"} 3"#))
            #expect(try await get("/healthz") == (200, #"{"status":"ok"}"#))

            await readiness.refresh()
            let (notReady, why) = try await get("/readyz")
            #expect(notReady == 503)
            #expect(why.contains("PostgreSQL: connection refused"))
            healthy.withLock { $0 = true }
            await readiness.refresh()
            #expect(try await get("/readyz") == (200, #"{"checks":{"postgres":"ok"},"status":"ready"}"#))
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func aCheckThatHangsCountsAsNotReady() async {
        let readiness = Readiness([.init("kafka") {
            try? await Task.sleep(for: .seconds(30))
            return nil
        }])
        await readiness.refresh(timeout: .milliseconds(100))
        #expect(readiness.state.ready == false)
        #expect(readiness.state.checks["kafka"]?.hasPrefix("no answer within") == true)
    }
}
