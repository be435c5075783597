import Testing

@testable import Activation

@Suite("W3C trace context: traceparent and tracestate")
struct TraceContextTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func aValidTraceparentParsesAndFormatsBackTheSame() throws {
        let trace = try #require(TraceContext(traceparent: Self.valid))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID == "00f067aa0ba902b7")
        #expect(trace.flags == 0x01)
        #expect(trace.isSampled)
        #expect(trace.traceState == nil)
        #expect(trace.traceparent == Self.valid)
    }

    @Test func whitespaceAroundTheValueIsAllowed() throws {
        #expect(TraceContext(traceparent: " \t\(Self.valid) ")?.traceparent == Self.valid)
    }

    /// Each form the specification calls invalid is ignored (nil), never accepted or repaired.
    @Test(arguments: [
        ("", "empty"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "flags missing"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", "flags one digit short"),
        ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version ff is forbidden"),
        ("0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version one digit"),
        ("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version not hex"),
        ("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version uppercase"),
        ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", "all-zero trace ID"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "all-zero parent ID"),
        ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "uppercase trace ID"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", "uppercase parent ID"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0X", "flags not hex"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-FF", "flags uppercase"),
        ("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", "trace ID 31 digits"),
        ("00-4bf92f3577b34da6a3ce929d0e0e47366-0f067aa0ba902b7-01", "trace ID 33 digits"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-701", "parent ID 15 digits"),
        ("00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", "wrong separators"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", "version 00 with a trailing dash"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what", "version 00 with more fields"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011", "version 00 one character too long"),
        ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", "a higher version going on without a dash"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u{00e9}", "a non-ASCII character"),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f06\u{00e9}aa0ba902b7-01", "a non-ASCII character inside"),
    ])
    func invalidFormsAreIgnored(_ text: String, _ why: String) {
        #expect(TraceContext(traceparent: text) == nil, "\(why): \(text)")
    }

    @Test func aHigherVersionIsReadAsFarAsVersion00Reaches() throws {
        let exact = try #require(TraceContext(traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(exact.traceparent == Self.valid, "sent on as version 00")
        let longer = try #require(TraceContext(traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds"))
        #expect(longer.traceparent == Self.valid)
    }

    @Test func reservedFlagBitsAreSentAsZero() throws {
        let trace = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff"))
        #expect(trace.flags == 0x03)
        #expect(trace.traceparent.hasSuffix("-03"))
    }

    @Test func aChildKeepsTraceFlagsAndStateWithANewSpan() throws {
        let parent = try #require(TraceContext(traceparent: Self.valid, tracestate: "congo=t61rcWkgMzE"))
        var generator = CountingGenerator()
        let child = parent.child(using: &generator)
        #expect(child.traceID == parent.traceID)
        #expect(child.flags == parent.flags)
        #expect(child.traceState == "congo=t61rcWkgMzE")
        #expect(child.spanID != parent.spanID)
        #expect(child.spanID == "0000000000000001")
        #expect(TraceContext(traceparent: child.traceparent, tracestate: child.traceState) == child, "what it sends parses back")
    }

    @Test func aRootHasRandomNonZeroIDsAndIsNotSampled() throws {
        var generator = CountingGenerator()
        let root = TraceContext.root(using: &generator)
        #expect(root.traceID == "00000000000000010000000000000002")
        #expect(root.spanID == "0000000000000003")
        #expect(!root.isSampled)
        #expect(root.flags == 0x02, "random trace ID")
        #expect(TraceContext(traceparent: root.traceparent) == root)
        #expect(TraceContext.root().traceID != TraceContext.root().traceID)
    }

    @Test func allZeroRandomIDsAreDrawnAgain() {
        var generator = ZerosFirstGenerator()
        let root = TraceContext.root(using: &generator)
        #expect(root.traceID.contains { $0 != "0" })
        #expect(root.spanID.contains { $0 != "0" })
    }

    @Test func continuingKeepsTheIncomingTraceOrStartsANewOne() throws {
        let incoming = try #require(TraceContext(traceparent: Self.valid))
        let continued = TraceContext.continuing(incoming)
        #expect(continued.traceID == incoming.traceID)
        #expect(continued.spanID != incoming.spanID)
        #expect(TraceContext.continuing(nil).traceID != incoming.traceID)
    }

    @Test func aValidTracestateIsKeptNormalised() throws {
        let trace = try #require(TraceContext(
            traceparent: Self.valid, tracestate: " rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE,tenant@vendor=a b"))
        #expect(trace.traceState == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,tenant@vendor=a b")
    }

    /// An invalid tracestate is dropped whole; the traceparent stays.
    @Test(arguments: [
        ("", "empty"),
        ("rojo", "no value"),
        ("rojo=", "empty value"),
        ("Rojo=1", "uppercase key"),
        ("1rojo=1", "key starting with a digit"),
        ("rojo=a,rojo=b", "a key twice"),
        ("rojo=a=b", "= in the value"),
        ("rojo=caf\u{00e9}", "non-ASCII value"),
        ("@vendor=1", "empty tenant"),
        ("tenant@=1", "empty system"),
        ("tenant@1vendor=1", "system starting with a digit"),
        ((0..<33).map { "k\($0)=v" }.joined(separator: ","), "33 members"),
        ("k=" + String(repeating: "v", count: 257), "value longer than 256"),
        ((0..<10).map { "k\($0)=" + String(repeating: "v", count: 60) }.joined(separator: ","), "longer than 512 in all"),
    ])
    func invalidTracestatesAreDropped(_ state: String, _ why: String) throws {
        let trace = try #require(TraceContext(traceparent: Self.valid, tracestate: state))
        #expect(trace.traceState == nil, "\(why)")
        #expect(trace.traceparent == Self.valid)
    }
}

/// Yields 1, 2, 3 …: predictable IDs.
private struct CountingGenerator: RandomNumberGenerator {
    var count: UInt64 = 0
    mutating func next() -> UInt64 {
        count += 1
        return count
    }
}

/// Yields zeros for the first four draws (an all-zero trace and span), then ones.
private struct ZerosFirstGenerator: RandomNumberGenerator {
    var draws = 0
    mutating func next() -> UInt64 {
        draws += 1
        return draws <= 4 ? 0 : 1
    }
}
