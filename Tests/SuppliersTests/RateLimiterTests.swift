import Basics
import Foundation
import Synchronization
import Testing

@testable import Suppliers

@Suite("RateLimiter")
struct RateLimiterTests {
    @Test("a quiet limiter lets the burst through at once, then spaces requests")
    func burstPassesImmediately() {
        let limiter = RateLimiter(requestsPerSecond: 10, burst: 3)
        let now = ContinuousClock.now
        let slots = (0..<5).compactMap { _ in limiter.reserve(now: now) }
        #expect(slots[0] == now && slots[1] == now && slots[2] == now)
        #expect(slots[3] == now + .milliseconds(100))
        #expect(slots[4] == now + .milliseconds(200))
    }

    @Test("reservations are handed out back to back at the rate: no gaps, so no caller starves")
    func reservationsHaveNoGaps() {
        let limiter = RateLimiter(requestsPerSecond: 100, burst: 5)
        let start = ContinuousClock.now
        let slots = (0..<1_000).compactMap { _ in limiter.reserve(now: start) }
        #expect(slots.prefix(5).allSatisfy { $0 == start })
        for index in 5..<slots.count {
            #expect(slots[index] == start + .milliseconds(10 * (index - 4)))
        }
    }

    @Test("a process with a share of the account's limit spaces its requests by that share, from its next one on")
    func shareScalesTheRateAndTheBurst() {
        let share = RateShare()
        let limiter = RateLimiter(requestsPerSecond: 100, burst: 8, share: share)
        #expect(share.set(owned: 3, of: 12) == 0.25)
        let start = ContinuousClock.now
        let quarter = (0..<6).compactMap { _ in limiter.reserve(now: start) }
        #expect(quarter.prefix(2).allSatisfy { $0 == start }, "a quarter of the burst of 8")
        #expect(quarter.dropFirst(2).enumerated().allSatisfy { $0.element == start + .milliseconds(40 * ($0.offset + 1)) },
                "25 a second: one every 40 ms")
        share.set(owned: 12, of: 12)
        let whole = (0..<3).compactMap { _ in limiter.reserve(now: start) }
        #expect(whole[1] - whole[0] == .milliseconds(10), "the whole limit again: one every 10 ms")
    }

    @Test("a share is its partitions' part, at least one partition's, and never above the whole")
    func shareFollowsPartitions() {
        let share = RateShare()
        #expect(share.value == 1)
        #expect(share.set(owned: 6, of: 12) == 0.5)
        #expect(share.set(owned: 0, of: 12) == 1.0 / 12, "a worker owning nothing keeps one partition's worth")
        #expect(share.set(owned: 20, of: 12) == 1)
        #expect(share.set(owned: 3, of: 0) == 1, "an unknown total changes nothing")
        #expect(RateShare(0).value == 0.001 && RateShare(.nan).value == 1)
    }

    // Wall-clock checks only bound the rate from above: on a loaded 2-core CI machine other suites
    // can starve these tasks of CPU, so "enough grants" is proven by the test above instead.
    @Test("concurrent callers together never exceed the rate")
    func holdsRateUnderConcurrency() async throws {
        let rate = 100.0
        let limiter = RateLimiter(requestsPerSecond: rate, burst: 5)
        let callers = 16
        let window = Duration.milliseconds(1500)
        let start = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: [ContinuousClock.Instant].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var granted: [ContinuousClock.Instant] = []
                    while ContinuousClock.now - start < window {
                        try await limiter.acquire()
                        granted.append(.now)
                    }
                    return granted
                }
            }
            var all: [[ContinuousClock.Instant]] = []
            for try await granted in group { all.append(granted) }
            return all
        }
        let inWindow = counts.flatMap { $0 }.filter { $0 - start <= window }.count
        let allowed = 5 + Int(rate * window.seconds)
        #expect(inWindow <= allowed + 2, "\(inWindow) grants in \(window), at most \(allowed) allowed")
    }

    @Test("a turn that would start after the caller's deadline is refused at once and not spent")
    func deadlineRefusesWithoutSpending() async throws {
        let limiter = RateLimiter(requestsPerSecond: 10, burst: 1)
        let now = ContinuousClock.now
        #expect(limiter.reserve(now: now) == now)
        #expect(limiter.reserve(now: now, by: now + .milliseconds(50)) == nil)
        #expect(limiter.reserve(now: now, by: now + .milliseconds(100)) == now + .milliseconds(100))
        #expect(limiter.reserve(now: now) == now + .milliseconds(200), "the refused turn took no slot")
        #expect(try await limiter.acquire(by: .now) == false, "refused without waiting for a slot ~300 ms away")
    }

    @Test("a refusal cuts the pace, once per burst of refusals; seconds without one bring it back to the configured rate")
    func refusalsCutThePace() {
        let limiter = RateLimiter(requestsPerSecond: 100, burst: 1)
        let now = ContinuousClock.now
        #expect(limiter.refused(now: now))
        #expect(!limiter.refused(now: now + .milliseconds(100)), "the same burst of refusals: one cut")
        let cut = (0..<2).compactMap { _ in limiter.reserve(now: now) }
        #expect(cut[1] - cut[0] == .nanoseconds(14_285_714), "70 a second: \(cut[1] - cut[0])")
        #expect(limiter.refused(now: now + .milliseconds(300)))
        let later = now + .milliseconds(2_300)  // two seconds without a refusal: 49 × 1.1² = 59.29 a second
        let grown = (0..<2).compactMap { _ in limiter.reserve(now: later) }
        let spacing = (grown[1] - grown[0]).components.attoseconds / 1_000_000_000
        #expect((16_860_000...16_870_000).contains(spacing), "\(grown[1] - grown[0])")
        let whole = (0..<2).compactMap { _ in limiter.reserve(now: now + .seconds(60)) }
        #expect(whole[1] - whole[0] == .milliseconds(10), "back to the configured rate, and no further")
        #expect(!RateLimiter(requestsPerSecond: 0).refused(now: now), "no configured rate, no pace")
    }

    @Test("zero means unlimited")
    func unlimited() async throws {
        let limiter = RateLimiter(requestsPerSecond: 0)
        for _ in 0..<10_000 { try await limiter.acquire() }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
