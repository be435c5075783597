import Activation
import Foundation
import Postgres

/// New timeline entries as parallel arrays, so one `INSERT … SELECT FROM unnest(…)` writes them all, for one
/// activation or for the several of a batch.
///
/// Entries keep their position in the machine's timeline as `seq`; the unique `(request_id, seq)` index turns a
/// redelivered step's inserts into no-ops (`ON CONFLICT DO NOTHING`).
struct TimelineBatch: Sendable {
    var requestIDs: [String] = []
    var seqs: [Int32] = []
    var times: [String] = []
    var kinds: [String] = []
    var attempts: [Int32] = []
    var states: [String] = []
    /// Each entry as JSON text.
    var details: [String] = []

    /// No entries.
    init() {}

    /// The entries of `machine`'s timeline from position `start` on.
    ///
    /// - Throws: ``PoolStoreError`` with code `encoding` when an entry cannot be encoded.
    init(_ machine: ActivationStateMachine, from start: Int) throws {
        let requestID = machine.request.requestID
        let entries = machine.timeline.entries(from: start)
        reserveCapacity(entries.count)
        for (seq, entry) in entries {
            requestIDs.append(requestID)
            seqs.append(Int32(clamping: seq))
            times.append(RFC3339.format(entry.at))
            kinds.append(entry.kind.rawValue)
            attempts.append(Int32(clamping: entry.attempt))
            states.append(entry.state.rawValue)
            details.append(try ActivationColumns.encode(entry, requestID: requestID).text)
        }
    }

    /// Makes room for `count` entries in every column.
    mutating func reserveCapacity(_ count: Int) {
        requestIDs.reserveCapacity(count)
        seqs.reserveCapacity(count)
        times.reserveCapacity(count)
        kinds.reserveCapacity(count)
        attempts.reserveCapacity(count)
        states.reserveCapacity(count)
        details.reserveCapacity(count)
    }

    /// How many entries the batch holds.
    var count: Int { seqs.count }

    /// Adds another activation's entries.
    mutating func append(_ other: TimelineBatch) {
        requestIDs += other.requestIDs
        seqs += other.seqs
        times += other.times
        kinds += other.kinds
        attempts += other.attempts
        states += other.states
        details += other.details
    }

    /// The binds for ``insert(joining:firstParameter:)``'s placeholders, in order.
    var binds: [any PostgresBindable] { [requestIDs, seqs, times, kinds, attempts, states, details] }

    /// A data-modifying CTE body inserting the entries (placeholders `$first` … `$first + 6`) of the activations
    /// `written` returned (a CTE with a `request_id` column): entries of a row the statement did not write are not
    /// inserted.
    static func insert(joining written: String, firstParameter first: Int) -> String {
        let p = (first..<first + 7).map { "$\($0)" }
        return """
            INSERT INTO activation_timeline (request_id, seq, at, kind, attempt, state, detail)
            SELECT t.request_id, t.seq, t.at, t.kind, t.attempt, t.state, t.detail
            FROM unnest(\(p[0])::text[], \(p[1])::int[], \(p[2])::timestamptz[], \(p[3])::text[], \(p[4])::int[], \
            \(p[5])::text[], \(p[6])::text[]) AS t(request_id, seq, at, kind, attempt, state, detail)
            JOIN \(written) USING (request_id)
            ON CONFLICT DO NOTHING
            """
    }
}
