extension BinaryInteger {
    /// Division rounding toward negative infinity, with its remainder (never negative for a positive divisor): how
    /// a count since the epoch splits into days and the time of day, before 1970 as after.
    @inlinable
    public func floorDivided(by divisor: Self) -> (quotient: Self, remainder: Self) {
        let quotient = self >= 0 ? self / divisor : (self - divisor + 1) / divisor
        return (quotient, self - quotient * divisor)
    }

    /// The number in `radix` (lowercase), zero-padded on the left to `width` digits (`7.zeroPadded(3)` is `007`).
    @inlinable
    public func zeroPadded(_ width: Int, radix: Int = 10) -> String {
        let digits = String(self, radix: radix)
        return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}
