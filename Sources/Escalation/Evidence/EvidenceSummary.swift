import Activation

/// The few plain sentences at the top of every evidence record: what was asked, what happened, where the
/// money is.
enum EvidenceSummary {
    static func text(for evidence: Evidence) -> String {
        var sentences: [String] = []
        let who = evidence.accountID.map { account in
            evidence.accountEmail.map { "\(account) (\($0))" } ?? account
        } ?? "an unknown account"
        let what = evidence.service ?? "an unknown service"
        let whereTo = evidence.countries.isEmpty ? "" : " in \(evidence.countries.joined(separator: ", "))"
        sentences.append("\(who) asked for a \(what) number\(whereTo).")
        sentences.append(outcome(evidence))
        if !evidence.attempts.isEmpty {
            sentences.append(evidence.attempts.map(attempt).joined(separator: ". ") + ".")
        }
        sentences.append(money(evidence.money))
        if !evidence.errors.isEmpty {
            sentences.append(errors(evidence.errors))
        }
        return sentences.joined(separator: " ")
    }

    /// `3 errors on record: server_error ×2, no_inventory.` — most frequent first.
    private static func errors(_ errors: [ErrorRecord]) -> String {
        var counts: [String: Int] = [:]
        for error in errors { counts[error.reasonCode ?? error.step, default: 0] += 1 }
        let ordered = counts.sorted { (-$0.value, $0.key) < (-$1.value, $1.key) }
        let codes = ordered.map { code, count in count > 1 ? "\(code) ×\(count)" : code }
        let noun = errors.count == 1 ? "error" : "errors"
        return "\(errors.count) \(noun) on record: \(codes.joined(separator: ", "))."
    }

    private static func outcome(_ evidence: Evidence) -> String {
        let attempts = evidence.attempts.count
        let after = attempts > 1 ? " after \(attempts) attempts" : ""
        let why = evidence.reason.map { ": \($0)" } ?? evidence.reasonCode.map { ": \($0)" } ?? ""
        switch evidence.outcome {
        case "completed": return "It completed\(after): a code arrived and the number was finished."
        case "expired": return "It expired\(after): no code arrived in any waiting window and no fallback was left."
        case "failed": return "It failed\(after)\(why)."
        case "cancelled": return "It was cancelled\(after)\(why)."
        case "rejected": return "It was rejected at intake\(why)."
        case "disputed": return "The client disputed it while \(evidence.state ?? "in an unknown state")\(why)."
        case "command_rejected": return "A client command was refused\(why)."
        case "stuck": return "It is stuck in \(evidence.state ?? "an unknown state") with no terminal event."
        default: return "Its last event was \(evidence.outcome) (state \(evidence.state ?? "unknown"))\(why)."
        }
    }

    private static func attempt(_ record: AttemptRecord) -> String {
        var text = "attempt \(record.spec.number) via \(record.spec.route.supplier)/\(record.spec.route.country)/\(record.spec.route.numberType)"
        if let number = record.number { text += " bought \(number.phoneNumber)" }
        if record.codeReceivedAt != nil {
            text += " got a code"
        } else if let failure = record.failure {
            text += " ended: \(failure)"
        }
        if record.cancelDenials > 0 { text += " (\(record.cancelDenials) early-cancel denial\(record.cancelDenials == 1 ? "" : "s"))" }
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    private static func money(_ money: MoneyState) -> String {
        func amount(_ minor: Int64) -> String { Money(amountMinor: minor, currency: money.currency).description }
        switch money.refund {
        case .nothingHeld: return "No money was held."
        case .stillHeld: return "\(amount(money.outstandingMinor)) of the \(amount(money.heldMinor)) hold is still held: check it."
        case .releasedInFull: return "The \(amount(money.heldMinor)) hold was released in full (nothing charged)."
        case .charged: return "The \(amount(money.heldMinor)) hold was charged in full."
        case .chargedRestReleased:
            return "\(amount(money.debitedMinor)) was charged and \(amount(money.releasedMinor)) of the hold released."
        }
    }
}
