/// A probability or proportion in [0, 1], written `0.99` or `99%`.
public struct Fraction: Sendable, Hashable, Codable, Comparable {
    /// The value in [0, 1].
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static func < (lhs: Fraction, rhs: Fraction) -> Bool { lhs.value < rhs.value }
    public static let one = Fraction(1)
}

/// An amount of money per unit of time (`5000/h`, `20/s`), stored per hour.
///
/// The format names no currency: amounts are in whatever currency the model's author uses.
public struct MoneyRate: Sendable, Hashable, Codable {
    /// Amount per hour.
    public var perHour: Double
    public init(perHour: Double) { self.perHour = perHour }
    /// Amount per second.
    public var perSecond: Double { perHour / 3600 }
}

/// Why a quantity could not be read, phrased for a diagnostic.
public struct QuantityError: Error, Sendable, Hashable {
    /// What is wrong, e.g. `"unknown unit 'hrz'"`.
    public var message: String
    /// A suggestion, e.g. `"did you mean 'h'?"`.
    public var hint: String?
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// A plain decimal number (digits, one point, an optional exponent and sign): no hex, no
/// `inf` or `nan`, which Swift's `Double(_:)` would otherwise accept.
func decimalValue(_ text: some StringProtocol) -> Double? {
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
    return Double(String(text))
}

/// Parsers for the format's quantities. Units are read here, once, at the edge; everything
/// past the loader holds typed values.
public enum QuantityParser {
    /// Reads a duration: a number and a unit (`90s`, `2.5h`, `1y`), several of them added
    /// (`1h30m`), or a bare number of hours.
    ///
    /// - Parameter allowZero: `true` for the `failover` durations, which may be zero.
    public static func duration(_ text: String, allowZero: Bool = false) -> Result<TimeSpan, QuantityError> {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return .failure(QuantityError("empty duration")) }
        if let hours = decimalValue(trimmed) {
            guard hours.isFinite else { return .failure(QuantityError("duration '\(trimmed)' is too large")) }
            return check(TimeSpan(hours: hours), text: trimmed, allowZero: allowZero)
        }
        var scalars = Substring(trimmed)
        var total = 0.0
        var parts = 0
        while !scalars.isEmpty {
            let number = scalars.prefix { $0.isNumberCharacter }
            if parts > 0, number.hasPrefix("-") || number.hasPrefix("+") {
                return .failure(QuantityError("malformed duration '\(trimmed)'",
                                              hint: "parts of a duration add up (1h30m); a sign may only lead the whole"))
            }
            if let value = decimalValue(number), !value.isFinite {
                return .failure(QuantityError("duration '\(trimmed)' is too large"))
            }
            guard !number.isEmpty, let value = decimalValue(number), value.isFinite else {
                return .failure(QuantityError(
                    "malformed duration '\(trimmed)'",
                    hint: "write a number and a unit, such as 90s, 30m, 2.5h, 3d or 1y"))
            }
            scalars = scalars.dropFirst(number.count).drop { $0 == " " }
            let unitText = scalars.prefix { $0.isLetter }
            scalars = scalars.dropFirst(unitText.count).drop { $0 == " " }
            guard !unitText.isEmpty else {
                return .failure(QuantityError(
                    "malformed duration '\(trimmed)'",
                    hint: "write a number and a unit, such as 90s, 30m, 2.5h, 3d or 1y (units: ms, s, m or min, h, d, w, mo, y)"))
            }
            guard let unit = TimeUnit.spellings[String(unitText)] else {
                return .failure(QuantityError(
                    "unknown unit '\(unitText)' in duration '\(trimmed)'",
                    hint: Suggestion.didYouMean(String(unitText), among: TimeUnit.documentedSpellings)
                        ?? "units are ms, s, m (or min), h, d, w, mo and y"))
            }
            total += value * unit.hours
            parts += 1
        }
        guard parts > 0 else { return .failure(QuantityError("malformed duration '\(trimmed)'")) }
        return check(TimeSpan(hours: total), text: trimmed, allowZero: allowZero)
    }

    private static func check(_ span: TimeSpan, text: String, allowZero: Bool) -> Result<TimeSpan, QuantityError> {
        if span.hours < 0 || (!allowZero && span.hours == 0) {
            return .failure(QuantityError("duration must be \(allowZero ? "zero or positive" : "positive"), got '\(text)'"))
        }
        // 10^12 h (a hundred million years) is beyond any failure, repair or backup interval,
        // and keeps every product with it (seconds, microseconds) finite.
        if !span.hours.isFinite { return .failure(QuantityError("duration '\(text)' is too large")) }
        if span.hours > 1e12 { return .failure(QuantityError("duration '\(text)' is too large", hint: "durations are at most 10^12 h")) }
        if span.hours > 0, !(1 / span.hours).isFinite { return .failure(QuantityError("duration '\(text)' is too small")) }
        return .success(span)
    }

