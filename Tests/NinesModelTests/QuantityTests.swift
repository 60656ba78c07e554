import NinesModel
import NinesTestSupport
import PropertyBased
import Testing

@Suite("Quantities: durations, fractions, money")
struct QuantityTests {
    @Test("durations in every unit", arguments: [
        ("90s", 0.025), ("2.5h", 2.5), ("1y", 8760), ("1mo", 730), ("30m", 0.5), ("30min", 0.5),
        ("1h30m", 1.5), ("1500ms", 1500.0 / 3_600_000), ("2", 2), ("1e3h", 1000), ("3d", 72), ("2w", 336),
        ("5 y", 43800), ("10 seconds", 10.0 / 3600), ("0.5", 0.5), ("1h 30m", 1.5),
    ] as [(String, Double)])
    func duration(text: String, hours: Double) throws {
        let span = try QuantityParser.duration(text).get()
        expectClose(span.hours, hours, rel: Tolerance.closedForm)
    }

    @Test("malformed durations say what is wrong", arguments: [
        ("2hrz", "unknown unit 'hrz' in duration '2hrz'", "units are ms, s, m (or min), h, d, w, mo and y"),
        ("3hr5", "malformed duration '3hr5'", "write a number and a unit, such as 90s, 30m, 2.5h, 3d or 1y (units: ms, s, m or min, h, d, w, mo, y)"),
        ("-5h", "duration must be positive, got '-5h'", nil),
        ("0h", "duration must be positive, got '0h'", nil),
        ("0", "duration must be positive, got '0'", nil),
        ("1:30", "malformed duration '1:30'", "write a number and a unit, such as 90s, 30m, 2.5h, 3d or 1y (units: ms, s, m or min, h, d, w, mo, y)"),
        ("abc", "malformed duration 'abc'", "write a number and a unit, such as 90s, 30m, 2.5h, 3d or 1y"),
        ("5 H", "unknown unit 'H' in duration '5 H'", "did you mean 'h'?"),
        ("4hs", "unknown unit 'hs' in duration '4hs'", "did you mean 'h'?"),
        ("1e400h", "duration '1e400h' is too large", nil),
    ] as [(String, String, String?)])
    func malformedDuration(text: String, message: String, hint: String?) {
        let result = QuantityParser.duration(text)
        #expect(result == .failure(QuantityError(message, hint: hint)))
    }

    @Test("percentages read as the double nearest their decimal value", arguments: [
        ("99.9%", 0.999), ("99.9999999%", 0.999999999), ("5%", 0.05), ("100%", 1.0), ("0.5%", 0.005), (".5%", 0.005),
    ] as [(String, Double)])
    func percentagesAreExact(text: String, value: Double) throws {
        #expect(try QuantityParser.fraction(text).get().value == value)
    }

    @Test func zeroDurationsWhereAllowed() throws {
        #expect(try QuantityParser.duration("0s", allowZero: true).get() == .zero)
        #expect(throws: QuantityError.self) { try QuantityParser.duration("-1s", allowZero: true).get() }
    }

    @Test("a span's description parses back to the same span")
    func descriptionRoundTrips() async {
        let units: [TimeUnit] = TimeUnit.allCases
        await propertyCheck(count: 300, input: Gen.int(in: 1...100_000), Gen.element(of: units)) { count, unit in
            guard let unit else { return }
            let span = TimeSpan(hours: Double(count) * unit.hours)
            let parsed = try? QuantityParser.duration(span.description).get()
            #expect(parsed == span, "\(span.description) parsed as \(String(describing: parsed))")
        }
    }

    @Test("fractions and percentages", arguments: [("99%", 0.99), ("0.5", 0.5), ("100%", 1.0), ("0", 0.0), ("99.95 %", 0.9995)] as [(String, Double)])
    func fraction(text: String, value: Double) throws {
        expectClose(try QuantityParser.fraction(text).get().value, value, rel: Tolerance.closedForm)
    }

