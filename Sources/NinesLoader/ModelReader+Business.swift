internal import Yams
import Foundation
import NinesModel

/// `business:`: downtime and data-loss prices, the SLA and its credits.
extension ModelReader {
    mutating func readBusiness(_ node: Node) -> Business {
        guard let fields = reading.entries(node, path: "business", expected: "a mapping such as {downtime_cost: 5000/h, sla: {target: 99.95%}}") else { return Business() }
        reading.checkKeys(fields, allowed: ModelKeys.business, path: "business", what: "business")
        let byKey = Self.index(fields)
        var business = Business()
        if let entry = byKey["downtime_cost"] {
            business.downtimeCost = reading.quantity(entry.value, path: "business.downtime_cost", expected: "money per time such as 5000/h") {
                QuantityParser.moneyRate($0, defaultUnit: .hour)
            }.value
        }
        if let entry = byKey["data_loss_cost"] {
            business.dataLossCost = reading.quantity(entry.value, path: "business.data_loss_cost", expected: "money per time such as 20/s") {
                QuantityParser.moneyRate($0, defaultUnit: .second)
            }.value
        }
        if let entry = byKey["sla"] { business.sla = readSLA(entry.value) }
        if let entry = byKey["budget"] {
            business.budgetMonthly = reading.quantity(entry.value, path: "business.budget", expected: "money per month such as 2000/mo") {
                QuantityParser.moneyRate($0, defaultUnit: .month)
            }.value.map { $0.perHour * TimeUnit.month.hours }
        }
        return business
    }

    /// `journeys:`: each journey's entry (a component), its share of requests, and its own
    /// downtime price and SLA; the shares must sum to 1.
    mutating func readJourneys(_ node: Node, at keyLocation: SourceLocation?) -> [Journey] {
        guard let entries = reading.entries(node, path: "journeys", expected: "a mapping of journey names to {entry, traffic}") else { return [] }
        var journeys: [Journey] = []
        var total = 0.0
        var complete = true
        for entry in entries {
            if reading.isSaturated { break }
            let path = "journeys.\(entry.key)"
            guard let fields = reading.entries(entry.value, path: path, expected: "a mapping such as {entry: web, traffic: 70%}") else {
                complete = false
                continue
            }
            reading.checkKeys(fields, allowed: ModelKeys.journey, path: path, what: "a journey")
            let byKey = Self.index(fields)
            var journey = Journey(name: entry.key, entry: ComponentID(""), traffic: 0, location: entry.keyNode.location)
            if let e = byKey["entry"], let text = reading.string(e.value, path: "\(path).entry", expected: "the name of a component").value {
                journey.entry = ComponentID(text)
                journeyRefs.append(Reference(name: text, location: e.value.location, path: "\(path).entry"))
            } else if byKey["entry"] == nil {
                reading.error(entry.value.location, path, "missing key 'entry'", hint: "name the component whose state is the journey's, such as `entry: web`")
            }
            if let t = byKey["traffic"] {
                if let share = reading.fraction(t.value, path: "\(path).traffic").value {
                    journey.traffic = share.value
                    total += share.value
                } else {
                    complete = false
                }
            } else {
                complete = false
                reading.error(entry.value.location, path, "missing key 'traffic'", hint: "give its share of requests, such as `traffic: 70%`")
            }
            if let d = byKey["downtime_cost"] {
                journey.downtimeCost = reading.quantity(d.value, path: "\(path).downtime_cost", expected: "money per time such as 5000/h") {
                    QuantityParser.moneyRate($0, defaultUnit: .hour)
                }.value
            }
            if let sla = byKey["sla"] {
                journey.sla = readSLA(sla.value, path: "\(path).sla")
                if journey.sla?.billMonthly != nil || journey.sla?.credits.isEmpty == false {
                    reading.warning(sla.keyNode.location, "\(path).sla", "a journey's bill and credits are not used: credits are the service's",
                                    hint: "give them in business.sla; a journey's sla is a target its availability is checked against")
                }
            }
            if let text = byKey["description"] { journey.description = reading.string(text.value, path: "\(path).description").value }
            journeys.append(journey)
        }
        if entries.isEmpty {
            reading.error(node.location, "journeys", "no journeys", hint: "name at least one, such as `browse: {entry: web, traffic: 100%}`, or remove the key")
        } else if complete, abs(total - 1) > 1e-9 {
            reading.error(keyLocation, "journeys", "the traffic shares sum to \(String(format: "%.10g", total * 100))%, not 100%",
                          hint: "each journey's traffic is its share of all requests; together they are 100%")
        }
        return journeys
    }

