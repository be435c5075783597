import Activation
import Console
import Escalation
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Pool

/// Records with hostile and secret content, and a console over them, for the route tests.
enum ConsoleFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_777_600_000)
    static let token = "test-console-token-0123456789"
    /// A code the supplier sent in full; no page may show it.
    static let code = "834512"
    static let apiKey = "sk-live-SECRET42"
    /// An account ID that would be markup if it were not escaped.
    static let hostileAccount = "<script>alert(1)</script>"

    static func attempt() -> AttemptRecord {
        let route = AttemptRoute(supplier: "sim", service: "tg", country: "usa", numberType: "any")
        var attempt = AttemptRecord(spec: AttemptSpec(number: 1, route: route, requestID: "req-1"), startedAt: t0)
        attempt.number = AllocatedNumber(
            supplierActivationID: "9001", phoneNumber: "+15550001", priceMinor: 20, currency: "USD", purchasedAt: t0,
            expiresAt: t0.addingTimeInterval(1200), cancellableAt: t0.addingTimeInterval(120))
        attempt.codeReceivedAt = t0.addingTimeInterval(30)
        attempt.maskedCode = code
        attempt.lastSupplierReply = "STATUS_OK:\(code)"
        return attempt
    }

    static func timeline() -> [TimelineEntry] {
        [
            TimelineEntry(at: t0, kind: .requestReceived, attempt: 0, state: .received, detail: "request received"),
            TimelineEntry(at: t0.addingTimeInterval(1), kind: .purchaseFailed, attempt: 1, state: .allocating,
                          detail: "no numbers", supplierReply: "NO_NUMBERS api_key=\(apiKey)", reasonCode: "no_inventory"),
            TimelineEntry(at: t0.addingTimeInterval(2), kind: .numberAllocated, attempt: 1, state: .waitingCode, detail: "number +15550001"),
            TimelineEntry(at: t0.addingTimeInterval(30), kind: .codeReceived, attempt: 1, state: .codeReceived,
                          detail: "code arrived", supplierReply: "STATUS_OK:\(code)"),
            TimelineEntry(at: t0.addingTimeInterval(31), kind: .holdDebited, attempt: 1, state: .completed, detail: "debited",
                          amount: Money(amountMinor: 20, currency: "USD")),
        ]
    }

    static func evidence(_ requestID: String = "req-1") -> Evidence {
        var evidence = EvidenceAssembler.assemble(EvidenceSource(requestID: requestID, timeline: timeline(), accountEmail: "ops@example.com"))
        evidence.accountID = hostileAccount
        evidence.attempts = [attempt()]
        evidence.state = "completed"
        return evidence
    }

    static func record(_ requestID: String = "req-1") -> ActivationRecord {
        ActivationRecord(
            evidence: evidence(requestID), machine: nil, createdAt: t0, updatedAt: t0.addingTimeInterval(31),
            pendingEvents: [OutboxEvent(eventID: "\(requestID)#3", requestID: requestID, kind: "completed", payload: "{}")],
            escalation: nil)
    }

    static func escalation(_ requestID: String = "req-2", status: EscalationStatus = .open) -> Escalation {
        let trigger = EscalationTrigger(
            id: "\(requestID)#2", rule: "expired", priority: 6, queue: .supplierFallback, source: "expired", reasonCode: "code_never_arrived",
            at: t0, detail: "no code within the window")
        return Escalation(
            requestID: requestID, accountID: "acct-1", queue: .supplierFallback, status: status, triggers: [trigger],
            evidence: evidence(requestID), resolution: nil, createdAt: t0, updatedAt: t0)
    }

    static func listing(_ requestID: String, state: ActivationState, account: String = "acct-1") -> ActivationListing {
        ActivationListing(
            requestID: requestID, accountID: account, state: state, service: "tg", country: "usa", attempt: 1, supplier: "sim",
            phone: "+15550001", createdAt: t0, updatedAt: t0)
    }

    static let metrics = """
        # TYPE otppool_supplier_calls_total counter
        otppool_supplier_calls_total{supplier="sim",action="purchase",result="ok"} 8
        otppool_supplier_calls_total{supplier="sim",action="purchase",result="no_inventory"} 2
        otppool_supplier_call_duration_seconds_bucket{supplier="sim",action="purchase",le="0.05"} 9
        otppool_supplier_call_duration_seconds_bucket{supplier="sim",action="purchase",le="0.1"} 10
        otppool_supplier_call_duration_seconds_bucket{supplier="sim",action="purchase",le="+Inf"} 10
        otppool_supplier_call_duration_seconds_sum{supplier="sim",action="purchase"} 0.3
        otppool_supplier_call_duration_seconds_count{supplier="sim",action="purchase"} 10
        otppool_supplier_rate_limit_waits_total{supplier="sim"} 3
        otppool_supplier_rate_limit_wait_seconds_sum{supplier="sim"} 1.5
        otppool_dlq_total{reason="invalid_json"} 4
        """

    /// Runs `test` against a console over `backend` (token configured unless `token` is nil; dead-letter replay only
    /// with a `replayer`).
    static func withConsole<T: Sendable>(
        _ backend: MemoryBackend, token: String? = token, replayer: (any DeadLetterReplaying)? = nil,
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let console = OperatorConsole(
            backend: backend, figures: ConsoleFigures(lag: { [] }, metrics: { metrics }), token: token, replayer: replayer,
            logger: Logger(label: "console-tests"))
        let router = Router()
        console.addRoutes(to: router)
        return try await Application(router: router).test(.router) { client in try await test(client) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
