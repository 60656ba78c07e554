import Foundation
import NinesLoader
import NinesModel
import Testing

/// Each diagnostic of the format, with its exact line, column and text.
@Suite("Diagnostics")
struct DiagnosticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown key with a hint", yaml: minimalModel + "    mtrr: 2h\n",
             expected: ["9:5: error: components.web: unknown key 'mtrr'; did you mean 'mttr'?"]),
        Case(name: "unknown top-level key", yaml: "nines: 1\nname: x\nentry: a\ncomponent:\n  a: {}\n",
             expected: ["4:1: error: unknown key 'component'; did you mean 'components'?"]),
        Case(name: "wrong type", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: [2]"),
             expected: ["6:15: error: components.web.replicas: expected a whole number, got a list"]),
        Case(name: "malformed duration", yaml: minimalModel.replacingOccurrences(of: "1000h", with: "1000 hrz"),
             expected: ["7:11: error: components.web.mtbf: unknown unit 'hrz' in duration '1000 hrz'; units are ms, s, m (or min), h, d, w, mo and y"]),
        Case(name: "non-positive duration", yaml: minimalModel.replacingOccurrences(of: "mttr: 1h", with: "mttr: 0s"),
             expected: ["8:11: error: components.web.mttr: duration must be positive, got '0s'"]),
        Case(name: "need above replicas", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 2\n    need: 3"),
             expected: ["7:11: error: components.web.need: 3 exceeds replicas (2)"]),
        Case(name: "need above the default replica count",
             yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "need: 2"),
             expected: ["6:11: error: components.web.need: 2 exceeds replicas (1); replicas defaults to 1; set `replicas: 2` or more"]),
        Case(name: "full below need", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 4\n    need: 3\n    full: 2"),
             expected: ["8:11: error: components.web.full: 2 is less than need (3); full is the count below which the component is degraded; it is at least need"]),
        Case(name: "standby with need 2", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 3\n    mode: standby\n    need: 2"),
             expected: ["8:11: error: components.web.need: a standby component needs exactly 1 serving replica, got 2; remove `need`, or use `mode: active` for a k-of-n group"]),
        Case(name: "fraction above one", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 2\n    mode: standby\n    failover: {coverage: 99, manual: 1h}"),
             expected: ["8:26: error: components.web.failover.coverage: fraction '99' is outside [0, 1]; did you mean 99%?"]),
        Case(name: "dormancy without warm", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 2\n    mode: standby\n    standby: cold\n    dormancy: 0.2"),
             expected: ["9:5: warning: components.web: 'dormancy' applies only to `standby: warm`; a cold standby ignores it; remove it, or set `standby: warm`"]),
        Case(name: "warm without dormancy", yaml: minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 2\n    mode: standby\n    standby: warm"),
             expected: ["8:14: error: components.web.standby: a warm standby needs 'dormancy'; add the factor by which a waiting replica's failure rate is reduced, such as `dormancy: 0.1`"]),
        Case(name: "unknown component and domain", yaml: minimalModel + "    depends_on: [dbb]\n    placement: [zone-x]\n  db: {}\ndomains:\n  zone-a: {}\n",
             expected: ["9:18: error: components.web.depends_on[0]: unknown component 'dbb'; did you mean 'db'?",
                        "10:17: error: components.web.placement[0]: unknown domain 'zone-x'; did you mean 'zone-a'?"]),
        Case(name: "a component the entry does not reach", yaml: minimalModel + "  spare: {replicas: 2}\n",
             expected: ["9:3: warning: components.spare: not reachable from entry 'web': it cannot affect availability (its cost still counts)"]),
        Case(name: "a misspelt mttr is reported once", yaml: minimalModel.replacingOccurrences(of: "mttr: 1h", with: "mtrr: 1h"),
             expected: ["8:5: error: components.web: unknown key 'mtrr'; did you mean 'mttr'?"]),
        Case(name: "at_least larger than its list", yaml: minimalModel + "    depends_on: {at_least: 3, of: [a, b]}\n  a: {}\n  b: {}\n",
             expected: ["9:28: error: components.web.depends_on.at_least: 3 is more than the 2 components listed"]),
        Case(name: "dependency cycle named in order", yaml: minimalModel + "    depends_on: [a]\n  a: {depends_on: [b]}\n  b: {depends_on: {any: [web]}}\n",
             expected: ["11:26: error: components.b.depends_on.any[0]: dependency cycle: web → a → b → web; dependencies must form a directed acyclic graph"]),
        Case(name: "missing entry", yaml: minimalModel.replacingOccurrences(of: "entry: web\n", with: ""),
             expected: ["1:1: error: missing key 'entry'; name the component whose state is the service's state, such as `entry: web`"]),
        Case(name: "entry names no component", yaml: minimalModel.replacingOccurrences(of: "entry: web", with: "entry: wbe"),
             expected: ["3:8: error: entry: 'wbe' is not a component; did you mean 'web'?"]),
        Case(name: "duplicate keys at the duplicate", yaml: minimalModel + "    mtbf: 10h\n",
             expected: ["9:5: error: duplicate key 'mtbf' (first given at line 7, column 5); keep one of them"]),
        Case(name: "duplicate keys in a flow mapping", yaml: "nines: 1\nname: x\nentry: a\ncomponents:\n  a: {mtbf: 1h, mttr: 1h, mtbf: 2h}\n",
             expected: ["5:27: error: duplicate key 'mtbf' (first given at line 5, column 7); keep one of them"]),
        Case(name: "two duplicates and another problem", yaml: minimalModel + "    mtbf: 10h\n    replicas: 3\n    need: 9\n",
             expected: ["9:5: error: duplicate key 'mtbf' (first given at line 7, column 5); keep one of them",
                        "10:5: error: duplicate key 'replicas' (first given at line 6, column 5); keep one of them",
                        "11:11: error: components.web.need: 9 exceeds replicas (2)"]),
        Case(name: "loses_data not a boolean", yaml: minimalModel + "    loses_data: yes\n    backup: {every: 1d, restore: 2h}\n",
             expected: ["9:17: error: components.web.loses_data: expected true or false, got 'yes'",
                        "10:5: warning: components.web.backup: no failure mode loses data, so the backup is never restored; add `loses_data: true` to the failure modes that destroy a replica's copy"]),
        Case(name: "backup without restore", yaml: minimalModel + "    loses_data: true\n    backup: {every: 1d}\n",
             expected: ["10:13: error: components.web.backup: missing key 'restore'; the time to restore from backup, such as `restore: 4h`"]),
        Case(name: "loses data without backup", yaml: minimalModel + "    loses_data: true\n",
             expected: ["5:3: warning: components.web: no backup: when fewer than 1 of web's replicas hold a copy, all its data is lost for good; add `backup: {every: 24h, restore: 4h}`; the engines count these losses as unrecoverable"]),
        Case(name: "loses_data beside modes", yaml: "nines: 1\nname: x\nentry: a\ncomponents:\n  a:\n    modes: [{name: disk, mtbf: 1y, mttr: 1h, loses_data: true}]\n    loses_data: true\n    backup: {every: 1h, restore: 1h}\n",
             expected: ["7:5: error: components.a: 'loses_data' cannot be given together with 'modes'; give `loses_data: true` in the modes that destroy a replica's copy"]),
        Case(name: "credits without a bill", yaml: minimalModel + "business:\n  sla: {target: 99.9%, credits: [{below: 99.9%, credit: 10%}]}\n",
             expected: ["10:24: error: business.sla: credits are a share of the bill, but no 'bill' is given; add what customers pay per month, such as `bill: 20000`"]),
        Case(name: "traffic in an unknown unit", yaml: minimalModel + "    replication: {mode: sync, traffic: 5GiB/mo}\n",
             expected: ["9:40: error: components.web.replication.traffic: unknown data unit 'GiB' in '5GiB/mo'; did you mean 'GB'?"]),
        Case(name: "transfer price per unknown unit", yaml: minimalModel + "domains:\n  z: {transfer: 0.02/GiB}\n",
             expected: ["10:17: error: domains.z.transfer: unknown data unit 'GiB' in '0.02/GiB'; did you mean 'GB'?"]),
        Case(name: "standby price on an active component", yaml: minimalModel + "    cost: {monthly: 10, standby: 2}\n",
             expected: ["9:11: warning: components.web.cost: an active component has no waiting replicas, so the standby prices are unused; every replica of an active component costs `monthly`"]),
        Case(name: "money too large", yaml: minimalModel + "    cost: {monthly: 1e308}\n",
             expected: ["9:21: error: components.web.cost.monthly: amount of money '1e308' is too large; amounts are at most 10^15"]),
        Case(name: "backup interval too large", yaml: minimalModel + "    loses_data: true\n    backup: {every: 1e308h, restore: 1h}\n",
             expected: ["10:21: error: components.web.backup.every: duration '1e308h' is too large; durations are at most 10^12 h"]),
        Case(name: "loses_data quoted", yaml: minimalModel + "    loses_data: \"true\"\n    backup: {every: 1d, restore: 1h}\n",
             expected: ["9:17: error: components.web.loses_data: expected true or false, got the text 'true'; write it without quotes",
                        "10:5: warning: components.web.backup: no failure mode loses data, so the backup is never restored; add `loses_data: true` to the failure modes that destroy a replica's copy"]),
        Case(name: "empty credit list", yaml: minimalModel + "business:\n  sla: {target: 99.9%, bill: 100, credits: []}\n",
             expected: ["10:44: error: business.sla.credits: the list of credit tiers is empty; write [{below: 99.95%, credit: 10%}], or remove `credits`"]),
        Case(name: "invalid YAML", yaml: "nines: 1\nname: [oops\nentry: a\n",
             expected: ["3:6: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 7)"]),
        Case(name: "tabs", yaml: "nines: 1\n\tname: x\n",
             expected: ["2:1: error: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar at line 1, column 8); indent with spaces, not tabs"]),
        Case(name: "empty file", yaml: "",
             expected: ["1:1: error: the file is empty; a model needs at least `nines: 1`, `name`, `entry` and `components`"]),
        Case(name: "a list instead of a model", yaml: "- a\n- b\n",
             expected: ["1:1: error: expected a mapping with the model's keys (nines, name, entry, components, …), got a list"]),
        Case(name: "format version", yaml: minimalModel.replacingOccurrences(of: "nines: 1", with: "nines: 2"),
             expected: ["1:8: error: nines: unsupported format version 2; this version of nines reads format version 1"]),
        Case(name: "mtbf without mttr", yaml: minimalModel.replacingOccurrences(of: "    mttr: 1h\n", with: ""),
             expected: ["7:5: error: components.web: 'mtbf' is given but no 'mttr': a replica that fails must be repaired; add the mean time to repair or replace it, such as `mttr: 4h`"]),
        Case(name: "mtbf and afr together", yaml: minimalModel + "    afr: 2%\n",
             expected: ["9:5: error: components.web: give only one of 'mtbf', 'afr' and 'failure'; 'mtbf' is already given"]),
        Case(name: "afr of 100%", yaml: minimalModel.replacingOccurrences(of: "mtbf: 1000h", with: "afr: 100%"),
             expected: ["7:10: error: components.web.afr: an annual failure rate must be above 0 and below 100%; λ = −ln(1 − afr)/8760 h; for a rate of 1 failure a year or more, give mtbf instead"]),
        Case(name: "unknown distribution", yaml: minimalModel.replacingOccurrences(of: "mtbf: 1000h", with: "failure: {distribution: weibul, mean: 1000h, shape: 2}"),
             expected: ["7:29: error: components.web.failure.distribution: unknown distribution 'weibul'; did you mean 'weibull'?"]),
        Case(name: "weibull without shape", yaml: minimalModel.replacingOccurrences(of: "mtbf: 1000h", with: "failure: {distribution: weibull, mean: 1000h}"),
             expected: ["7:14: error: components.web.failure: missing key 'shape' for the weibull distribution; shape 1 is exponential; below 1 infant mortality, above 1 wear-out"]),
        Case(name: "standby key on an active component", yaml: minimalModel + "    standby: hot\n",
             expected: ["9:5: error: components.web: 'standby' applies only to a standby component; add `mode: standby`"]),
        Case(name: "coverage without manual", yaml: minimalModel + "    mode: standby\n    failover: {coverage: 0.9}\n",
             expected: ["10:26: error: components.web.failover.coverage: coverage below 1 needs 'manual', the duration of a manual recovery; add `manual: 30m` (or the time your team takes to fail over by hand)"]),
        Case(name: "async replication without lag", yaml: minimalModel + "    mode: standby\n    replication: {mode: async}\n",
             expected: ["10:25: error: components.web.replication.mode: asynchronous replication needs 'lag'; add the mean replication lag, such as `lag: 2s`"]),
        Case(name: "domain cycle", yaml: minimalModel + "    placement: [a]\ndomains:\n  a: {within: b}\n  b: {within: a}\n",
             expected: ["12:15: error: domains.b.within: domain cycle (within): a → b → a"]),
        Case(name: "unknown unit in money", yaml: minimalModel + "business: {downtime_cost: 100/hour, data_loss_cost: 5/sek}\n",
             expected: ["9:53: error: business.data_loss_cost: unknown unit 'sek' in '5/sek'; write money per time as 5000/h, 20/s or 100/d"]),
        Case(name: "SLA period", yaml: minimalModel + "business: {sla: {target: 99.9%, period: mnth}}\n",
             expected: ["9:41: error: business.sla.period: unknown period 'mnth'; did you mean 'month'?"]),
        Case(name: "wrong types everywhere are all reported",
             yaml: "nines: one\nname: [x]\nentry: {a: 1}\ncomponents: []\n",
             expected: ["1:8: error: nines: expected a whole number, got 'one'",
                        "2:7: error: name: expected a title, got a list",
                        "3:8: error: entry: expected the name of a component, got a mapping",
                        "4:13: error: components: expected a mapping of component names to their settings, got a list"]),
        Case(name: "null values", yaml: minimalModel.replacingOccurrences(of: "mttr: 1h", with: "mttr:"),
             expected: ["8:10: error: components.web.mttr: expected a duration such as 30s, 15m, 4h or 1y, got nothing"]),
        Case(name: "a key that is not text", yaml: minimalModel + "    [a, b]: 1\n",
             expected: ["9:5: error: components.web: keys must be plain names, not a list"]),
    ]

    @Test(arguments: cases)
    func diagnostic(_ testCase: Case) {
        #expect(diagnose(testCase.yaml) == testCase.expected)
    }

    @Test("a model with errors has no model value, a model with only warnings has one")
    func errorsWithholdTheModel() {
        #expect(ModelLoader.load(yaml: minimalModel + "    mtrr: 2h\n").model == nil)
        let warned = ModelLoader.load(yaml: minimalModel + "  spare: {}\n")
        #expect(warned.model != nil)
        #expect(warned.diagnostics.map(\.severity) == [.warning])
    }

    @Test("invalid UTF-8 is located at the first bad byte")
    func invalidUTF8() {
        let bytes = Array("nines: 1\nname: caf".utf8) + [0xE9, 0x0A]
        let result = ModelLoader.load(bytes: bytes)
        #expect(result.diagnostics.map(\.summary) == ["the file is not UTF-8 text: byte 0xE9 at offset 18 is not valid UTF-8; a model file is YAML text in UTF-8"])
        #expect(result.diagnostics.first?.location == SourceLocation(line: 2, column: 10))
    }

    @Test("control characters are located")
    func controlCharacters() {
        let result = ModelLoader.load(bytes: Array("nines: 1\nname: a\u{0}b\n".utf8))
        #expect(result.diagnostics.map(\.summary) == ["invalid YAML text: control characters are not allowed (U+0); a model file is YAML text in UTF-8"])
        #expect(result.diagnostics.first?.location == SourceLocation(line: 2, column: 8))
    }
}

