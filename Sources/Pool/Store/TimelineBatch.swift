import Activation
import Foundation
import Postgres

/// New timeline entries as parallel arrays, so one `INSERT … SELECT FROM unnest(…)` writes them all.
///
/// Entries keep their position in the machine's timeline as `seq`; the unique `(request_id, seq)` index turns a
/// redelivered step's inserts into no-ops (`ON CONFLICT DO NOTHING`).
struct TimelineBatch: Sendable {
    var seqs: [Int32] = []
    var times: [String] = []
    var kinds: [String] = []
    var attempts: [Int32] = []
    var states: [String] = []
    var details: [String] = []

    /// The entries of `machine`'s timeline from position `start` on.
    ///
    /// - Throws: ``PoolStoreError`` with code `encoding` when an entry cannot be encoded.
    init(_ machine: ActivationStateMachine, from start: Int) throws {
        for (seq, entry) in machine.timeline.entries(from: start) {
            seqs.append(Int32(clamping: seq))
            times.append(RFC3339.format(entry.at))
            kinds.append(entry.kind.rawValue)
            attempts.append(Int32(clamping: entry.attempt))
            states.append(entry.state.rawValue)
            details.append(try ActivationColumns.encode(entry, requestID: machine.request.requestID).text)
        }
    }

    /// The binds for ``unnest(firstParameter:)``'s placeholders, in order.
    var binds: [any PostgresBindable] { [seqs, times, kinds, attempts, states, details] }

    /// `unnest(…) AS t(seq, at, kind, attempt, state, detail)` with placeholders from `$first`.
    static func unnest(firstParameter first: Int) -> String {
        let p = (first..<first + 6).map { "$\($0)" }
        return "unnest(\(p[0])::int[], \(p[1])::timestamptz[], \(p[2])::text[], \(p[3])::int[], \(p[4])::text[], "
            + "\(p[5])::jsonb[]) AS t(seq, at, kind, attempt, state, detail)"
    }
}
