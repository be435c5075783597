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
    }

    private let ring: Mutex<Ring>
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = Swift.max(capacity, 1)
        ring = Mutex(Ring(samples: []))
    }

    /// Records one firing that was `milliseconds` late (negative: early, counted as zero).
    func record(_ milliseconds: Int64) {
        let sample = Swift.max(milliseconds, 0)
        ring.withLock { ring in
            if ring.samples.count < capacity {
                ring.samples.append(sample)
            } else {
                ring.samples[ring.next] = sample
            }
            ring.next = (ring.next + 1) % capacity
            ring.fired += 1
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
