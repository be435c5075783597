/// Who works an escalation: the owner queue a rule assigns.
public enum EscalationQueue: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Money to return or check: refunds, disputes, codes that arrived after a cancel, stuck holds.
    case refunds
    /// The supplier or country is at fault: consider changing the pool.
    case supplierFallback = "supplier-fallback"
    /// The client's side: wrong service code, duplicate keys, late finish.
    case clientWorkflow = "client-workflow"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        Self.allCases.firstIndex(of: lhs)! < Self.allCases.firstIndex(of: rhs)!
    }
}
