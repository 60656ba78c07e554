internal import Yams
import Foundation
import NinesModel

/// `domains:` and the failure and repair data that domains and components share.
extension ModelReader {
    mutating func readDomains(_ node: Node) -> [Domain] {
        guard let entries = reading.entries(node, path: "domains", expected: "a mapping of domain names to {mtbf, mttr, within}") else { return [] }
        var domains: [Domain] = []
        for entry in entries {
            if reading.isSaturated { break }
            let path = "domains.\(entry.key)"
            var domain = Domain(id: DomainID(entry.key), location: entry.keyNode.location)
            if entry.value.isNullScalar {
                domains.append(domain)
                continue
            }
            guard let fields = reading.entries(entry.value, path: path, expected: "a mapping such as {mtbf: 1y, mttr: 2h, within: region}") else { continue }
            reading.checkKeys(fields, allowed: ModelKeys.domain, path: path, what: "a domain")
            let byKey = Self.index(fields)
            _ = readFailureData(byKey, into: &domain, path: path, at: entry.value.location, what: "domain")
            if let transfer = byKey["transfer"] {
                domain.transferPerGB = reading.quantity(transfer.value, path: "\(path).transfer", expected: "money per amount of data such as 0.01/GB",
                                                        QuantityParser.moneyPerGigabyte).value
            }
            if let within = byKey["within"] {
                if let name = reading.string(within.value, path: "\(path).within", expected: "the name of a domain").value {
                    domain.within = DomainID(name)
                    withinRefs.append((entry.key, Reference(name: name, location: within.value.location, path: "\(path).within")))
                }
            }
            domains.append(domain)
        }
        return domains
    }

    /// `causes:`: shared causes, each read as a domain with the components it `hits`.
    mutating func readCauses(_ node: Node, domains: [Domain]) -> [Domain] {
        guard let entries = reading.entries(node, path: "causes", expected: "a mapping of cause names to {mtbf, mttr, hits}") else { return [] }
        let domainNames = Dictionary(domains.map { ($0.id.name, $0.location) }, uniquingKeysWith: { first, _ in first })
        var causes: [Domain] = []
        for entry in entries {
            if reading.isSaturated { break }
            let path = "causes.\(entry.key)"
            if let place = domainNames[entry.key] {
                reading.error(entry.keyNode.location, path,
                              "'\(entry.key)' is already a domain\(place.map { " (line \($0.line))" } ?? ""); causes and domains share one namespace",
                              hint: "rename the cause, such as '\(entry.key)-deploy'")
                continue
            }
            var cause = Domain(id: DomainID(entry.key), location: entry.keyNode.location)
            guard let fields = reading.entries(entry.value, path: path, expected: "a mapping such as {mtbf: 60d, mttr: 25m, hits: [web]}") else { continue }
            reading.checkKeys(fields, allowed: ModelKeys.cause, path: path, what: "a cause")
            let byKey = Self.index(fields)
            let invalid = readFailureData(byKey, into: &cause, path: path, at: entry.value.location, what: "cause")
            if cause.failure == nil, !invalid {
                reading.error(entry.value.location, path, "a cause needs failure data",
                              hint: "give how often it strikes and how long it lasts, such as {mtbf: 60d, mttr: 25m, hits: [web]}")
            }
            if let description = byKey["description"] {
                cause.description = reading.string(description.value, path: "\(path).description").value
            }
            if let hits = byKey["hits"] {
                if case .value(let names, _) = reading.names(hits.value, path: "\(path).hits", what: "component") {
                    var seen: Set<String> = []
                    for (index, (name, location)) in names.enumerated() {
                        guard seen.insert(name).inserted else {
                            reading.error(location, "\(path).hits[\(index)]", "'\(name)' is listed twice")
                            continue
                        }
                        cause.hits.append(ComponentID(name))
                        hitRefs.append(Reference(name: name, location: location, path: "\(path).hits[\(index)]"))
                    }
                }
            } else {
                reading.error(entry.value.location, path, "missing key 'hits'",
                              hint: "name the components it takes down, such as hits: [web] (every replica of each)")
            }
            if !cause.hits.isEmpty { causes.append(cause) }
        }
        return causes
    }

    /// What domains and causes share: their failure and repair laws, with ranges named as the
    /// domain's parameters. `what` names the kind in messages. Returns whether the laws were invalid.
    mutating func readFailureData(_ byKey: [String: Entry], into domain: inout Domain, path: String, at location: SourceLocation?,
                                  what: String) -> Bool {
        let id = domain.id
        let laws = readLaws(byKey, path: path, at: location, what: what) { key in
            key == "mtbf" ? .domainFailureMean(id) : key == "mttr" ? .domainRepairMean(id) : nil
        }
        domain.failure = laws.failure
        domain.repair = laws.repair
        return laws.invalid
    }

    // MARK: - Failure and repair

