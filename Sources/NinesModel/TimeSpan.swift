/// A length of time, stored in hours: the one unit every duration of a model lives in.
///
/// Year = 8760 h and month = 730 h everywhere, inputs and outputs (the format's convention).
public struct TimeSpan: Sendable, Hashable, Codable, Comparable {
    /// The length in hours; never negative for a span that came out of a valid model.
    public var hours: Double

    /// A span of `hours` hours.
    public init(hours: Double) { self.hours = hours }

    public static func hours(_ value: Double) -> TimeSpan { TimeSpan(hours: value) }
    public static func minutes(_ value: Double) -> TimeSpan { TimeSpan(hours: value / 60) }
    public static func seconds(_ value: Double) -> TimeSpan { TimeSpan(hours: value / 3600) }
    public static func days(_ value: Double) -> TimeSpan { TimeSpan(hours: value * 24) }
    public static func years(_ value: Double) -> TimeSpan { TimeSpan(hours: value * TimeUnit.year.hours) }

    public static let zero = TimeSpan(hours: 0)
    /// 8760 hours.
    public static let year = TimeSpan(hours: TimeUnit.year.hours)
    /// 730 hours.
    public static let month = TimeSpan(hours: TimeUnit.month.hours)

    /// The length in seconds.
    public var seconds: Double { hours * 3600 }
    /// The length in minutes.
    public var minutes: Double { hours * 60 }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.hours < rhs.hours }
    public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan { TimeSpan(hours: lhs.hours + rhs.hours) }
    public static func * (lhs: TimeSpan, rhs: Double) -> TimeSpan { TimeSpan(hours: lhs.hours * rhs) }
}

/// The units a duration may be written in.
public enum TimeUnit: String, Sendable, CaseIterable, Codable {
    case millisecond = "ms"
    case second = "s"
    case minute = "m"
    case hour = "h"
    case day = "d"
    case week = "w"
    case month = "mo"
    case year = "y"

    /// Length of one unit in hours.
    public var hours: Double {
        switch self {
        case .millisecond: 1.0 / 3_600_000
        case .second: 1.0 / 3600
        case .minute: 1.0 / 60
        case .hour: 1
        case .day: 24
        case .week: 168
        case .month: 730
        case .year: 8760
        }
    }

    /// Every spelling accepted for a unit: the format's own (`ms s m min h d w mo y`) and the
    /// usual long forms (`sec`, `hours`, `days`, …).
    public static let spellings: [String: TimeUnit] = {
        var table: [String: TimeUnit] = [:]
        let forms: [(TimeUnit, [String])] = [
            (.millisecond, ["ms", "msec", "millisecond", "milliseconds"]),
            (.second, ["s", "sec", "secs", "second", "seconds"]),
            (.minute, ["m", "min", "mins", "minute", "minutes"]),
            (.hour, ["h", "hr", "hrs", "hour", "hours"]),
            (.day, ["d", "day", "days"]),
            (.week, ["w", "wk", "week", "weeks"]),
            (.month, ["mo", "month", "months"]),
            (.year, ["y", "yr", "yrs", "year", "years"]),
        ]
        for (unit, names) in forms { for name in names { table[name] = unit } }
        return table
    }()

    /// The spellings the format itself documents, used for "did you mean" hints.
    public static let documentedSpellings = ["ms", "s", "m", "min", "h", "d", "w", "mo", "y"]
}

extension TimeSpan: CustomStringConvertible {
    /// The span in the largest unit that writes it without loss where possible (`90s`, `2h`,
    /// `1y`), so that parsing the description gives the same span back.
    public var description: String {
        if hours == 0 { return "0s" }
        let units: [TimeUnit] = [.year, .month, .week, .day, .hour, .minute, .second, .millisecond]
        for unit in units {
            let count = hours / unit.hours
            if count >= 1, count == count.rounded(), TimeSpan(hours: count * unit.hours) == self {
                return "\(Self.format(count))\(unit.rawValue)"
            }
        }
        return "\(Self.format(hours))h"
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