    /// Reads a fraction: `0.99` or `99%`, within [0, 1].
    public static func fraction(_ text: String) -> Result<Fraction, QuantityError> {
        let trimmed = text.trimmingSpaces
        let value: Double
        if trimmed.hasSuffix("%") {
            let digits = trimmed.dropLast().trimmingSpaces
            guard let percent = decimalValue(digits), percent.isFinite else {
                return .failure(QuantityError("malformed percentage '\(trimmed)'", hint: "write 99.9% or 0.999"))
            }
            // Shift the decimal point in the text, so 99.9% reads as the double nearest 0.999
            // (99.9 / 100 is one ulp off, which matters at many nines).
            value = Self.percentText(digits).flatMap(Double.init) ?? percent / 100
        } else {
            guard let plain = decimalValue(trimmed), plain.isFinite else {
                return .failure(QuantityError("expected a fraction such as 0.99 or 99%, got '\(trimmed)'"))
            }
            value = plain
        }
        guard (0...1).contains(value) else {
            return .failure(QuantityError(
                "fraction '\(trimmed)' is outside [0, 1]",
                hint: value >= 10 && value <= 100 && !trimmed.hasSuffix("%") ? "did you mean \(trimmed)%?" : nil))
        }
        return .success(Fraction(value))
    }

    /// "99.95" → "0.9995": the decimal text of a percentage divided by 100, or `nil` for
    /// forms other than plain digits with an optional point.
    static func percentText(_ text: String) -> String? {
        var body = text
        var sign = ""
        if body.hasPrefix("-") || body.hasPrefix("+") { sign = String(body.removeFirst()) }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        let whole = String(parts[0])
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        let padded = String(repeating: "0", count: max(0, 2 - whole.count)) + whole
        let cut = padded.index(padded.endIndex, offsetBy: -2)
        return "\(sign)\(padded[..<cut].isEmpty ? "0" : String(padded[..<cut])).\(padded[cut...])\(fraction)"
    }

    /// Reads an amount of money: a non-negative number, optionally with a leading `$` and
    /// thousands separators (`1,240`).
    public static func money(_ text: String) -> Result<Double, QuantityError> {
        var trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("$") { trimmed.removeFirst() }
        // Thousands separators only where they separate thousands: 1,240 and 12,000,000, not 1,2,3.
        if trimmed.contains(",") {
            let integer = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let groups = integer.split(separator: ",", omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(QuantityError("malformed amount of money '\(text.trimmingSpaces)'",
                                              hint: "commas separate thousands, such as 1,240 or 12,000"))
            }
        }
        let digits = trimmed.replacingAll(",", with: "")
        guard let value = decimalValue(digits), value.isFinite else {
            return .failure(QuantityError("expected an amount of money such as 400 or 1,240, got '\(text.trimmingSpaces)'"))
        }
        guard value >= 0 else { return .failure(QuantityError("amount of money must not be negative, got '\(text.trimmingSpaces)'")) }
        guard value <= 1e15 else { return .failure(QuantityError("amount of money '\(text.trimmingSpaces)' is too large", hint: "amounts are at most 10^15")) }
        return .success(value)
    }

    /// Reads money per time: `5000/h`, `20/s`, `100/d`, `1,200/mo`; a bare amount is per
    /// `defaultUnit`.
    public static func moneyRate(_ text: String, defaultUnit: TimeUnit) -> Result<MoneyRate, QuantityError> {
        perTime(text, defaultUnit: defaultUnit, example: "write money per time as 5000/h, 20/s or 100/d") { amount, hours in
            money(amount).map { MoneyRate(perHour: $0 / hours) }
        }
    }

    /// Reads a duration per time (`30m/mo`, `10s/y`, `4h/yr`) as the fraction of time it is;
    /// a bare duration is per `defaultUnit`.
    public static func durationRate(_ text: String, defaultUnit: TimeUnit) -> Result<Double, QuantityError> {
        perTime(text, defaultUnit: defaultUnit, example: "write a duration per time as 30m/mo or 10s/y") { amount, hours in
            duration(amount, allowZero: true).map { $0.hours / hours }
        }
    }

