import Testing

@testable import Pool

@Suite("AdmissionRate: new requests paced by how late follow-ups fire")
struct AdmissionRateTests {
    /// Takes as many requests as the rate lets in at `now`.
    func admitted(_ rate: inout AdmissionRate, at now: Int64) -> Int {
        var count = 0
        while rate.take(now: now) == nil { count += 1 }
        return count
    }

    @Test("at most a quarter second's worth goes at once, then one per 1/rate seconds")
    func paces() {
        var rate = AdmissionRate(perSecond: 40)
        #expect(admitted(&rate, at: 0) == 1, "the bucket starts with one")
        #expect(admitted(&rate, at: 10_000) == 10, "a long pause fills it to a quarter second of the rate, no more")
        let wait = rate.take(now: 10_000)
        #expect(wait == 25, "the next one in 1/40 s")
        #expect(admitted(&rate, at: 10_030) == 1)
        #expect(admitted(&rate, at: 11_030) == 10, "a second later: capped at the burst again")
    }

    @Test("late halves the rate at most once a second; never below one a second")
    func cutsWhenLate() {
        var rate = AdmissionRate(perSecond: 100)
        rate.late(now: 0)
        #expect(rate.perSecond == 50)
        rate.late(now: 500)
        #expect(rate.perSecond == 50, "a cut shows in the lateness only after a while")
        rate.late(now: 1_000)
        #expect(rate.perSecond == 25)
        for second in 2...20 { rate.late(now: Int64(second) * 1_000) }
        #expect(rate.perSecond == AdmissionRate.floor)
    }

    @Test("on time it grows only while requests wait for it")
    func growsWhenThrottled() {
        var rate = AdmissionRate(perSecond: 10)
        rate.onTime(now: 0)
        for tick in 1...8 { rate.onTime(now: Int64(tick) * 250) }
        #expect(rate.perSecond == 10, "nobody waited: an idle worker keeps its rate")

        _ = admitted(&rate, at: 2_000)
        #expect(rate.take(now: 2_000) != nil, "throttled")
        rate.onTime(now: 3_000)
        #expect(rate.perSecond > 10 && rate.perSecond <= 10 * 1.2 + 1)
        let grown = rate.perSecond
        rate.onTime(now: 4_000)
        #expect(rate.perSecond == grown, "no request waited since the last tick")
    }

    @Test("a saturated pool converges: cut while late, regrown while on time, in bounds")
    func staysInBounds() {
        var rate = AdmissionRate()
        var now: Int64 = 0
        for round in 0..<200 {
            now += 250
            _ = admitted(&rate, at: now)
            _ = rate.take(now: now)
            if round % 20 < 3 { rate.late(now: now) } else { rate.onTime(now: now) }
            #expect(rate.perSecond >= AdmissionRate.floor && rate.perSecond <= AdmissionRate.ceiling)
        }
    }
}
