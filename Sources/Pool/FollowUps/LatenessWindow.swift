import Synchronization

/// The lateness of the most recent firings in a fixed ring, for ``FollowUpLateness``.
///
/// Percentiles are computed by sorting a copy of the window when asked, so recording costs one
/// store under a lock; ask for a snapshot at most every few seconds (metrics scrapes, tests).
final class LatenessWindow: Sendable {
    private struct Ring {
        var samples: [Int64]
        var next = 0
        var fired = 0
        /// The worst lateness of the firings in the current second (`second`, epoch seconds) and the one before.
        var second: Int64 = 0
        var worstThisSecond: Int64 = 0
        var worstSecondBefore: Int64 = 0

        /// Moves the per-second worst figures on to `second`.
        mutating func advance(to second: Int64) {
            guard second != self.second else { return }
            worstSecondBefore = second == self.second + 1 ? worstThisSecond : 0
            worstThisSecond = 0
            self.second = second
        }
    }

    private let ring: Mutex<Ring>
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = Swift.max(capacity, 1)
        ring = Mutex(Ring(samples: []))
    }

    /// Records one firing that was `milliseconds` late (negative: early, counted as zero) at `now` (epoch ms).
    func record(_ milliseconds: Int64, at now: Int64) {
        let sample = Swift.max(milliseconds, 0)
        ring.withLock { ring in
            ring.advance(to: now / 1_000)
            ring.worstThisSecond = Swift.max(ring.worstThisSecond, sample)
            if ring.samples.count < capacity {
                ring.samples.append(sample)
            } else {
                ring.samples[ring.next] = sample
            }
            ring.next = (ring.next + 1) % capacity
            ring.fired += 1
        }
    }

    /// The worst lateness of the firings in the last second or two before `now` (epoch ms); zero when none fired,
    /// so a pool with nothing due is never called behind.
    func recentWorst(at now: Int64) -> Duration {
        ring.withLock { ring in
            ring.advance(to: now / 1_000)
            return .milliseconds(Swift.max(ring.worstThisSecond, ring.worstSecondBefore))
        }
    }

    var snapshot: FollowUpLateness {
        let (samples, fired) = ring.withLock { ($0.samples, $0.fired) }
        guard !samples.isEmpty else { return FollowUpLateness(fired: fired) }
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Duration {
            let index = Swift.min(Int((Double(sorted.count) * p).rounded(.up)) - 1, sorted.count - 1)
            return .milliseconds(sorted[Swift.max(index, 0)])
        }
        return FollowUpLateness(
            fired: fired, window: sorted.count, p50: percentile(0.5), p99: percentile(0.99), max: .milliseconds(sorted.last!))
    }
}