    /// The failure law from `mtbf`, `afr` or `failure`, and the repair law from `mttr` or
    /// `repair`, with the checks that tie them together.
    mutating func readLaws(_ byKey: [String: Entry], path: String, at location: SourceLocation?,
                           what: String, parameter: (String) -> Parameter? = { _ in nil }) -> (failure: Distribution?, repair: Distribution?, invalid: Bool) {
        var invalid = false
        let failureKeys = ["mtbf", "afr", "failure"].compactMap { byKey[$0] }
        let repairKeys = ["mttr", "repair"].compactMap { byKey[$0] }
        for extra in failureKeys.dropFirst() {
            reading.error(extra.keyNode.location, path, "give only one of 'mtbf', 'afr' and 'failure'",
                          hint: "'\(failureKeys[0].key)' is already given")
            invalid = true
        }
        for extra in repairKeys.dropFirst() {
            reading.error(extra.keyNode.location, path, "give only one of 'mttr' and 'repair'",
                          hint: "'\(repairKeys[0].key)' is already given")
            invalid = true
        }
        var failure: Distribution?
        if let entry = failureKeys.first {
            let keyPath = "\(path).\(entry.key)"
            if entry.key != "failure", Self.isRange(entry.value) {
                if let nominal = readRange(entry.value, path: keyPath, kind: entry.key == "afr" ? .annualRate : .duration, parameter: parameter(entry.key)) {
                    let hours = entry.key == "afr" ? TimeUnit.year.hours / -Foundation.log1p(-nominal) : nominal
                    failure = .exponential(mean: TimeSpan(hours: hours))
                } else {
                    invalid = true
                }
            } else if case .mapping = entry.value, entry.key != "failure" {
                reading.error(entry.value.location, keyPath, "expected \(entry.key == "afr" ? "a fraction such as 2%" : "a duration such as 2000h"), got a mapping",
                              hint: "give a distribution as `failure: {distribution: weibull, mean: 2000h, shape: 1.5}`")
                invalid = true
            } else {
            switch entry.key {
            case "mtbf":
                let span = reading.duration(entry.value, path: keyPath)
                if case .value(let mean, _) = span { failure = .exponential(mean: mean) } else { invalid = true }
            case "afr":
                switch reading.fraction(entry.value, path: keyPath) {
                case .value(let afr, _):
                    if afr.value <= 0 || afr.value >= 1 {
                        reading.error(entry.value.location, keyPath, "an annual failure rate must be above 0 and below 100%",
                                      hint: "λ = −ln(1 − afr)/8760 h; for a rate of 1 failure a year or more, give mtbf instead")
                        invalid = true
                    } else {
                        failure = .exponential(mean: TimeSpan(hours: TimeUnit.year.hours / -Foundation.log1p(-afr.value)))
                    }
                default: invalid = true
                }
            default:
                if case .value(let law, _) = reading.law(entry.value, path: keyPath) { failure = law } else { invalid = true }
            }
            }
        }
        var repair: Distribution?
        if let entry = repairKeys.first {
            let keyPath = "\(path).\(entry.key)"
            let law: Field<Distribution>
            if entry.key == "mttr", Self.isRange(entry.value) {
                law = readRange(entry.value, path: keyPath, kind: .duration, parameter: parameter("mttr"))
                    .map { .value(.exponential(mean: TimeSpan(hours: $0)), entry.value.location) } ?? .invalid
            } else if entry.key == "mttr", case .mapping = entry.value {
                reading.error(entry.value.location, keyPath, "expected a duration such as 4h, got a mapping",
                              hint: "give a distribution as `repair: {distribution: lognormal, mean: 4h, sd: 2h}`")
                law = .invalid
            } else {
                law = entry.key == "mttr" ? reading.duration(entry.value, path: keyPath).map { .exponential(mean: $0) }
                                          : reading.law(entry.value, path: keyPath)
            }
            if case .value(let value, _) = law { repair = value } else { invalid = true }
        }
        // A misspelt repair key (`mtrr`) is already reported as unknown with a hint; saying
        // that the repair is missing as well would only repeat it.
        let misspeltRepair = byKey.keys.contains { key in
            !Self.knownKeys.contains(key) && Suggestion.closest(to: key, among: ["mttr", "repair"]) != nil
        }
        if let entry = failureKeys.first, repairKeys.isEmpty, !misspeltRepair {
            reading.error(entry.keyNode.location, path, "'\(entry.key)' is given but no 'mttr': a \(what) that fails must be repaired",
                          hint: "add the mean time to repair or replace it, such as `mttr: 4h`")
            invalid = true
        }
        if let entry = repairKeys.first, failureKeys.isEmpty {
            reading.warning(entry.keyNode.location, path, "'\(entry.key)' is given but no 'mtbf', 'afr' or 'failure': the \(what) never fails, so it is unused")
        }
        return (failure, repair, invalid)
    }
}
