import Testing

@testable import Pool

@Suite("AdmissionRate: new requests paced by how late follow-ups fire")
struct AdmissionRateTests {
    /// Takes as many requests as the rate lets in at `now`, up to `demand`. When the rate, not the demand, stopped
    /// it, the request it refused has waited for the rate (the rate counts as throttled for its next tick).
    func admitted(_ rate: inout AdmissionRate, at now: Int64, upTo demand: Double = .infinity) -> Int {
        var count = 0
        while Double(count) < demand, rate.take(now: now) == nil { count += 1 }
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

    @Test("late cuts the rate by 30% at most once per cut spacing; never below one a second")
    func cutsWhenLate() {
        var rate = AdmissionRate(perSecond: 100)
        rate.late(now: 0)
        #expect(rate.perSecond == 70)
        rate.late(now: AdmissionRate.cutSpacing - 1)
        #expect(rate.perSecond == 70, "a cut shows in the lateness only after a while")
        rate.late(now: AdmissionRate.cutSpacing)
        #expect(abs(rate.perSecond - 49) < 1e-9)
        for cut in 2...40 { rate.late(now: Int64(cut) * AdmissionRate.cutSpacing) }
        #expect(rate.perSecond == AdmissionRate.floor)
    }

    @Test("once cut, it grows by the probe's pace, not the ramp's")
    func probesAfterACut() {
        var rate = AdmissionRate(perSecond: 100)
        _ = admitted(&rate, at: 0)
        rate.onTime(now: 0)
        _ = admitted(&rate, at: 1_000)
        rate.onTime(now: 1_000)
        #expect(rate.perSecond == 100 * (1 + AdmissionRate.growthPerSecond) + 1, "before any cut: the ramp")

        rate.late(now: 2_000)
        let cut = rate.perSecond
        _ = admitted(&rate, at: 3_000)
        rate.onTime(now: 3_000)
        #expect(rate.perSecond == cut * (1 + AdmissionRate.probeGrowthPerSecond) + 1)
    }

    @Test("while the pool is calm it doubles a second; near where lateness began it still probes")
    func doublesWhileCalm() {
        var rate = AdmissionRate(perSecond: 100)
        _ = admitted(&rate, at: 0)
        rate.onTime(now: 0, calm: true)
        _ = admitted(&rate, at: 1_000)
        rate.onTime(now: 1_000, calm: true)
        #expect(rate.perSecond == 100 * (1 + AdmissionRate.calmGrowthPerSecond) + 1)

        rate.late(now: 2_000)
        let cut = rate.perSecond
        _ = admitted(&rate, at: 3_000)
        rate.onTime(now: 3_000, calm: true)
        #expect(rate.perSecond == cut * (1 + AdmissionRate.probeGrowthPerSecond) + 1, "calm, but the capacity is near")
    }

    @Test("while calm, what the rate would hold goes at once up to the calm room, and the rate still grows")
    func calmRoomLetsTheOverflowIn() {
        var rate = AdmissionRate(perSecond: 40)
        rate.onTime(now: 0, calm: true)
        rate.calmRoom = 5
        #expect(admitted(&rate, at: 0, upTo: 4) == 4, "one token and three of the room")
        #expect(admitted(&rate, at: 0) == 2, "the rest of the room, then the rate holds")
        #expect(rate.take(now: 0) != nil)
        rate.onTime(now: 1_000, calm: true)
        #expect(rate.perSecond == 40 * (1 + AdmissionRate.calmGrowthPerSecond) + 1, "requests went beyond the rate: it grows")

        rate.calmRoom = 10
        rate.late(now: 2_000)
        _ = admitted(&rate, at: 2_000)
        #expect(rate.take(now: 2_000) != nil, "late: no room beyond the rate")
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
            if round % 20 < 3 { rate.late(now: now) } else { rate.onTime(now: now) }
            #expect(rate.perSecond >= AdmissionRate.floor && rate.perSecond <= AdmissionRate.ceiling)
        }
    }

    /// What a simulated pool did under the rate, tick by tick.
    struct Run {
        var served: [Double] = []
        var lateness: [Double] = []
        var rates: [Double] = []
        /// How long the requests offered now wait for admission, in seconds (what waits, over the offered rate).
        var admissionWait: [Double] = []
    }

