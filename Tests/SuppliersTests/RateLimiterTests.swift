import Testing

@testable import Suppliers

@Suite("RateLimiter")
struct RateLimiterTests {
    @Test("a quiet limiter lets the burst through at once")
    func burstPassesImmediately() {
        let limiter = RateLimiter(requestsPerSecond: 10, burst: 3)
        let now = ContinuousClock.now
        let slots = (0..<4).map { _ in limiter.reserve(now: now) }
        #expect(slots[0] == now && slots[1] == now && slots[2] == now)
        #expect(slots[3] > now)
    }
}