/// Inputs found by review: each must be read as the YAML specification and the format say.
@Suite("Diagnostics: review findings")
struct ReviewFindingTests {
    @Test func byteOrderMarkIsNotText() {
        #expect(ModelLoader.load(bytes: [0xEF, 0xBB, 0xBF] + Array(minimalModel.utf8)).diagnostics.isEmpty)
        #expect(diagnose("\u{FEFF}" + minimalModel + "    mtrr: 1h\n") == ["9:5: error: components.web: unknown key 'mtrr'; did you mean 'mttr'?"])
    }

    @Test("Unicode line separators count as line breaks, as in libyaml", arguments: ["\u{2028}", "\u{2029}", "\u{85}"])
    func unicodeLineBreaks(separator: String) {
        let yaml = minimalModel.replacingOccurrences(of: "name: Shop", with: "name: \"Sh\(separator)op\"")
            .replacingOccurrences(of: "replicas: 2", with: "replicas: 2\n    need: 3")
        #expect(diagnose(yaml) == ["8:11: error: components.web.need: 3 exceeds replicas (2)"])
    }

    @Test func nullAndEmptyNamesAreNotNames() {
        #expect(diagnose(minimalModel + "  ~: {}\n  '': {}\n") == [
            "9:3: error: components: a key must be a name, not '~' (YAML's null); quote it if it really is the name: \"~\"",
            "10:3: error: components: a key must be a name, not empty text",
        ])
    }

    @Test func mergeKeysMerge() throws {
        let yaml = """
            nines: 1
            name: merged
            entry: web
            components:
              web: &base {replicas: 2, mtbf: 1000h, mttr: 1h}
              api:
                <<: *base
                replicas: 3

            """
        let model = try #require(ModelLoader.load(yaml: yaml).model)
        #expect(model.component("api")?.replicas == 3)
        #expect(model.component("api")?.modes.first?.failure == .exponential(mean: .hours(1000)))
    }

    @Test func keysThatLookLikeMasksAreStillChecked() {
        let found = diagnose(minimalModel + "    \"\u{E000}zz\": 1\n")
        #expect(found.count == 1 && found[0].hasPrefix("9:5: error: components.web: unknown key '\u{E000}zz'"))
    }

    @Test func duplicateAfterAnEscapedQuote() {
        let yaml = "nines: 1\nname: x\nentry: a\ncomponents:\n  a: {mtbf: \"x\\\", mtbf: y\", mtbf: 2h, mttr: 1h}\n"
        #expect(diagnose(yaml).contains("5:29: error: duplicate key 'mtbf' (first given at line 5, column 7); keep one of them"))
    }

    @Test("an alias repeated a million times gives a bounded report, fast")
    func aliasRepetitionIsBounded() {
        var yaml = "nines: 1\nname: t\nentry: api\ncomponents:\n  api: {modes: &m1 [" + Array(repeating: "{mtbf: 1hh}", count: 500).joined(separator: ",") + "]}\n"
        for index in 0..<500 { yaml += "  c\(index): {modes: *m1}\n" }
        let result = ModelLoader.load(yaml: yaml)
        #expect(result.diagnostics.count == ModelLoader.diagnosticLimit + 1)
        #expect(result.diagnostics.last?.message == "further problems not shown")
    }

    @Test("numbers that only look like numbers", arguments: [
        ("mttr: 0x10", "8:11: error: components.web.mttr: unknown unit 'x' in duration '0x10'; units are ms, s, m (or min), h, d, w, mo and y"),
        ("mttr: inf", "8:11: error: components.web.mttr: malformed duration 'inf'; write a number and a unit, such as 90s, 30m, 2.5h, 3d or 1y"),
        ("mttr: 1e309h", "8:11: error: components.web.mttr: duration '1e309h' is too large"),
        ("mttr: 1e-320h", "8:11: error: components.web.mttr: duration '1e-320h' is too small"),
        ("mttr: 2h-1h", "8:11: error: components.web.mttr: malformed duration '2h-1h'; parts of a duration add up (1h30m); a sign may only lead the whole"),
    ])
    func numbers(replacement: String, expected: String) {
        #expect(diagnose(minimalModel.replacingOccurrences(of: "mttr: 1h", with: replacement)) == [expected])
    }

    @Test func replicationLagMustBePositive() {
        #expect(diagnose(minimalModel + "    mode: standby\n    replication: {mode: async, lag: 0s}\n").first
                == "10:37: error: components.web.replication.lag: duration must be positive, got '0s'")
    }

    @Test func misspeltRequiredKeysAreReportedOnce() {
        #expect(diagnose(minimalModel.replacingOccurrences(of: "name: Shop", with: "nmae: Shop"))
                == ["2:1: error: unknown key 'nmae'; did you mean 'name'?"])
    }

    @Test func hugeCounts() {
        #expect(diagnose(minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 99999999999999999999"))
                == ["6:15: error: components.web.replicas: 99999999999999999999 is too large"])
        // Sizes no architecture has are refused before any engine sizes anything by them.
        #expect(diagnose(minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 1000000000000"))
                == ["6:15: error: components.web.replicas: 1000000000000 is more than the 1000000 a model may have; no architecture has that many replicas of one component; split it into components"])
        #expect(diagnose(minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 2\n    repair_crews: 2147483648"))
                == ["7:19: error: components.web.repair_crews: 2147483648 is more than the 1000000 a model may have; crews beyond the replicas change nothing; leave repair_crews out for unlimited"])
        #expect(diagnose(minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: 1000000")).isEmpty)
    }

    /// Hostile names (issue 15): YAML escapes put control characters into names and texts;
    /// they are refused at their place, and a message never carries one raw.
    @Test func controlCharactersInNamesAreRefused() {
        let evil = minimalModel.replacingOccurrences(of: "name: Shop", with: "name: \"Shop \\e[2J\"")
            .replacingOccurrences(of: "  web:", with: "  \"web\\e[31m\":")
        let messages = diagnose(evil)
        #expect(messages.contains("2:7: error: name: text must not contain control characters, and this has U+001B; names and descriptions are printed in terminals and reports"), "\(messages)")
        #expect(messages.contains { $0.contains("a name must not contain control characters, and 'web\\u{1B}[31m' has U+001B") }, "\(messages)")
        #expect(DiagnosticRenderer.escaped("a\u{1B}[2Jb\u{7}") == "a\\u{1B}[2Jb\\u{7}")
        let rendered = DiagnosticRenderer().render([Diagnostic(.error, at: nil, "unknown component '\u{1B}[2J'")], file: "m\u{1B}.yaml", source: nil)
        #expect(!rendered.unicodeScalars.contains { $0.value == 0x1B })
    }

    /// Issue 15: a quoted count is text, and commas in money separate thousands only.
    @Test func quotedCountsAndMisplacedCommas() {
        #expect(diagnose(minimalModel.replacingOccurrences(of: "replicas: 2", with: "replicas: '3'"))
                == ["6:15: error: components.web.replicas: expected a whole number, got the text '3'; write it without quotes"])
        #expect(QuantityParser.money("1,2,3") == .failure(QuantityError("malformed amount of money '1,2,3'", hint: "commas separate thousands, such as 1,240 or 12,000")))
        #expect(QuantityParser.money("1,240") == .success(1240))
        #expect(QuantityParser.money("$12,000,000.50") == .success(12_000_000.5))
        #expect(QuantityParser.money("12,00") == .failure(QuantityError("malformed amount of money '12,00'", hint: "commas separate thousands, such as 1,240 or 12,000")))
    }
}
