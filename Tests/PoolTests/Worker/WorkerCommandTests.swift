import Activation
import Foundation
import Pool
import SupplierSimulator
import TestSupport
import Testing

@Suite("Activation worker: client commands")
struct WorkerCommandTests {
    /// Codes wait for the client (`finish_after_code` none); usa never sends an SMS, england at once.
    static func run(
        commandWait: Duration = WorkerHarness.commandWait, _ body: @Sendable (WorkerHarness) async throws -> Void
    ) async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.offers = [OfferOverride(country: "usa", smsDelay: .never)]
        var policy = WorkerHarness.defaultPolicy()
        policy.pollInterval = .milliseconds(500)
        policy.finishAfterCode = nil
        try await WorkerHarness.run(simulator: simulator, policy: policy, commandWait: commandWait, body)
    }

    static func command(_ kind: ActivationCommandKind, _ requestID: String) -> ActivationCommand {
        ActivationCommand(commandID: uniqueName("cmd"), requestID: requestID, kind: kind, issuedAt: Date())
    }

    @Test("cancel while waiting → cancelled and refunded; finish before a code and after the end → command_rejected")
    func cancelWhileWaiting() async throws {
        try await Self.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-cancel", email: "cancel@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-cancel", countries: ["usa"])
                try await harness.submit(request)
                _ = try await harness.events.waitFor(.numberAllocated, of: request.requestID)

                let early = Self.command(.finish, request.requestID)
                try await harness.command(early)
                let refused = try await harness.events.waitFor(.commandRejected, of: request.requestID)
                #expect(refused.last?.commandID == early.commandID)
                #expect(refused.last?.reasonCode == "invalid_state")

                let cancel = Self.command(.cancel, request.requestID)
                try await harness.command(cancel)
                let events = try await harness.events.waitFor(.cancelled, of: request.requestID)
                let cancelled = try #require(events.last { $0.kind == .cancelled })
                #expect(cancelled.reasonCode == "client_cancel")
                #expect(cancelled.commandID == cancel.commandID)
                #expect(!events.contains { $0.kind == .retrying }, "a client's cancel is never retried")

                let late = Self.command(.finish, request.requestID)
                try await harness.command(late)
                try await waitUntil("the late finish refused") {
                    harness.events.all(request.requestID).contains { $0.kind == .commandRejected && $0.commandID == late.commandID }
                }
                let lateRefusal = harness.events.all(request.requestID).last { $0.commandID == late.commandID }
                #expect(lateRefusal?.reasonCode == "invalid_state")

                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                #expect(stored.state == .cancelled)
                let attempt = try #require(stored.machine.currentAttempt)
                let cancelledAt = try #require(attempt.cancelledAt)
                #expect(cancelledAt >= (attempt.number?.cancellableAt ?? .distantFuture), "not before cancellable_at")
                #expect(attempt.cancelDenials == 0, "the supplier never had to refuse an early cancel")
                let audit = harness.simulator.audit()
                #expect(audit.purchases == 1)
                #expect(audit.cancels == 1)
                #expect(audit.refunds == 1)
                #expect(audit.totalCharged == 0)
                let account = try #require(try await harness.store.account(id: "acct-cancel"))
                #expect(account.balanceMinor == 10_000)
                #expect(account.heldMinor == 0)
            }
        }
    }

    @Test("request_another_code after a code → another code_received; finish → completed, charged once")
    func anotherCodeThenFinish() async throws {
        try await Self.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-finish", email: "finish@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-finish", countries: ["england"])
                try await harness.submit(request)
                _ = try await harness.events.waitFor(.codeReceived, of: request.requestID)

                let cancel = Self.command(.cancel, request.requestID)
                try await harness.command(cancel)
                let refused = try await harness.events.waitFor(.commandRejected, of: request.requestID)
                #expect(refused.last?.commandID == cancel.commandID)
                #expect(refused.last?.reasonCode == "invalid_state")

                try await harness.command(Self.command(.requestAnotherCode, request.requestID))
                try await waitUntil("a second code_received", timeout: .seconds(60)) {
                    harness.events.distinct(request.requestID).filter { $0.kind == .codeReceived }.count >= 2
                }
                let finish = Self.command(.finish, request.requestID)
                try await harness.command(finish)
                _ = try await harness.events.waitFor(.completed, of: request.requestID)

                let seen = harness.events.distinct(request.requestID)
                #expect(seen.map(\.kind) == [.numberAllocated, .codeReceived, .commandRejected, .codeReceived, .completed])
                let codes = seen.filter { $0.kind == .codeReceived }
                #expect(codes.allSatisfy { $0.code?.isEmpty == false && $0.attempt == 1 })
                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                #expect(stored.state == .completed)
                let audit = harness.simulator.audit()
                #expect(audit.purchases == 1)
                #expect(audit.anotherCodeRequests == 1)
                #expect(audit.codesDelivered == 2)
                #expect(audit.finishes == 1)
                #expect(audit.cancels == 0)
                let price = try #require(stored.machine.currentAttempt?.number?.priceMinor)
                #expect(seen.last?.priceMinor == price)
                let account = try #require(try await harness.store.account(id: "acct-finish"))
                #expect(account.balanceMinor == 10_000 - price)
                #expect(account.heldMinor == 0)
            }
        }
    }

    @Test("a command for an unknown request → command_rejected with unknown_request")
    func unknownRequest() async throws {
        try await Self.run { harness in
            try await harness.withWorker {
                let command = Self.command(.cancel, uniqueName("nosuch"))
                try await harness.command(command)
                let events = try await harness.events.waitFor(.commandRejected, of: command.requestID)
                #expect(events.count == 1)
                #expect(events.first?.reasonCode == "unknown_request")
                #expect(events.first?.commandID == command.commandID)
                #expect(harness.simulator.audit().purchaseAttempts == 0)
            }
        }
    }

    // Commands and requests travel on different topics: a cancel can reach a worker before its request. It waits
    // for the request (worker.command_wait_seconds) instead of being rejected, and then applies.
    @Test("a cancel that overtakes its request waits for it, then cancels it")
    func commandBeforeItsRequest() async throws {
        // A wait far above the half second between the two: on a loaded machine the worker may take seconds to
        // join its group and take the request in.
        try await Self.run(commandWait: .seconds(30)) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-early", email: "early@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-early", countries: ["usa"])
                let cancel = Self.command(.cancel, request.requestID)
                try await harness.command(cancel)
                try await Task.sleep(for: .milliseconds(500))
                try await harness.submit(request)
                let events: [ActivationEvent]
                do {
                    events = try await harness.events.waitFor(.cancelled, of: request.requestID)
                } catch {
                    let timeline = try await harness.store.timeline(requestID: request.requestID)
                    Issue.record("events: \(harness.events.all(request.requestID).map { "\($0.kind.rawValue) \($0.reasonCode ?? "")" }); timeline: \(timeline.map { "\($0.kind.rawValue) \($0.detail)" })")
                    throw error
                }
                #expect(events.last?.commandID == cancel.commandID)
                #expect(!events.contains { $0.kind == .commandRejected }, "not rejected as unknown_request")
                let account = try #require(try await harness.store.account(id: "acct-early"))
                #expect(account.balanceMinor == 10_000 && account.heldMinor == 0)
            }
        }
    }
}