    mutating func readSLA(_ node: Node, path: String = "business.sla") -> ServiceLevel? {
        if case .scalar = node {
            return reading.fraction(node, path: path).value.map { ServiceLevel(target: $0) }
        }
        guard let fields = reading.entries(node, path: path, expected: "a mapping such as {target: 99.95%, period: month}") else { return nil }
        reading.checkKeys(fields, allowed: ModelKeys.sla, path: path, what: "sla")
        let byKey = Self.index(fields)
        guard let targetEntry = byKey["target"] else {
            reading.error(node.location, path, "missing key 'target'", hint: "such as `target: 99.95%`")
            return nil
        }
        guard let target = reading.fraction(targetEntry.value, path: "\(path).target").value else { return nil }
        var level = ServiceLevel(target: target)
        if let entry = byKey["bill"] {
            level.billMonthly = reading.quantity(entry.value, path: "\(path).bill", expected: "what customers pay per month", QuantityParser.money).value
        }
        if let entry = byKey["credits"] {
            level.credits = readCredits(entry.value, path: "\(path).credits")
            if byKey["bill"] == nil {
                reading.error(entry.keyNode.location, path, "credits are a share of the bill, but no 'bill' is given",
                              hint: "add what customers pay per month, such as `bill: 20000`")
            }
        }
        if let entry = byKey["period"], let text = reading.string(entry.value, path: "\(path).period", expected: "month, year or a duration").value {
            if let word = ModelKeys.periodWords[text] {
                level.period = TimeSpan(hours: word.hours)
            } else {
                switch QuantityParser.duration(text) {
                case .success(let span): level.period = span
                case .failure(let problem) where problem.message.hasPrefix("duration must be positive"):
                    reading.error(entry.value.location, "\(path).period", "the SLA period must be positive, got '\(text)'")
                case .failure:
                    reading.error(entry.value.location, "\(path).period", "unknown period '\(text)'",
                                  hint: Suggestion.didYouMean(text, among: ModelKeys.periodWords.keys.sorted())
                                    ?? "use day, week, month, quarter, year or a duration such as 30d")
                }
            }
        }
        return level
    }

    mutating func readCredits(_ node: Node, path: String) -> [CreditTier] {
        guard case .sequence(let sequence) = node else {
            reading.error(node.location, path, "expected a list of credit tiers, got \(node.kindDescription)",
                          hint: "write - {below: 99.95%, credit: 10%}")
            return []
        }
        if sequence.isEmpty {
            reading.error(node.location, path, "the list of credit tiers is empty", hint: "write [{below: 99.95%, credit: 10%}], or remove `credits`")
        }
        var tiers: [CreditTier] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = reading.entries(item, path: itemPath, expected: "a tier such as {below: 99.95%, credit: 10%}") else { continue }
            reading.checkKeys(fields, allowed: ModelKeys.creditTier, path: itemPath, what: "a credit tier")
            let byKey = Self.index(fields)
            for key in ModelKeys.creditTier where byKey[key] == nil {
                reading.error(item.location, itemPath, "missing key '\(key)'", hint: "write {below: 99.95%, credit: 10%}")
            }
            guard let below = byKey["below"].flatMap({ reading.fraction($0.value, path: "\(itemPath).below").value }),
                  let credit = byKey["credit"].flatMap({ reading.fraction($0.value, path: "\(itemPath).credit").value }) else { continue }
            tiers.append(CreditTier(below: below, credit: credit))
        }
        return tiers
    }
}
