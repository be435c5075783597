import Foundation
import Testing

@testable import Runtime

@Suite("Settings: worker.event_source (the events' ce_source)")
struct EventSourceSettingsTests {
    @Test func theDefaultNamesThePoolAndTheShippedFileAgrees() async throws {
        let shipped = try await SettingsTests.settings(file: SettingsTests.root.appendingPathComponent("config/otppool.yaml").path)
        #expect(try await SettingsTests.settings().worker.eventSource == "urn:otppool:activation-pool")
        #expect(shipped.worker.eventSource == "urn:otppool:activation-pool")
    }

    @Test func itReachesTheWorkerConfiguration() async throws {
        let settings = try await SettingsTests.settings(environment: [
            "OTPPOOL_WORKER_EVENT_SOURCE": "https://otp.example.com/pools/eu-1", "OTPPOOL_KAFKA_BROKERS": "a:9092",
        ])
        let configuration = settings.worker.configuration(client: try await settings.kafka.clientOptions(clientID: "test"), kafka: settings.kafka)
        #expect(configuration.eventSource == "https://otp.example.com/pools/eu-1")
    }

    @Test func aValueThatIsNoURIIsAProblem() async throws {
        let error = await #expect(throws: SettingsError.self) {
            try await SettingsTests.settings(overrides: ["worker.event_source": "my pool"])
        }
        #expect(error?.problems == [
            "worker.event_source is \"my pool\"; use a URI naming the pool, e.g. urn:otppool:activation-pool",
        ])
    }
}
