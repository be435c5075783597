import Pool

/// Where PostgreSQL's write-ahead log stands: its position in bytes and, from PostgreSQL 14 on, how many records the
/// server has written (`pg_stat_wal`). Two readings give the WAL a run wrote: unlike CPU seconds, the same work
/// writes the same WAL whatever else the machine does, so a change to what each step writes shows in one run.
struct PostgresWAL {
    /// Bytes from the start of the log (`pg_current_wal_lsn()`).
    var bytes: Double
    /// Records written since the statistics were last reset; nil before PostgreSQL 14.
    var records: Double?

    /// Reads both; nil when the server does not answer (the figures are then left out of the report).
    static func read(_ store: ActivationStore) async -> PostgresWAL? {
        guard let bytes = try? await store.pool.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS b")
            .single().decode("b", as: Double.self)
        else { return nil }
        let records = try? await store.pool.query("SELECT wal_records::float8 AS r FROM pg_stat_wal").single().decode("r", as: Double.self)
        return PostgresWAL(bytes: bytes, records: records)
    }

    /// What was written from `start` to `self`, per activation: records (nil when either reading lacks them) and bytes.
    func perActivation(since start: PostgresWAL, activations: Int) -> (records: Double?, bytes: Double) {
        let count = Double(max(activations, 1))
        let records = self.records.flatMap { after in start.records.map { (after - $0) / count } }
        return (records, (bytes - start.bytes) / count)
    }
}
