import Activation
import Foundation
import SupplierSimulator
import Testing

@testable import Pool

@Suite("Status board: checks of numbers awaiting their first code share reads of the active list")
struct StatusBoardTests {
    // Six numbers that never get a code and one whose code arrived, checked all at once through the board: each
    // answer is what getStatus says of it, the supplier saw no getStatus and one or two list reads. A number the list
    // does not show is asked with getStatus.
    @Test("checks asked together share a read and answer as getStatus would")
    func checksShareReadsAndAnswerAsGetStatus() async throws {
        try await Self.withoutRussianCodes { harness in
            var waiting: [SupplierActivationRef] = []
            for index in 1...6 { waiting.append(try await Self.number("board-russia-\(index)", in: harness)) }
            let coded = try await Self.number("board-usa-0", country: "usa", in: harness)
            // Its code comes one supplier second (1/60 s here) after the purchase.
            var direct = await harness.gateway.status(coded)
            let deadline = ContinuousClock.now + .seconds(10)
            while case .waiting = direct, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                direct = await harness.gateway.status(coded)
            }
            guard case .code = direct else {
                Issue.record("no code reached the usa number: \(direct)")
                return
            }
            func calls() -> (status: Int, lists: Int) {
                let requests = harness.simulator.audit().requests
                return ((requests["handler_api.getStatus"] ?? 0) + (requests["5sim.check"] ?? 0),
                        (requests["handler_api.getActiveActivations"] ?? 0) + (requests["5sim.orders"] ?? 0))
            }
            let before = calls()
            let board = StatusBoard(gateway: harness.gateway, spacing: .zero)
            let checked = waiting + [coded]
            let answers = await withTaskGroup(of: (Int, PollResult).self) { group in
                for (index, activation) in checked.enumerated() {
                    group.addTask { (index, await board.status(activation)) }
                }
                var answers: [Int: PollResult] = [:]
                for await (index, answer) in group { answers[index] = answer }
                return answers
            }
            for index in waiting.indices { #expect(answers[index] == .waiting, "number \(index): \(String(describing: answers[index]))") }
            // The same code (the list also carries the SMS text, which getStatus does not).
            guard case .code(let code, _, _) = direct, case .code(let listed, _, _)? = answers[waiting.count] else {
                Issue.record("the coded number was answered \(String(describing: answers[waiting.count]))")
                return
            }
            #expect(listed == code)
            let after = calls()
            #expect(after.status == before.status, "no getStatus for listed numbers")
            #expect((1...2).contains(after.lists - before.lists), "\(after.lists - before.lists) list reads for \(checked.count) checks")

            let unlisted = SupplierActivationRef(attempt: 1, supplier: coded.supplier, activationID: "999999999")
            let viaBoard = await board.status(unlisted)
            #expect(viaBoard == (await harness.gateway.status(unlisted)))
            #expect(calls().status == after.status + 2, "the unlisted number was asked with getStatus")
        }
    }

    // A read the supplier refused (a 5xx) answers its checks with that failure, as their own getStatus would have
    // been answered: sent one each, they turned every failed read into a burst against a supplier under strain.
    @Test("a read that fails transiently answers its checks with the failure, without a getStatus each")
    func aFailedReadAnswersItsChecks() async throws {
        try await Self.withoutRussianCodes { harness in
            var waiting: [SupplierActivationRef] = []
            for index in 1...5 { waiting.append(try await Self.number("board-failed-\(index)", in: harness)) }
            let statusCalls = {
                let requests = harness.simulator.audit().requests
                return (requests["handler_api.getStatus"] ?? 0) + (requests["5sim.check"] ?? 0)
            }
            let before = statusCalls()
            harness.simulator.update { $0.errorRate = 1 }
            let board = StatusBoard(gateway: harness.gateway, spacing: .zero)
            let answers = await withTaskGroup(of: PollResult.self) { group in
                for activation in waiting { group.addTask { await board.status(activation) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            harness.simulator.update { $0.errorRate = 0 }
            for answer in answers {
                guard case .failed(let failure) = answer, failure.kind.isTransient else {
                    Issue.record("a check during a failed read was answered \(answer)")
                    continue
                }
            }
            #expect(statusCalls() == before, "no getStatus for the checks of a failed read")
            #expect(await board.status(waiting[0]) == .waiting, "the next read answers again")
        }
    }

    // Reads for one supplier start at least the spacing apart: checks asked one after another within it wait for the
    // next read rather than each reading the list.
    @Test("reads are spaced, and a check waits for the next one")
    func readsAreSpaced() async throws {
        try await Self.withoutRussianCodes { harness in
            let activation = try await Self.number("board-spaced", in: harness)
            let board = StatusBoard(gateway: harness.gateway, spacing: .milliseconds(400))
            let started = ContinuousClock.now
            #expect(await board.status(activation) == .waiting)
            #expect(await board.status(activation) == .waiting)
            #expect(ContinuousClock.now - started >= .milliseconds(400), "the second check waited for the spaced read")
        }
    }

    // Checks that wait together start a read before the spacing ends: waiting checks hold their follow-ups' in-flight
    // slots, and with a long spacing alone the slots filled and polls fell minutes behind.
    @Test("enough waiting checks start a read before the spacing ends")
    func enoughWaitingChecksReadEarly() async throws {
        try await Self.withoutRussianCodes { harness in
            let activation = try await Self.number("board-eager", in: harness)
            let board = StatusBoard(gateway: harness.gateway, spacing: .seconds(60), eagerBatch: 4)
            #expect(await board.status(activation) == .waiting, "the first read starts at once")
            let started = ContinuousClock.now
            let answers = await withTaskGroup(of: PollResult.self) { group in
                for _ in 0..<4 { group.addTask { await board.status(activation) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers == Array(repeating: .waiting, count: 4))
            #expect(ContinuousClock.now - started < .seconds(30), "four waiting checks did not wait for the 60 s spacing")
        }
    }

    /// Runs `body` with a worker harness whose simulator sends no code to numbers in russia.
    private static func withoutRussianCodes(_ body: @Sendable (WorkerHarness) async throws -> Void) async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.offers = [OfferOverride(country: "russia", smsDelay: .never)]
        try await WorkerHarness.run(simulator: simulator, body)
    }

    /// A number bought for `requestID` in `country` from the pool's first supplier.
    private static func number(_ requestID: String, country: String = "russia", in harness: WorkerHarness) async throws
        -> SupplierActivationRef
    {
        let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
        let spec = AttemptSpec(
            number: 1, route: AttemptRoute(supplier: supplier, service: "tg", country: country, numberType: "any"),
            requestID: requestID)
        let number = try await harness.buy(spec, maxPrice: nil)
        return SupplierActivationRef(attempt: 1, supplier: supplier, activationID: number.supplierActivationID)
    }
}
