import Basics
import Foundation

/// Supplier time: real time since start × the time scale, plus whatever tests skipped ahead.
struct SimulatorClock: Sendable {
    private var startInstant: ContinuousClock.Instant
    private var startDate: Date
    private var startSupplierSeconds: Double
    private(set) var scale: Double

    init(scale: Double) {
        self.startInstant = .now
        self.startDate = Date()
        self.startSupplierSeconds = 0
        self.scale = max(scale, 1e-9)
    }

    /// Supplier seconds since the simulator started.
    func now(_ instant: ContinuousClock.Instant = .now) -> Double {
        self.startSupplierSeconds + (instant - self.startInstant).seconds * self.scale
    }

    /// The wall-clock date at which the supplier clock reads `supplierSeconds` (at the current scale).
    func date(_ supplierSeconds: Double) -> Date {
        self.startDate + (supplierSeconds - self.startSupplierSeconds) / self.scale
    }

    /// Real seconds that `supplierSeconds` take at the current scale.
    func realSeconds(_ supplierSeconds: Double) -> Double {
        supplierSeconds / self.scale
    }

    /// Changes the scale from now on; supplier time already passed stays passed.
    mutating func rescale(_ scale: Double) {
        let now = ContinuousClock.now
        self.startSupplierSeconds = self.now(now)
        self.startDate = self.date(self.startSupplierSeconds)
        self.startInstant = now
        self.scale = max(scale, 1e-9)
    }

    /// Jumps supplier time ahead; wall-clock dates of later events move back accordingly.
    mutating func advance(by supplierSeconds: Double) {
        self.startSupplierSeconds += supplierSeconds
        self.startDate -= supplierSeconds / self.scale
    }
}
