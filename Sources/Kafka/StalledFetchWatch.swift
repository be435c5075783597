import Foundation

/// Finds assigned partitions that librdkafka never started fetching, from its statistics.
///
/// librdkafka 2.0.2 (Debian's) can leave a partition assigned but never fetched, with no error: an assignment
/// starts the partition's fetcher with an operation stamped with a version taken from a per-partition counter,
/// and a `rd_kafka_pause_partitions` or `rd_kafka_resume_partitions` call from another thread takes the next
/// version; when the pause reaches the partition's queue first, the fetcher's start counts as outdated and is
/// dropped (librdkafka issues #2190 and #5591). The partition then stays in fetch state `none` (or `stopped`,
/// when it was assigned before) for good: its lag grows and nothing is delivered. Workers pause and resume
/// partitions as their in-flight bound and follow-up deadlines demand, so on a loaded machine this came about once
/// in twenty benchmark runs, stalling every activation of one partition until the stall sweep took them.
///
/// The consumer reads librdkafka's statistics every ``KafkaConsumerConfiguration/fetchCheckInterval``; a partition
/// assigned and not fetching in two samples in a row is assigned again, which starts its fetcher afresh from the
/// committed offset. Partitions paused by the application still report a started fetcher, so they are never
/// taken for stalled. A partition still waiting for its committed offset (a slow or unreachable coordinator) is in
/// `none` too: assigning it again only asks once more, and each further restart of the same partition waits twice
/// as many samples as the one before (up to 32), so a slow answer is not asked for again forever.
struct StalledFetchWatch {
    /// Fetch states of an assigned partition whose fetcher is not running and will not start by itself.
    static let notStarted: Set<String> = ["none", "stopped"]
    static let firstRestartAfter = 2
    static let longestWait = 32

    /// Per partition not fetching: samples in a row seen so, and how many it takes before the next restart.
    private var suspects: [TopicPartition: (samples: Int, needed: Int)] = [:]

    /// Takes one statistics sample and returns the assigned partitions to assign again (see the type's comment).
    mutating func sample(_ states: [TopicPartition: String], assigned: Set<TopicPartition>) -> [TopicPartition] {
        let notStarted = assigned.filter { states[$0].map(Self.notStarted.contains) ?? false }
        suspects = suspects.filter { notStarted.contains($0.key) }
        var stalled: [TopicPartition] = []
        for partition in notStarted {
            var suspect = suspects[partition] ?? (0, Self.firstRestartAfter)
            suspect.samples += 1
            if suspect.samples >= suspect.needed {
                stalled.append(partition)
                suspect = (0, min(suspect.needed * 2, Self.longestWait))
            }
            suspects[partition] = suspect
        }
        return stalled.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }

    /// The fetch state of every partition in a librdkafka statistics document (`statistics.interval.ms`), from
    /// `topics.<name>.partitions.<n>.fetch_state`; the internal unassigned partition (-1) is left out. Empty when
    /// the document cannot be read.
    static func fetchStates(statistics json: Data) -> [TopicPartition: String] {
        guard
            let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
            let topics = root["topics"] as? [String: Any]
        else { return [:] }
        var states: [TopicPartition: String] = [:]
        for (topic, value) in topics {
            guard let partitions = (value as? [String: Any])?["partitions"] as? [String: Any] else { continue }
            for (key, entry) in partitions {
                guard let partition = Int32(key), partition >= 0,
                    let state = (entry as? [String: Any])?["fetch_state"] as? String
                else { continue }
                states[TopicPartition(topic: topic, partition: partition)] = state
            }
        }
        return states
    }
}
