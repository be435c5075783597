import Testing

@testable import Pool

@Suite("LatenessWindow: percentiles over the ring, and the worst of the last second or two for admission")
struct LatenessWindowTests {
    @Test("the recent worst covers this second and the one before, and falls to zero when nothing fired since")
    func recentWorst() {
        let window = LatenessWindow(capacity: 4)
        window.record(3_000, at: 10_100)
        window.record(200, at: 10_900)
        #expect(window.recentWorst(at: 10_950) == .milliseconds(3_000))
        window.record(-50, at: 11_200)
        #expect(window.recentWorst(at: 11_300) == .milliseconds(3_000))
        window.record(100, at: 12_000)
        #expect(window.recentWorst(at: 12_500) == .milliseconds(100))
        #expect(window.recentWorst(at: 14_000) == .zero)
        #expect(window.snapshot.fired == 4)
        #expect(window.snapshot.max == .milliseconds(3_000))
    }
}