    @Test("fractions outside [0, 1]", arguments: [
        ("1.5", "fraction '1.5' is outside [0, 1]", nil),
        ("99", "fraction '99' is outside [0, 1]", "did you mean 99%?"),
        ("150%", "fraction '150%' is outside [0, 1]", nil),
        ("-0.1", "fraction '-0.1' is outside [0, 1]", nil),
        ("high", "expected a fraction such as 0.99 or 99%, got 'high'", nil),
    ] as [(String, String, String?)])
    func badFraction(text: String, message: String, hint: String?) {
        #expect(QuantityParser.fraction(text) == .failure(QuantityError(message, hint: hint)))
    }

    @Test("money per time", arguments: [
        ("5000/h", TimeUnit.hour, 5000.0), ("20/s", .second, 72000), ("100/d", .hour, 100.0 / 24),
        ("5000", .hour, 5000), ("20", .second, 72000), ("$1,200/mo", .hour, 1200.0 / 730), ("60/2h", .hour, 30),
    ] as [(String, TimeUnit, Double)])
    func moneyRate(text: String, defaultUnit: TimeUnit, perHour: Double) throws {
        expectClose(try QuantityParser.moneyRate(text, defaultUnit: defaultUnit).get().perHour, perHour, rel: Tolerance.closedForm)
    }

    @Test func badMoney() {
        #expect(QuantityParser.moneyRate("5000/x", defaultUnit: .hour)
            == .failure(QuantityError("unknown unit 'x' in '5000/x'", hint: "write money per time as 5000/h, 20/s or 100/d")))
        #expect(QuantityParser.money("-3") == .failure(QuantityError("amount of money must not be negative, got '-3'")))
    }

    @Test("an annual failure rate's mean follows λ = −ln(1 − afr)/8760 h")
    func spanArithmetic() {
        #expect(TimeSpan.year.hours == 8760)
        #expect(TimeSpan.month.hours == 730)
        expectClose(TimeSpan.seconds(90).minutes, 1.5, rel: Tolerance.closedForm)
    }
}

@Suite("Did you mean")
struct SuggestionTests {
    @Test(arguments: [
        ("mtrr", "mttr"), ("replcas", "replicas"), ("depend_on", "depends_on"), ("placment", "placement"),
        ("MTBF", "mtbf"), ("us-east-1c", "us-east-1a"),
    ])
    func suggests(word: String, expected: String) {
        let candidates = ["mttr", "mtbf", "replicas", "depends_on", "placement", "us-east-1a"]
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }

    @Test func nothingCloseMeansNoHint() {
        #expect(Suggestion.didYouMean("colour", among: ["mttr", "mtbf"]) == nil)
        #expect(Suggestion.didYouMean("x", among: ["mttr"]) == nil)
    }
}

@Suite("Diagnostic rendering")
struct RendererTests {
    @Test func fileLineColumnSourceAndCaret() {
        let source = "a: 1\n  need: 5\n"
        let diagnostic = Diagnostic(.error, at: SourceLocation(line: 2, column: 9), path: "components.app.need",
                                    "5 exceeds replicas (4)")
        let text = DiagnosticRenderer().render([diagnostic], file: "m.yaml", source: source)
        #expect(text == """
            m.yaml:2:9: error: components.app.need: 5 exceeds replicas (4)
                  need: 5
                        ^

            """)
    }

    @Test func tabsKeepTheCaretAligned() {
        let text = DiagnosticRenderer().render([Diagnostic(.error, at: SourceLocation(line: 1, column: 3), "x")],
                                               file: "f", source: "\t\tx")
        #expect(text == "f:1:3: error: x\n    \t\tx\n    \t\t^\n")
    }

    @Test func longLinesAreCutAroundTheColumn() {
        let line = String(repeating: "a", count: 500) + "X" + String(repeating: "b", count: 500)
        let text = DiagnosticRenderer().render([Diagnostic(.error, at: SourceLocation(line: 1, column: 501), "x")],
                                               file: "f", source: line)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].count < 120)
        let caretColumn = lines[2].count
        #expect(Array(lines[1])[caretColumn - 1] == "X")
    }
}
