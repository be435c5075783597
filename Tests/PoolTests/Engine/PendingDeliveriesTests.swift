import Activation
import Foundation
import Synchronization
import Testing

@testable import Pool

/// An input's follow-ups are handed to the producer without holding up its chain of steps, and the input is done
/// (its offset committable) only once they are written.
@Suite struct PendingDeliveriesTests {
    private struct Refused: Error {}

    private struct TimedOut: Error, CustomStringConvertible {
        var description: String { "the condition did not hold within 60 s" }
    }

    /// A value shared with the tasks a test starts.
    private final class Shared<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        func callAsFunction() -> Value { value.withLock { $0 } }
        func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
    }

    @Test func anInputIsDoneOnlyOnceWhatItHandedOverIsSettled() async throws {
        let order = Shared<[String]>([])
        let pending = Shared<PendingDeliveries?>(nil)
        let input = Task {
            try await PendingDeliveries.awaitingDeliveries {
                let current = try #require(PendingDeliveries.current)
                current.expect()
                current.expect()
                pending.update { $0 = current }
                order.update { $0.append("handed") }
            }
            order.update { $0.append("done") }
        }
        while pending() == nil { await Task.yield() }
        let current = try #require(pending())
        try await Task.sleep(for: .milliseconds(50))
        #expect(order() == ["handed"])
        current.settle()
        try await Task.sleep(for: .milliseconds(50))
        #expect(order() == ["handed"], "one of two hand-offs is still out")
        order.update { $0.append("settled") }
        current.settle()
        try await input.value
        #expect(order() == ["handed", "settled", "done"])
    }

    @Test func anInputThatThrowsStillWaitsForWhatItHandedOverThenThrows() async throws {
        let settledFirst = Shared(false)
        await #expect(throws: Refused.self) {
            try await PendingDeliveries.awaitingDeliveries {
                let current = try #require(PendingDeliveries.current)
                current.expect()
                Task {
                    try await Task.sleep(for: .milliseconds(30))
                    settledFirst.update { $0 = true }
                    current.settle()
                }
                throw Refused()
            }
        }
        #expect(settledFirst())
    }

    @Test func nothingHandedOverIsDoneAtOnceAndOutsideAnInputThereIsNoCollector() async throws {
        #expect(PendingDeliveries.current == nil)
        let value = try await PendingDeliveries.awaitingDeliveries { 42 }
        #expect(value == 42)
    }

    @Test func theChainGoesOnWhileItsFollowUpsAreUnwrittenAndTheIntakeEndsOnceTheyAre() async throws {
        let rig = try EngineRig()
        rig.followUps.holdDeliveries()
        let request = rig.request(1)
        let ended = Shared(false)
        let intake = Task {
            try await rig.intake([request])
            ended.update { $0 = true }
        }
        // The chain goes past the intake (its purchase answered and stored) and hands follow-ups over, which stay
        // unwritten. (Counting buys instead would depend on the purchase being sent within its window, which a
        // loaded machine may miss; the answer is stored either way.) Before follow-ups were handed over, the
        // intake waited for each one and none was ever held: this wait then fails.
        try await waitFor { await rig.store.written >= 2 && rig.followUps.heldDeliveries >= 1 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!ended(), "the intake waits until its follow-ups are written")
        rig.followUps.releaseDeliveries()
        try await intake.value
        #expect(ended())
        _ = try await rig.drive()
        #expect(rig.publisher.last(.completed)[request.requestID] != nil)
    }

    private func waitFor(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
