import Synchronization

/// The part of each supplier's rate limit this process may use.
///
/// A supplier's limit is per account, not per process, and every worker calls it with the same key. Each worker
/// therefore takes a share in proportion to the request partitions it owns (its share of the requests, and so
/// of the calls they make), updated as partitions move. Shares add up to the whole once the group is balanced;
/// while partitions move they add up to less, never to more, except that a worker owning nothing keeps one
/// partition's worth for the follow-ups it still runs. A lease in PostgreSQL would be exact at every moment, but
/// it would cost a database round trip per supplier call, or a refresh protocol with leases that expire, for a
/// guarantee the supplier only enforces loosely over a second or more.
public final class RateShare: Sendable {
    private let fraction: Mutex<Double>

    /// A share of `fraction` (clamped to 0.001…1). Default: the whole limit (a process alone).
    public init(_ fraction: Double = 1) {
        self.fraction = Mutex(Self.clamped(fraction))
    }

    /// The fraction of each limit this process uses now.
    public var value: Double { fraction.withLock { $0 } }

    /// Takes `owned` of `total` partitions' worth from now on (at least one partition's).
    ///
    /// - Returns: The new fraction.
    @discardableResult
    public func set(owned: Int, of total: Int) -> Double {
        guard total > 0 else { return value }
        let share = Self.clamped(Double(max(owned, 1)) / Double(total))
        fraction.withLock { $0 = share }
        return share
    }

    private static func clamped(_ fraction: Double) -> Double {
        fraction.isFinite ? min(1, max(0.001, fraction)) : 1
    }
}
