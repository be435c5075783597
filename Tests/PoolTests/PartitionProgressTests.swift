import Kafka
import Pool
import Testing

@Suite("PartitionProgress: contiguous watermarks, back-pressure, revokes")
struct PartitionProgressTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test("out-of-order finishes store only the contiguous prefix")
    func contiguousWatermark() {
        var progress = PartitionProgress(limits: .unlimited)
        let tickets = (10..<15).map { progress.begin(p0, offset: Int64($0)).ticket }
        #expect(progress.finish(tickets[1]).offsets.isEmpty)
        #expect(progress.finish(tickets[3]).offsets.isEmpty)
        #expect(progress.finish(tickets[0]).offsets == [p0: 12])
        #expect(progress.finish(tickets[2]).offsets == [p0: 14])
        #expect(progress.inFlight(p0) == 1)
        #expect(progress.finish(tickets[4]).offsets == [p0: 15])
        #expect(progress.inFlight == 0)
    }

    @Test("offset gaps (compaction) do not hold the watermark back")
    func gaps() {
        var progress = PartitionProgress(limits: .unlimited)
        let a = progress.begin(p0, offset: 3).ticket
        let b = progress.begin(p0, offset: 7).ticket
        #expect(progress.finish(b).offsets.isEmpty)
        #expect(progress.finish(a).offsets == [p0: 8])
    }

    @Test("a double or unknown finish changes nothing")
    func doubleFinish() {
        var progress = PartitionProgress(limits: .unlimited)
        let a = progress.begin(p0, offset: 0).ticket
        let b = progress.begin(p0, offset: 1).ticket
        _ = progress.begin(p0, offset: 2)
        #expect(progress.finish(b).offsets.isEmpty)
        #expect(progress.finish(b).offsets.isEmpty)
        #expect(progress.inFlight == 2)
        let ghost = ProgressTicket(partition: p0, offset: 99, generation: a.generation)
        #expect(progress.finish(ghost).offsets.isEmpty)
        #expect(progress.inFlight == 2)
        #expect(progress.finish(a).offsets == [p0: 2])
        #expect(progress.finish(a).offsets.isEmpty)
        #expect(progress.inFlight == 1)
    }

    @Test("partitions are independent")
    func independentPartitions() {
        var progress = PartitionProgress(limits: .unlimited)
        let a = progress.begin(p0, offset: 0).ticket
        let b = progress.begin(p1, offset: 0).ticket
        #expect(progress.finish(b).offsets == [p1: 1])
        #expect(progress.finish(a).offsets == [p0: 1])
    }

    @Test("tickets from before a revoke never store offsets for a later assignment")
    func revokeGenerations() {
        var progress = PartitionProgress(limits: .unlimited)
        let old = (0..<3).map { progress.begin(p0, offset: Int64($0)).ticket }
        _ = progress.revoke([p0])
        #expect(progress.inFlight == 0)
        _ = progress.assign([p0])
        let fresh = progress.begin(p0, offset: 0).ticket
        #expect(fresh.generation != old[0].generation)
        for ticket in old { #expect(progress.finish(ticket).offsets.isEmpty) }
        #expect(progress.inFlight(p0) == 1)
        #expect(progress.finish(fresh).offsets == [p0: 1])
    }

    @Test("the per-partition bound pauses that partition once and resumes it at half")
    func perPartitionBound() {
        var progress = PartitionProgress(limits: InFlightLimits(perPartition: 4, total: 100))
        var tickets: [ProgressTicket] = []
        var pauses: [TopicPartition] = []
        for offset in 0..<6 {
            let (ticket, flow) = progress.begin(p0, offset: Int64(offset))
            tickets.append(ticket)
            pauses += flow.pause
            #expect(flow.resume.isEmpty)
        }
        #expect(pauses == [p0])
        #expect(progress.begin(p1, offset: 0).flow.isEmpty)
        #expect(progress.finish(tickets[0]).flow.isEmpty)
        #expect(progress.finish(tickets[1]).flow.isEmpty)
        #expect(progress.finish(tickets[2]).flow.isEmpty)
        #expect(progress.finish(tickets[3]).flow == FlowControl(resume: [p0]))
        #expect(progress.finish(tickets[4]).flow.isEmpty)
    }

    @Test("the total bound pauses every partition and resumes them at half, except those still at their own bound")
    func totalBound() {
        var progress = PartitionProgress(limits: InFlightLimits(perPartition: 3, total: 4))
        _ = progress.assign([p0, p1])
        let a = (0..<3).map { progress.begin(p0, offset: Int64($0)) }
        #expect(a.flatMap(\.flow.pause) == [p0])
        let b = progress.begin(p1, offset: 0)
        #expect(b.flow.pause == [p1])
        #expect(progress.isPaused(p0) && progress.isPaused(p1))
        // Finishing p1's record drops the total to 3: above the resume level (2).
        #expect(progress.finish(b.ticket).flow.isEmpty)
        // p0 falls to 2 in flight: still above its own resume level (1), but the total (2) lifts.
        #expect(progress.finish(a[0].ticket).flow == FlowControl(resume: [p1]))
        #expect(progress.finish(a[1].ticket).flow == FlowControl(resume: [p0]))
    }

    @Test("a revoke frees the total bound for the remaining partitions")
    func revokeReleasesTotal() {
        var progress = PartitionProgress(limits: InFlightLimits(perPartition: 10, total: 4))
        _ = progress.assign([p0, p1])
        for offset in 0..<3 { _ = progress.begin(p0, offset: Int64(offset)) }
        let last = progress.begin(p1, offset: 0)
        #expect(Set(last.flow.pause) == [p0, p1])
        #expect(progress.revoke([p0]) == FlowControl(resume: [p1]))
        #expect(progress.assign([p0]) == FlowControl(resume: [p0]))
    }

    @Test("a held topic stays paused through assignment and drained bounds, and resumes on release unless a bound holds it")
    func holdAndRelease() {
        let commands = TopicPartition(topic: "c", partition: 0)
        var progress = PartitionProgress(limits: InFlightLimits(perPartition: 2, total: 100))
        _ = progress.assign([p0, commands])
        #expect(progress.hold(topic: "t") == FlowControl(pause: [p0]))
        #expect(progress.hold(topic: "t").isEmpty)
        #expect(progress.isPaused(p0) && progress.isHeld(topic: "t") && !progress.isPaused(commands))
        // A partition assigned while its topic is held is paused; another topic's resumes.
        #expect(progress.assign([p1, commands]) == FlowControl(pause: [p1], resume: [commands]))
        // Records fetched before the pause take p0 to its own bound: a release leaves it to that bound.
        let fetched = (0..<3).map { progress.begin(p0, offset: Int64($0)).ticket }
        #expect(progress.release(topic: "t") == FlowControl(resume: [p1]))
        #expect(progress.release(topic: "t").isEmpty)
        #expect(progress.finish(fetched[0]).flow.isEmpty)
        #expect(progress.finish(fetched[1]).flow == FlowControl(resume: [p0]))
        // Drained below its bound while held: it waits for the release.
        #expect(Set(progress.hold(topic: "t").pause) == [p0, p1])
        #expect(progress.finish(fetched[2]).flow.isEmpty)
        #expect(Set(progress.release(topic: "t").resume) == [p0, p1])
    }
}
