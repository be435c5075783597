import Activation
import Foundation

/// The activation engine alone, with nothing running: its store, publisher, follow-ups, suppliers and clock in
/// memory (``EngineRig``), so what it measures is the engine's own work per activation (the state machine, the
/// steps' encoding, the chain of steps), without PostgreSQL, the broker or HTTP. `otppool bench engine` runs it and
/// measures the process's CPU around it.
public enum EngineBenchmark {
    /// What a run did.
    public struct Report: Sendable, Hashable, Codable {
        /// Requests taken in.
        public var activations: Int
        /// Those that completed (each charged its number's price).
        public var completed: Int
        /// Wall-clock seconds of the run.
        public var seconds: Double
        /// Steps written per activation (intakes and applied steps; purchase claims not counted).
        public var stepsPerActivation: Double
        /// Supplier calls per activation (purchases, status checks, finishes, cancels).
        public var supplierCallsPerActivation: Double
        /// Whether the money came out exact: nothing left held, the balance down by the completed activations'
        /// prices, each completed activation debited its price once and released the rest of its hold.
        public var moneyExact: Bool
    }

    /// Runs `activations` requests through the engine, `wave` at a time (taken in at once, then driven to their
    /// end: each number's code arrives on its `codeOnPoll`-th status check).
    ///
    /// - Parameter progress: Called after each wave with the activations done so far.
    /// - Throws: when the engine throws, or follow-ups never settle.
    public static func run(
        activations: Int, wave: Int, codeOnPoll: Int = 2, progress: (Int) -> Void = { _ in }
    ) async throws -> Report {
        let rig = try EngineRig(codeOnPoll: codeOnPoll, keepsEvents: false)
        let started = ContinuousClock.now
        var done = 0
        while done < activations {
            let count = min(wave, activations - done)
            try await rig.intake((done..<(done + count)).map { rig.request($0 + 1) })
            try await rig.drive()
            done += count
            progress(done)
        }
        let seconds = (ContinuousClock.now - started).seconds
        let stored = await rig.store.activations
        let completed = stored.filter { $0.state == .completed }
        let account = await rig.store.account(id: EngineRig.accountID)
        let moneyExact = account?.heldMinor == 0
            && account?.balanceMinor == EngineRig.balanceMinor - Int64(completed.count) * EngineRig.priceMinor
            && completed.allSatisfy {
                $0.ledger.debitedMinor == EngineRig.priceMinor && $0.ledger.releasedMinor == $0.ledger.heldMinor - EngineRig.priceMinor
            }
        let calls = rig.suppliers.reduce(0) { $0 + $1.counts.calls }
        return Report(
            activations: activations, completed: completed.count, seconds: seconds,
            stepsPerActivation: Double(await rig.store.written) / Double(activations),
            supplierCallsPerActivation: Double(calls) / Double(activations), moneyExact: moneyExact)
    }
}
