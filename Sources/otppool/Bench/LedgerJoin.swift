import Activation
import Foundation
import Postgres

/// The per-activation ledger of a fault scenario: every number the supplier billed joins exactly one debited
/// attempt at the same price, every refund joins an attempt that was not debited (or a cancelled stray), every
/// debit joins a supplier charge. Totals that happen to match are not proof; this lists each mismatch.
struct LedgerJoin {
    /// One supplier activation whose money does not join.
    struct Mismatch: CustomStringConvertible {
        var supplierActivationID: String
        var requestID: String?
        var problem: String

        var description: String { "supplier activation \(supplierActivationID) (request \(requestID ?? "none")): \(problem)" }
    }

    var charges = 0
    var chargesJoined = 0
    var refunds = 0
    var refundsJoined = 0
    var debits = 0
    var debitsJoined = 0
    var unattributed = 0
    var mismatches: [Mismatch] = []

    /// Who owns a supplier activation in PostgreSQL.
    private struct Owner {
        var requestID: String
        var isFinal: Bool
        var state: ActivationState
        var debitedMinor: Int64
    }

    static func check(account: String, pool: PostgresPool, cluster: BenchCluster) async throws -> LedgerJoin {
        var join = LedgerJoin()
        var owners: [String: Owner] = [:]
        let decoder = WireFormat.makeDecoder()
        let rows = try await pool.query(
            "SELECT request_id, debited_minor, snapshot FROM activations WHERE account_id = $1", [account])
        for row in rows {
            let requestID: String = try row.decode("request_id")
            guard let snapshot = try row.decode("snapshot", as: PostgresJSON?.self) else { continue }
            // What steps change; the request and the policy are columns of their own.
            let progress = try snapshot.decode(ActivationStateMachine.Progress.self, decoder: decoder)
            let debited: Int64 = try row.decode("debited_minor")
            for (index, attempt) in progress.attempts.enumerated() {
                guard let id = attempt.number?.supplierActivationID else { continue }
                if let other = owners[id] {
                    join.mismatches.append(Mismatch(
                        supplierActivationID: id, requestID: requestID, problem: "also owned by \(other.requestID)"))
                }
                owners[id] = Owner(requestID: requestID, isFinal: index == progress.attempts.count - 1, state: progress.state,
                                   debitedMinor: debited)
            }
        }
        let strays = try await pool.query("SELECT supplier_activation_id, request_id, status FROM supplier_strays")
        var strayStatus: [String: String] = [:]
        var strayRequest: [String: String] = [:]
        for row in strays {
            let id: String = try row.decode("supplier_activation_id")
            strayStatus[id] = try row.decode("status")
            strayRequest[id] = try row.decode("request_id", as: String?.self)
        }

        var charged: Set<String> = []
        for activation in try await cluster.simulatorActivations() {
            let id = (activation["id"] as? String) ?? (activation["id"] as? NSNumber).map { "\($0.int64Value)" } ?? "?"
            let priceMinor = Int64((((activation["price"] as? NSNumber)?.doubleValue ?? -1) * 100).rounded())
            let owner = owners[id]
            func mismatch(_ problem: String) {
                // The simulator's record of the purchase reference (`<request>.<attempt>`) names the request when nothing else does.
                let reference = (activation["reference"] as? String).map { "reference \($0): " } ?? ""
                join.mismatches.append(Mismatch(
                    supplierActivationID: id, requestID: owner?.requestID ?? strayRequest[id], problem: reference + problem))
            }
            if activation["charged"] as? Bool == true {
                join.charges += 1
                charged.insert(id)
                guard let owner else {
                    if strayStatus[id] == "finished" { join.unattributed += 1 }
                    mismatch(strayStatus[id] == "finished"
                        ? "unattributed charge \(priceMinor) (a stray that received a code; escalated)"
                        : "charged \(priceMinor) and no attempt owns it")
                    continue
                }
                if owner.isFinal, owner.state == .completed, owner.debitedMinor == priceMinor {
                    join.chargesJoined += 1
                } else {
                    mismatch("charged \(priceMinor); its attempt is \(owner.isFinal ? "final" : "replaced") in a \(owner.state.rawValue) activation that debited \(owner.debitedMinor)")
                }
            } else if activation["refunded"] as? Bool == true {
                join.refunds += 1
                if let owner {
                    if owner.isFinal && owner.state == .completed && owner.debitedMinor > 0 {
                        mismatch("refunded by the supplier but debited \(owner.debitedMinor)")
                    } else {
                        join.refundsJoined += 1
                    }
                } else if strayStatus[id] != nil {
                    join.refundsJoined += 1
                } else {
                    mismatch("refunded; no attempt or stray knows it")
                }
            } else {
                mismatch("still open at the supplier (\(activation["status"] as? String ?? "?"))")
            }
        }
        for (id, owner) in owners where owner.isFinal && owner.state == .completed {
            join.debits += 1
            if charged.contains(id) {
                join.debitsJoined += 1
            } else {
                join.mismatches.append(Mismatch(
                    supplierActivationID: id, requestID: owner.requestID, problem: "debited \(owner.debitedMinor) without a supplier charge"))
            }
        }
        return join
    }
}
