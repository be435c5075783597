import Activation
import Foundation
import Postgres

/// New timeline entries as parallel arrays, so one `INSERT … SELECT FROM unnest(…)` writes them all, for one
/// activation or for the several of a batch: one row per step, holding every entry the step added.
///
/// A row's `seq` is the position of its first entry in the machine's timeline and `entries` how many it holds;
/// `detail` is the entry's JSON object when it holds one, else a JSON array of them, and `at`, `kind`, `attempt`
/// and `state` are its first entry's. A step adds two or three entries, and one row each made the timeline a fifth
/// of PostgreSQL's write-ahead log (a heap tuple, an index entry and a speculative-insert confirmation per entry).
/// The unique `(request_id, seq)` index turns a redelivered step's insert into a no-op (`ON CONFLICT DO NOTHING`).
struct TimelineBatch: Sendable {
    var requestIDs: [String] = []
    var seqs: [Int32] = []
    var times: [String] = []
    var kinds: [String] = []
    var attempts: [Int32] = []
    var states: [String] = []
    /// Each row's entries as JSON text: an object for one, an array for several.
    var details: [String] = []
    /// How many entries each row holds.
    var counts: [Int32] = []

    /// No entries.
    init() {}

    /// The entries of `machine`'s timeline from position `start` on, as one row (none when there are none).
    ///
    /// - Throws: ``PoolStoreError`` with code `encoding` when an entry cannot be encoded.
    init(_ machine: ActivationStateMachine, from start: Int) throws {
        let requestID = machine.request.requestID
        let entries = machine.timeline.entries(from: start)
        guard let (seq, first) = entries.first else { return }
        let encoded = try entries.map { try ActivationColumns.encode($0.entry, requestID: requestID).text }
        requestIDs.append(requestID)
        seqs.append(Int32(clamping: seq))
        times.append(RFC3339.format(first.at))
        kinds.append(first.kind.rawValue)
        attempts.append(Int32(clamping: first.attempt))
        states.append(first.state.rawValue)
        details.append(encoded.count == 1 ? encoded[0] : "[" + encoded.joined(separator: ",") + "]")
        counts.append(Int32(clamping: encoded.count))
    }

    /// The entries of rows read back, in the order of the rows: a row holds one entry's object or an array of them.
    ///
    /// - Throws: What decoding throws for a detail of another shape.
    static func entries(of details: [PostgresJSON], decoder: JSONDecoder) throws -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        entries.reserveCapacity(details.count)
        for detail in details {
            if detail.text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) == UInt8(ascii: "[") {
                entries += try detail.decode([TimelineEntry].self, decoder: decoder)
            } else {
                entries.append(try detail.decode(TimelineEntry.self, decoder: decoder))
            }
        }
        return entries
    }

    /// Makes room for `count` rows in every column.
    mutating func reserveCapacity(_ count: Int) {
        requestIDs.reserveCapacity(count)
        seqs.reserveCapacity(count)
        times.reserveCapacity(count)
        kinds.reserveCapacity(count)
        attempts.reserveCapacity(count)
        states.reserveCapacity(count)
        details.reserveCapacity(count)
        counts.reserveCapacity(count)
    }

    /// How many rows the batch holds.
    var count: Int { seqs.count }

    /// Adds another activation's rows.
    mutating func append(_ other: TimelineBatch) {
        requestIDs += other.requestIDs
        seqs += other.seqs
        times += other.times
        kinds += other.kinds
        attempts += other.attempts
        states += other.states
        details += other.details
        counts += other.counts
    }

    /// The binds for ``insert(joining:firstParameter:)``'s placeholders, in order.
    var binds: [any PostgresBindable] { [requestIDs, seqs, times, kinds, attempts, states, details, counts] }

    /// A data-modifying CTE body inserting the rows (placeholders `$first` … `$first + 7`) of the activations
    /// `written` returned (a CTE with a `request_id` column): rows of an activation the statement did not write are
    /// not inserted.
    static func insert(joining written: String, firstParameter first: Int) -> String {
        let p = (first..<first + parameters).map { "$\($0)" }
        return """
            INSERT INTO activation_timeline (request_id, seq, at, kind, attempt, state, detail, entries)
            SELECT t.request_id, t.seq, t.at, t.kind, t.attempt, t.state, t.detail, t.entries
            FROM unnest(\(p[0])::text[], \(p[1])::int[], \(p[2])::timestamptz[], \(p[3])::text[], \(p[4])::int[], \
            \(p[5])::text[], \(p[6])::text[], \(p[7])::int[]) AS t(request_id, seq, at, kind, attempt, state, detail, entries)
            JOIN \(written) USING (request_id)
            ON CONFLICT DO NOTHING
            """
    }

    /// The placeholders ``insert(joining:firstParameter:)`` takes (``binds``).
    static let parameters = 8
}
