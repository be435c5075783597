import Logging
import SupplierSimulator
import Synchronization
import Testing

@testable import Suppliers

@Suite("API keys stay secret")
struct KeyRedactionTests {
    /// Collects every log line, metadata included, as text.
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])

        func handler(_ label: String) -> some LogHandler { RecordingHandler(recorder: self) }
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            self.recorder.lines.withLock { $0.append("\(event.message) \(merged)") }
        }
    }

    @Test("no log line at trace level and no error carries the key, whichever protocol")
    func keyNeverLogged() async throws {
        let secret = "top-secret-key-4711"
        let recorder = Recorder()
        try await withSimulator(SimulatorConfiguration(apiKeys: [secret], defaultOffer: OfferBehaviour(smsDelay: .fixed(0)))) { sim in
            var logger = Logger(label: "redaction", factory: { recorder.handler($0) })
            logger.logLevel = .trace
            for api in SupplierAPI.allCases {
                let base = api == .handlerAPI ? "http://127.0.0.1:\(sim.port)" : "http://127.0.0.1:\(sim.port)/v1"
                let configuration = SupplierConfiguration(name: "s", api: api, baseURL: base, apiKey: SupplierAPIKey(secret))
                let client = makeSupplierClient(configuration, httpClient: sim.httpClient, logger: logger)
                let number = try await client.buy(try sim.order())
                _ = try await client.status(of: number.activationID)
                let error = await supplierError { try await client.cancel(number.activationID) }
                #expect(error.map { "\($0)".contains(secret) } == false)
                _ = try await client.activeActivations()
            }
        }
        let lines = recorder.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("supplier reply") }, "debug lines were written")
        #expect(!lines.contains { $0.contains(secret) })
    }
}
