import Basics
import Foundation
import Logging
import Synchronization

/// An in-memory SMS supplier that speaks handler_api and 5sim, for development, tests and benchmarks.
///
/// Serve it over HTTP with ``SimulatorServer`` (or ``withRunningServer(host:port:logger:_:)`` in tests); read its
/// ground truth in process with ``audit()``, ``activations()``, ``activation(_:)`` and ``reference(_:)``, or over HTTP
/// at `/sim/audit`.
/// All state sits behind one lock; every request takes it once or twice for O(1) work.
public final class SupplierSimulator: Sendable {
    let state: Mutex<SimulatorState>
    let logger: Logger
    /// The `traceparent` headers received (``traceparents(of:)``); apart from ``state``, off its lock.
    let traceLog = Mutex(TraceLog())

    /// Creates a simulator.
    ///
    /// - Parameters:
    ///   - configuration: catalogue, behaviour and faults. Default: the built-in catalogue, key `sim-key`.
    ///   - logger: lifecycle logs; requests are not logged (they are counted in the audit).
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration(), logger: Logger = Logger(label: "supplier-sim")) {
        self.state = Mutex(SimulatorState(configuration: configuration))
        self.logger = logger
    }

    /// The configuration in force.
    public var configuration: SimulatorConfiguration {
        self.state.withLock { $0.configuration }
    }

    /// Changes the configuration while running: offers and stock are rebuilt, the time scale applies from now on,
    /// activations, balances and the audit stay.
    public func update(_ change: (inout SimulatorConfiguration) -> Void) {
        var configuration = self.configuration
        change(&configuration)
        let updated = configuration
        self.state.withLock { $0.apply(updated) }
    }

    /// Moves supplier time forward at once (codes fall due, windows pass, activations expire).
    public func advance(by duration: Duration) {
        self.state.withLock { $0.clock.advance(by: duration.seconds) }
    }

    /// The audit summary: purchases, cancels, refunds, charges, double purchases, requests.
    public func audit() -> SimulatorAudit {
        self.state.withLock { state in state.audit(now: state.clock.now()) }
    }

    /// One activation's record, or nil when the id is unknown.
    public func activation(_ id: String) -> ActivationAudit? {
        guard let id = Int(id) else { return nil }
        return self.state.withLock { state in state.audit(activation: id, now: state.clock.now()) }
    }

    /// Every activation ever sold, settled to now, sorted by id; also served at `GET /sim/audit/activations`.
    ///
    /// Fault tests join each charged activation to one debit and each refunded one to a release.
    public func activations() -> [ActivationAudit] {
        self.state.withLock { state in state.auditActivations(now: state.clock.now()) }
    }

    /// Everything bought under one request reference.
    public func reference(_ reference: String) -> ReferenceAudit {
        self.state.withLock { $0.audit(reference: reference) }
    }

    /// Every `traceparent` header received in trace `traceID` (of the most recent 10,000 traces), in arrival order.
    public func traceparents(of traceID: String) -> [String] {
        traceLog.withLock { $0.traceparents(of: traceID) }
    }

    /// A key's balance.
    public func balance(ofKey key: String) -> Decimal {
        Cents.decimal(self.state.withLock { $0.balance(key) })
    }
}
