import Basics
import Testing

@testable import SupplierSimulator

@Suite("Delay distributions")
struct DelayDistributionTests {
    private func samples(_ distribution: DelayDistribution, count: Int = 20_000) -> [Double] {
        var random = SplitMix64(seed: 3)
        return (0..<count).compactMap { _ in distribution.sample(&random) }
    }

    @Test("fixed, uniform and never")
    func simple() {
        #expect(self.samples(.fixed(5), count: 10) == Array(repeating: 5, count: 10))
        let uniform = self.samples(.uniform(min: 2, max: 4))
        #expect(uniform.allSatisfy { $0 >= 2 && $0 < 4 })
        #expect(abs(uniform.reduce(0, +) / Double(uniform.count) - 3) < 0.05)
        #expect(self.samples(.never, count: 10).isEmpty)
    }

    @Test("log-normal has the configured median and a long right tail")
    func logNormal() {
        let sorted = self.samples(.logNormal(median: 10, sigma: 0.5)).sorted()
        let median = sorted[sorted.count / 2]
        #expect(abs(median - 10) < 0.5)
        #expect(sorted.allSatisfy { $0 > 0 })
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        #expect(mean > median, "right-skewed")
    }

    @Test("a seeded generator repeats itself")
    func seeded() {
        var first = SplitMix64(seed: 99)
        var second = SplitMix64(seed: 99)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
    }
}
