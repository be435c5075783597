import Basics
import Foundation
import Testing

@Suite("Basics: the shared pieces every layer uses")
struct BasicsTests {
    @Test("FNV-1a matches the published 64-bit test vectors")
    func fnv1aVectors() {
        #expect(FNV1a(Array("".utf8)).hex == "cbf29ce484222325")
        #expect(FNV1a(Array("a".utf8)).hex == "af63dc4c8601ec8c")
        #expect(FNV1a("foobar".utf8).hex == "85944171f73967e8")
        var split = FNV1a()
        split.combine("foo".utf8)
        split.combine("bar".utf8)
        #expect(split.value == FNV1a("foobar".utf8).value, "hashing in pieces equals hashing at once")
    }

    @Test("civil dates round-trip and agree with Foundation's Gregorian calendar")
    func civilDates() throws {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.days(year: 1969, month: 12, day: 31) == -1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: -800_000, through: 3_000_000, by: 997) {
            let (year, month, day) = CivilDate.date(days: days)
            #expect(CivilDate.days(year: year, month: month, day: day) == days)
            if year >= 1600 {
                let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
                #expect(parts.year == year && parts.month == month && parts.day == day, "day \(days)")
            }
        }
    }

    @Test("JSON quoting: what a JSON parser reads back is the text")
    func jsonQuoting() throws {
        for text in ["", "plain", "quote \" and \\ backslash", "line\nfeed\r\ttab", "\u{0}\u{1}\u{1F}", "'; DROP TABLE x; --", "\u{202E}rtl ünï 😀"] {
            let literal = JSONQuoting.quotedString(text)
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(decoded == text, "\(literal)")
        }
        #expect(JSONQuoting.quotedString("a\nb\u{1}") == #""a\nb\u0001""#)
        #expect(JSONQuoting.quotedString("\u{8}\u{C}/") == #""\b\f/""#, "as Foundation writes them, slashes as they are")
    }

    @Test("floor division splits negative counts as the calendar does; zero padding")
    func floorDivision() {
        #expect(Int64(86_401).floorDivided(by: 86_400) == (1, 1))
        #expect(Int64(-1).floorDivided(by: 86_400) == (-1, 86_399))
        #expect(Int64(-86_400).floorDivided(by: 86_400) == (-1, 0))
        #expect((-7).floorDivided(by: 2) == (-4, 1))
        #expect(7.zeroPadded(3) == "007" && Int64(12_345).zeroPadded(2) == "12345")
    }

    @Test("Duration units round toward zero")
    func durationUnits() {
        #expect(Duration.milliseconds(1_500).seconds == 1.5)
        #expect(Duration.nanoseconds(2_999_999).milliseconds == 2)
        #expect(Duration.seconds(-1.5).milliseconds == -1_500)
        #expect(Duration.microseconds(7).nanoseconds == 7_000)
    }

    @Test("back-off doubles from its first wait up to its maximum")
    func backoffDoubles() async throws {
        var backoff = Backoff(initial: .milliseconds(1), maximum: .milliseconds(5))
        var waits: [Duration] = []
        for _ in 0..<5 {
            waits.append(backoff.delay)
            try await backoff.wait()
        }
        #expect(waits == [.milliseconds(1), .milliseconds(2), .milliseconds(4), .milliseconds(5), .milliseconds(5)])
        #expect(Backoff(initial: .seconds(10), maximum: .seconds(2)).delay == .seconds(2), "never above the maximum")
    }

    @Test("SplitMix64 gives the same sequence for the same seed, and its helpers stay in range")
    func splitMixIsReproducible() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<100).map { _ in first.next() } == (0..<100).map { _ in second.next() })
        // The first output for seed 0 is SplitMix64's published 0xE220A8397B1DCDAF.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<1_000 {
            #expect((0..<10).contains(generator.below(10)))
            let unit = generator.nextUnit()
            #expect(unit >= 0 && unit < 1)
        }
        #expect(generator.below(0) == 0 && !generator.chance(0) && generator.chance(1))
    }

    @Test("UTF8Search finds bytes and byte strings anywhere, and nothing that is not there")
    func utf8SearchAgreesWithANaiveSearch() {
        let texts = ["", "a", "aaab", "ab\u{0}c", "ünï \"NO_ACTIVATIONS\" 日本", "NO_ACTIVATION", "xNO_ACTIVATIONS"]
        let needles = ["", "a", "ab", "aab", "b", "\u{0}", "NO_ACTIVATIONS", "\"NO_ACTIVATIONS\"", "日本", "本x"]
        for text in texts {
            for needle in needles {
                let naive = needle.isEmpty
                    || (0...max(0, text.utf8.count - needle.utf8.count)).contains { start in
                        Array(text.utf8).dropFirst(start).starts(with: Array(needle.utf8))
                    }
                #expect(UTF8Search.contains(text, needle) == naive, "\(text.debugDescription) ∋ \(needle.debugDescription)")
            }
            #expect(UTF8Search.contains(text, byte: 0) == Array(text.utf8).contains(0))
        }
    }

    @Test("written decimals read as Foundation's parser reads them, plain money fast and every other form through it")
    func writtenDecimals() {
        let posix = Locale(identifier: "en_US_POSIX")
        let texts = [
            "0", "0.00", "-0", "1.", ".5", "12.30", "-3.25", "100", "0.000001", "999999999999999999",
            "9999999999999999999", "123456789.123456789", "1e3", "+5", " 5", "5 ", "1,5", "--1", "1.2.3", "-", ".", "", "abc",
            "-.5", "12.300000",
        ]
        for text in texts {
            let expected = Decimal(string: text, locale: posix)
            let read = Decimal(written: text)
            #expect(read == expected, "\(text)")
            #expect(read.map { "\($0)" } == expected.map { "\($0)" }, "\(text)")
            #expect(read?.isNaN != true, "\(text)")
        }
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let cents = Int64(bitPattern: random.next()) % 100_000_000
            let text = "\(cents / 100).\(abs(cents % 100).zeroPadded(2))"
            #expect(Decimal(written: text) == Decimal(string: text, locale: posix), "\(text)")
        }
    }
}