    /// `AMOUNT/UNIT` (or `AMOUNT/2h`: a count in front of the unit is rare but unambiguous):
    /// the amount's text and the period in hours, given to `read`; a bare amount is per
    /// `defaultUnit`.
    static func perTime<T>(_ text: String, defaultUnit: TimeUnit, example: String,
                           _ read: (String, Double) -> Result<T, QuantityError>) -> Result<T, QuantityError> {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let amountText = String(parts[0])
        guard parts.count == 2 else { return read(amountText, defaultUnit.hours) }
        var unitText = parts[1].trimmingSpaces
        var per = 1.0
        let count = unitText.prefix { $0.isNumberCharacter }
        if !count.isEmpty {
            guard let value = decimalValue(count), value > 0, value.isFinite else {
                return .failure(QuantityError("malformed rate '\(trimmed)'"))
            }
            per = value
            unitText = String(unitText.dropFirst(count.count)).trimmingSpaces
        }
        guard let unit = TimeUnit.spellings[unitText] else {
            return .failure(QuantityError("unknown unit '\(unitText)' in '\(trimmed)'",
                                          hint: Suggestion.didYouMean(unitText, among: TimeUnit.documentedSpellings) ?? example))
        }
        return read(amountText, per * unit.hours)
    }

    /// Decimal data units, in gigabytes.
    static let dataUnits: [String: Double] = ["MB": 1e-3, "GB": 1, "TB": 1e3, "PB": 1e6]

    /// Reads money per amount of data (`0.02/GB`, `20/TB`), in money per gigabyte; a bare
    /// amount is per GB.
    public static func moneyPerGigabyte(_ text: String) -> Result<Double, QuantityError> {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return money(trimmed) }
        let unitText = parts[1].trimmingSpaces
        guard let gigabytes = dataUnits[unitText] else {
            return .failure(QuantityError("unknown data unit '\(unitText)' in '\(trimmed)'",
                                          hint: Suggestion.didYouMean(unitText, among: ["MB", "GB", "TB", "PB"])
                                            ?? "write money per amount of data as 0.02/GB or 20/TB"))
        }
        return money(String(parts[0])).flatMap { amount in
            amount / gigabytes <= 1e15 ? .success(amount / gigabytes) : .failure(QuantityError("price '\(trimmed)' is too large", hint: "at most 10^15 per GB"))
        }
    }

    /// Reads data per time (`500GB/mo`, `20GB/d`), in gigabytes per month (730 h); a bare
    /// number is GB per month.
    public static func gigabytesPerMonth(_ text: String) -> Result<Double, QuantityError> {
        let trimmed = text.trimmingSpaces
        let form = "write data per time as 500GB/mo or 20GB/d (MB, GB, TB, PB)"
        if let plain = decimalValue(trimmed) {
            guard plain.isFinite, plain >= 0 else { return .failure(QuantityError("expected a non-negative amount, got '\(trimmed)'")) }
            return .success(plain)
        }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(QuantityError("malformed data rate '\(trimmed)'", hint: form)) }
        let amount = parts[0].trimmingSpaces
        let number = amount.prefix { $0.isNumberCharacter }
        let unitText = amount.dropFirst(number.count).trimmingSpaces
        guard let value = decimalValue(number), value.isFinite, value >= 0 else {
            return .failure(QuantityError("malformed data rate '\(trimmed)'", hint: form))
        }
        guard let gigabytes = dataUnits[unitText] else {
            return .failure(QuantityError("unknown data unit '\(unitText)' in '\(trimmed)'",
                                          hint: Suggestion.didYouMean(unitText, among: ["MB", "GB", "TB", "PB"]) ?? form))
        }
        let timeText = parts[1].trimmingSpaces
        guard let unit = TimeUnit.spellings[timeText] else {
            return .failure(QuantityError("unknown unit '\(timeText)' in '\(trimmed)'",
                                          hint: Suggestion.didYouMean(timeText, among: TimeUnit.documentedSpellings) ?? form))
        }
        let perMonth = value * gigabytes / unit.hours * TimeUnit.month.hours
        guard perMonth <= 1e15 else { return .failure(QuantityError("data rate '\(trimmed)' is too large", hint: "at most 10^15 GB a month")) }
        return .success(perMonth)
    }

    /// Reads a whole number.
    public static func integer(_ text: String) -> Result<Int, QuantityError> {
        let trimmed = text.trimmingSpaces
        if let value = Int(trimmed) { return .success(value) }
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return .failure(QuantityError("\(trimmed) is too large"))
        }
        return .failure(QuantityError("expected a whole number, got '\(trimmed)'"))
    }

    /// Reads a plain real number.
    public static func real(_ text: String) -> Result<Double, QuantityError> {
        let trimmed = text.trimmingSpaces
        guard let value = decimalValue(trimmed), value.isFinite else {
            return .failure(QuantityError("expected a number, got '\(trimmed)'"))
        }
        return .success(value)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }

    /// Digits, a decimal point, and exponent signs as they appear inside a number.
    fileprivate var isNumberCharacter: Bool {
        isASCII && (isNumber || self == "." || self == "+" || self == "-" || self == "e" || self == "E")
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