    /// A pool that serves `capacity` requests a second (none during `outage`, in ticks), offered `offered(tick)`
    /// requests a second (nil: more than it can ever take): what the rate lets in beyond the capacity queues, and its
    /// follow-ups run as late as the queue takes to clear, seen `lagTicks` ticks later (as the worker sees its
    /// reminders' lateness only once they fall due), while what is queued shows at once as requests in flight (up to
    /// the bound of 300). The worker's ticks and thresholds: every 250 ms, late beyond 0.5 s, on time within 0.25 s,
    /// calm within 0.125 s and with at most a quarter of the bound in flight.
    func simulate(
        capacity: Double, lagTicks: Int, ticks: Int, outage: Range<Int> = 0..<0, offered: ((Int) -> Double)? = nil
    ) -> Run {
        let bound = 300.0
        var rate = AdmissionRate()
        var queued = 0.0
        var waiting = 0.0
        var run = Run()
        for tick in 0..<ticks {
            let now = Int64(tick) * 250
            var demand = Double.infinity
            if let offered {
                waiting += offered(tick) / 4
                demand = waiting
            }
            let given = Double(admitted(&rate, at: now, upTo: demand))
            if let offered {
                waiting -= given
                run.admissionWait.append(waiting / offered(tick))
            }
            let done = min(outage.contains(tick) ? 0 : capacity / 4, queued + given)
            queued += given - done
            run.served.append(done)
            run.lateness.append(queued / capacity)
            run.rates.append(rate.perSecond)
            let seen = run.lateness.count > lagTicks ? run.lateness[run.lateness.count - 1 - lagTicks] : 0
            let calm = seen <= 0.125 && min(queued, bound) <= bound / 4
            if seen > 0.5 { rate.late(now: now) } else if seen <= 0.25 { rate.onTime(now: now, calm: calm) }
            rate.calmRoom = calm ? Int(bound / 4 - min(queued, bound)) : 0
        }
        return run
    }

    /// Growing by a fifth a second from 50 a second, the first requests of 150 and 250 a second waited 2.46 and 5.87 s,
    /// and the burst it then let in ran follow-ups up to 3.3 s late; after a step up from 40 a second, 1.72 and 4.24 s
    /// (2.7 s late). Doubling while calm: 0.37 and 0.68 s from the start, 0.23 and 0.43 s after the step, follow-ups
    /// at most 0.52 s late. With the calm room, only what comes before the first tick waits (0.24 and 0.25 s).
    @Test("a load the pool can carry is taken in within a second: from the start, and when it steps up after a quiet spell",
          arguments: [150.0, 250.0])
    func takesACarriableLoadInQuickly(offered: Double) {
        let start = simulate(capacity: 275, lagTicks: 8, ticks: 400, offered: { _ in offered })
        #expect(start.admissionWait.max()! <= 0.25, "the first requests waited \(start.admissionWait.max()!) s")
        #expect(start.lateness.max()! <= 0.6, "follow-ups up to \(start.lateness.max()!) s late")

        let step = simulate(capacity: 275, lagTicks: 8, ticks: 600, offered: { $0 < 240 ? 40 : offered })
        #expect(step.admissionWait.max()! <= 0.25, "after the step requests waited \(step.admissionWait.max()!) s")
        #expect(step.lateness.max()! <= 0.5, "follow-ups up to \(step.lateness.max()!) s late")
    }

    /// Halving once a second and regrowing by a fifth a second served about half of such a pool with a 2 s lag (0.52
    /// of 200 a second) and let its follow-ups run 2.3 s late: the pool idled in the troughs.
    @Test("a saturated pool is kept busy: most of its capacity served, follow-ups about a second late at worst",
          arguments: [200.0, 1_000.0])
    func keepsASaturatedPoolBusy(capacity: Double) {
        let run = simulate(capacity: capacity, lagTicks: 8, ticks: 600)
        let served = run.served[200...].reduce(0, +) / (400 / 4) / capacity
        let worst = run.lateness[200...].max()!
        #expect(served >= 0.8, "served \(served) of its capacity")
        #expect(worst <= 1.5, "follow-ups up to \(worst) s late")
    }

    /// Growing by the probe's 5% a second from any cut on took 54 s to get back to 80% of the capacity; by a fifth a
    /// second far below where lateness began, 32 s; doubling while calm, 19 s; the old pace (halving, regrowing by a
    /// fifth) 20.5 s, which it paid for in the saturated pool above.
    @Test("after an outage cut it to a few a second, it ramps back within about half a minute")
    func recoversFromAnOutage() {
        let outage = 200..<320
        let run = simulate(capacity: 200, lagTicks: 8, ticks: 700, outage: outage)
        #expect(run.rates[outage.upperBound] < 20, "cut down during the 30 s outage")
        let back = run.rates[outage.upperBound...].firstIndex { $0 >= 160 }.map { $0 - outage.upperBound }
        #expect(back.map { $0 <= 25 * 4 } == true, "back to 80% of the capacity after \(back.map { Double($0) / 4 } ?? .infinity) s")
    }

    @Test("within a run of cuts the rate where lateness began is kept; far below it, the ramp's pace")
    func rampsFarBelowWhereLatenessBegan() {
        var rate = AdmissionRate(perSecond: 100)
        for cut in 0..<5 { rate.late(now: Int64(cut) * AdmissionRate.cutSpacing) }
        let low = rate.perSecond
        #expect(low < 100 * AdmissionRate.probeReach)
        let now = 5 * AdmissionRate.cutSpacing
        rate.onTime(now: now)
        _ = admitted(&rate, at: now + 1_000)
        rate.onTime(now: now + 1_000)
        #expect(rate.perSecond == low * (1 + AdmissionRate.growthPerSecond) + 1)
    }
}
