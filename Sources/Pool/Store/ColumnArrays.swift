import Foundation
import Postgres

/// The columns a step writes (``ActivationColumns``) for a batch of activations, as parallel arrays that one
/// `unnest` in a batch statement reads (``IntakeBatch``, ``StepBatch``).
struct ColumnArrays {
    private var snapshots: [String] = []
    private var states: [String] = []
    private var attempts: [Int32] = []
    private var suppliers: [String?] = []
    private var supplierActivationIDs: [String?] = []
    private var countries: [String] = []
    private var numberTypes: [String] = []
    private var phones: [String?] = []
    private var prices: [Int64?] = []
    private var cancellableAts: [Date?] = []
    private var expiresAts: [Date?] = []
    private var finished: [Bool] = []
    private var timelineCounts: [Int32] = []

    mutating func append(_ columns: ActivationColumns) {
        snapshots.append(columns.snapshot.text)
        states.append(columns.state)
        attempts.append(Int32(clamping: columns.attempt))
        suppliers.append(columns.supplier)
        supplierActivationIDs.append(columns.supplierActivationID)
        countries.append(columns.country)
        numberTypes.append(columns.numberType)
        phones.append(columns.phone)
        prices.append(columns.priceMinor)
        cancellableAts.append(columns.cancellableAt)
        expiresAts.append(columns.expiresAt)
        finished.append(columns.finished)
        timelineCounts.append(Int32(clamping: columns.timelineCount))
    }

    /// The binds for ``arguments(firstParameter:)``'s placeholders, in order.
    var binds: [any PostgresBindable] {
        [
            snapshots, states, attempts, suppliers, supplierActivationIDs, countries, numberTypes, phones, prices,
            cancellableAts, expiresAts, finished, timelineCounts,
        ]
    }

    /// The `unnest` arguments for placeholders `$first` … `$first + 12`; they take the names of ``names``.
    static func arguments(firstParameter first: Int) -> String {
        let types = [
            "text", "text", "int", "text", "text", "text", "text", "text", "bigint", "timestamptz", "timestamptz",
            "bool", "int",
        ]
        return types.enumerated().map { "$\(first + $0.offset)::\($0.element)[]" }.joined(separator: ", ")
    }

    /// The column names of ``arguments(firstParameter:)``, in order.
    static let names = """
        snapshot, state, attempt, supplier, supplier_activation_id, country, number_type, phone, price_minor, \
        cancellable_at, expires_at, finished, timeline_count
        """
}
