import Activation
import Escalation
import Foundation
import Kafka
import Pool

/// What the overview shows, gathered at one moment. Each part is read on its own: a broker that does not answer
/// leaves the lag empty with the reason, and the rest still shows.
struct Overview: Sendable {
    /// The window outcomes are counted over.
    static let window: Duration = .seconds(60)

    var at: Date
    var outcomes: Result<[ActivationState: Int], Failure>
    var states: Result<[ActivationState: Int], Failure>
    var lag: Result<[PartitionLag], Failure>
    var suppliers: [SupplierHealth]
    /// Inputs this process dead-lettered, by reason code.
    var deadLetters: [(reason: String, count: Int)]
    var escalations: Result<(counts: [EscalationQueue: [EscalationStatus: Int]], oldest: [EscalationQueue: TimeInterval]), Failure>

    /// Why a part could not be read, for the page.
    struct Failure: Error, Sendable {
        var message: String
    }

    static func gather(backend: any ConsoleBackend, figures: ConsoleFigures, now: Date = Date()) async -> Overview {
        async let outcomes = capture { try await backend.outcomes(within: window) }
        async let states = capture { try await backend.countsByState() }
        async let lag = capture { try await figures.lag() }
        async let escalations = capture { (try await backend.escalationCounts(), try await backend.oldestOpenEscalations(now: now)) }
        let samples = PrometheusSample.parse(figures.metrics())
        var dead: [String: Int] = [:]
        for sample in samples where sample.name == "otppool_dlq_total" {
            dead[sample.labels["reason"] ?? "unknown", default: 0] += Int(sample.value)
        }
        return Overview(
            at: now, outcomes: await outcomes, states: await states, lag: await lag, suppliers: SupplierHealth.from(samples),
            deadLetters: dead.map { ($0.key, $0.value) }.sorted { $0.count > $1.count || $0.count == $1.count && $0.reason < $1.reason },
            escalations: await escalations.map { (counts: $0.0, oldest: $0.1) })
    }

    private static func capture<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, Failure> {
        do {
            return .success(try await body())
        } catch {
            return .failure(Failure(message: "\(error)"))
        }
    }
}
