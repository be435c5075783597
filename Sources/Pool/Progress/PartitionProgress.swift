import Kafka

/// Which records are in flight per partition, and how far each partition may be committed.
///
/// A worker keeps many records of one partition in flight and finishes them in any order, but may
/// only commit a partition up to its *contiguous-done watermark*: the first offset not finished yet.
/// This state machine tracks that, decides back-pressure (which partitions to pause and resume to
/// keep in-flight work within ``InFlightLimits``), and forgets a partition on revoke: each assignment
/// gets a new generation, and tickets of an older generation finish without effect.
///
/// It is a plain value with no locking and no side effects; ``InFlightTracker`` wraps it in a lock
/// for concurrent use.
public struct PartitionProgress: Sendable {
    /// The bounds that decide pausing.
    public let limits: InFlightLimits
    private var windows: [TopicPartition: PartitionWindow] = [:]
    private var nextGeneration: UInt64 = 1
    private var total = 0
    private var pausedByTotal = false
    /// Topics whose partitions are held paused whatever their in-flight count (admission: new requests wait
    /// in Kafka while the work already taken in is behind).
    private var heldTopics: Set<String> = []

    public init(limits: InFlightLimits = InFlightLimits()) {
        self.limits = limits
    }

    /// Records begun and not finished, over all partitions.
    public var inFlight: Int { total }

    /// Records begun and not finished in one partition.
    public func inFlight(_ partition: TopicPartition) -> Int { windows[partition]?.inFlight ?? 0 }

    /// The generation of a partition's current assignment, or `nil` when it is not tracked.
    public func generation(of partition: TopicPartition) -> UInt64? { windows[partition]?.generation }

    /// Whether a partition is paused by back-pressure.
    public func isPaused(_ partition: TopicPartition) -> Bool {
        guard let window = windows[partition] else { return false }
        return pausedByTotal || window.pausedBySelf || heldTopics.contains(partition.topic)
    }

    /// Whether a topic's partitions are held by ``hold(topic:)``.
    public func isHeld(topic: String) -> Bool { heldTopics.contains(topic) }

    /// Holds every partition of `topic` paused, now and as they are assigned, until ``release(topic:)``.
    ///
    /// - Returns: the partitions to pause (those the bounds had not paused already); empty when already held.
    public mutating func hold(topic: String) -> FlowControl {
        guard heldTopics.insert(topic).inserted, !pausedByTotal else { return FlowControl() }
        return FlowControl(pause: windows.filter { $0.key.topic == topic && !$0.value.pausedBySelf }.map(\.key))
    }

    /// Ends a hold: the topic's partitions resume unless a bound keeps them paused.
    ///
    /// - Returns: the partitions to resume; empty when the topic was not held.
    public mutating func release(topic: String) -> FlowControl {
        guard heldTopics.remove(topic) != nil, !pausedByTotal else { return FlowControl() }
        return FlowControl(resume: windows.filter { $0.key.topic == topic && !$0.value.pausedBySelf }.map(\.key))
    }

    /// Starts tracking newly assigned partitions, each with a fresh generation.
    ///
    /// Call it on `.partitionsAssigned`; ``begin(_:offset:)`` also starts a partition it does not know.
    /// - Returns: what to apply: the partitions resume (librdkafka may keep an old pause across a
    ///   rebalance), or pause when the consumer is already at its total bound or their topic is held.
    public mutating func assign(_ partitions: [TopicPartition]) -> FlowControl {
        for partition in partitions { startWindow(partition) }
        if pausedByTotal { return FlowControl(pause: partitions) }
        let held = partitions.filter { heldTopics.contains($0.topic) }
        return FlowControl(pause: held, resume: partitions.filter { !heldTopics.contains($0.topic) })
    }

    /// Begins a record: it is in flight until its ticket is finished.
    ///
    /// - Returns: the ticket, and the partitions to pause when a bound was reached.
    public mutating func begin(_ partition: TopicPartition, offset: Int64) -> (ticket: ProgressTicket, flow: FlowControl) {
        if windows[partition] == nil { startWindow(partition) }
        windows[partition]!.begin(offset)
        total += 1
        let ticket = ProgressTicket(partition: partition, offset: offset, generation: windows[partition]!.generation)
        var flow = FlowControl()
        if !pausedByTotal, total >= limits.total {
            pausedByTotal = true
            flow.pause = windows.filter { !$0.value.pausedBySelf }.map(\.key)
        }
        if !windows[partition]!.pausedBySelf, windows[partition]!.inFlight >= limits.perPartition {
            windows[partition]!.pausedBySelf = true
            // Under the total bound it is paused already (or named in `flow.pause` just above).
            if !pausedByTotal { flow.pause.append(partition) }
        }
        return (ticket, flow)
    }

    /// Finishes a record.
    ///
    /// - Returns: the offset to store for the ticket's partition when its watermark moved (the
    ///   offset to resume from), and partitions to resume. Both are empty for a ticket of a revoked
    ///   assignment.
    public mutating func finish(_ ticket: ProgressTicket) -> (offsets: [TopicPartition: Int64], flow: FlowControl) {
        guard var window = windows[ticket.partition], window.generation == ticket.generation else { return ([:], FlowControl()) }
        let before = window.inFlight
        let watermark = window.finish(ticket.offset)
        guard window.inFlight < before else { return ([:], FlowControl()) }
        total -= 1
        var flow = FlowControl()
        if window.pausedBySelf, window.inFlight <= limits.resumeLevel(of: limits.perPartition) {
            window.pausedBySelf = false
            if !pausedByTotal, !heldTopics.contains(ticket.partition.topic) { flow.resume.append(ticket.partition) }
        }
        windows[ticket.partition] = window
        flow.resume += releaseTotalIfDrained()
        let offsets = watermark.map { [ticket.partition: $0] } ?? [:]
        return (offsets, flow)
    }

    /// Forgets revoked partitions: their unfinished records are abandoned (the next owner gets them
    /// again from the last committed offset) and their tickets finish without effect from now on.
    ///
    /// - Returns: partitions to resume when the revoke freed the total bound.
    public mutating func revoke(_ partitions: [TopicPartition]) -> FlowControl {
        for partition in partitions {
            guard let window = windows.removeValue(forKey: partition) else { continue }
            total -= window.inFlight
        }
        return FlowControl(resume: releaseTotalIfDrained())
    }

    private mutating func startWindow(_ partition: TopicPartition) {
        if let old = windows[partition] { total -= old.inFlight }
        windows[partition] = PartitionWindow(generation: nextGeneration)
        nextGeneration += 1
    }

    /// Lifts the total bound once in-flight work fell to its resume level.
    private mutating func releaseTotalIfDrained() -> [TopicPartition] {
        guard pausedByTotal, total <= limits.resumeLevel(of: limits.total) else { return [] }
        pausedByTotal = false
        return windows.filter { !$0.value.pausedBySelf && !heldTopics.contains($0.key.topic) }.map(\.key)
    }
}
