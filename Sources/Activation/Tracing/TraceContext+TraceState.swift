extension TraceContext {
    /// The longest `tracestate` passed on; the specification asks receivers to propagate at least this much and
    /// lets them drop more.
    static let maxTraceStateLength = 512

    /// The most list members a `tracestate` may have.
    static let maxTraceStateMembers = 32

    /// A received `tracestate`, normalised (members trimmed, empty ones dropped, joined with `,`), or nil when it is
    /// empty or invalid: more than 32 members, a key twice, a member that is not `key=value` with the
    /// specification's key and value grammar, or longer than 512 characters in all.
    ///
    /// An invalid `tracestate` is dropped whole rather than repaired: the vendors' entries are opaque to this pool.
    static func validTraceState(_ text: String) -> String? {
        var keys = Set<Substring>()
        var members: [Substring] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let member = trimmingWhitespace(raw)
            if member.isEmpty { continue }
            guard let equals = member.firstIndex(of: "=") else { return nil }
            let key = member[..<equals]
            let value = member[member.index(after: equals)...]
            guard isTraceStateKey(key), isTraceStateValue(value), keys.insert(key).inserted else { return nil }
            members.append(member)
        }
        let joined = members.joined(separator: ",")
        guard !members.isEmpty, members.count <= maxTraceStateMembers, joined.utf8.count <= maxTraceStateLength else { return nil }
        return joined
    }

    /// `simple-key` (a lowercase letter, then up to 255 of `a-z 0-9 _ - * /`) or `tenant@system` (a tenant of up to
    /// 241 such characters starting with a letter or digit, a system of up to 14 starting with a letter).
    private static func isTraceStateKey(_ key: Substring) -> Bool {
        let bytes = Array(key.utf8)
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        func isKeyCharacter(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || "_-*/".utf8.contains(byte) }
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            let tenant = bytes[..<at], system = bytes[(at + 1)...]
            guard let tenantFirst = tenant.first, let systemFirst = system.first else { return false }
            return tenant.count <= 241 && (isLetter(tenantFirst) || isDigit(tenantFirst)) && tenant.allSatisfy(isKeyCharacter)
                && system.count <= 14 && isLetter(systemFirst) && system.allSatisfy(isKeyCharacter)
        }
        guard let first = bytes.first else { return false }
        return bytes.count <= 256 && isLetter(first) && bytes.allSatisfy(isKeyCharacter)
    }

    /// 1–256 printable ASCII characters other than `,` and `=`, spaces allowed except at the end.
    private static func isTraceStateValue(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        func isNonBlank(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=") }
        guard let last = bytes.last, bytes.count <= 256, isNonBlank(last) else { return false }
        return bytes.allSatisfy { $0 == 0x20 || isNonBlank($0) }
    }
}
