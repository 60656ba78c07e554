internal import Yams
import Foundation
import NinesModel

/// Walks the composed YAML tree of a model file and builds a ``Model``, reporting every
/// problem at the key or value at fault and going on to check the rest.
struct ModelReader {
    var reading: NodeReading
    var diagnostics: [Diagnostic] { reading.diagnostics }

    init(masked: Set<SourceLocation> = []) {
        reading = NodeReading(masked: masked)
    }

    /// A reference to a name, kept with where it was written, for checking once every name is known.
    struct Reference {
        var name: String
        var location: SourceLocation?
        var path: String
    }

    var componentRefs: [(from: String, ref: Reference)] = []
    var placementRefs: [Reference] = []
    /// `replication.traffic` of the component being read, and whether it was given at all.
    var replicationTraffic: Double?
    var replicationTrafficGiven = false
    var withinRefs: [(from: String, ref: Reference)] = []
    /// Components named in a cause's `hits`.
    var hitRefs: [Reference] = []
    /// Journeys' entries, checked against the components.
    var journeyRefs: [Reference] = []
    /// The switching the last `{any: [...], failover: …}` read gave, for its component.
    var switchingRead: Switching?
    /// Inputs given as ranges, in file order.
    var uncertainties: [Uncertainty] = []

    // MARK: - Top level

    mutating func readModel(_ root: Node) -> Model? {
        guard let entries = reading.entries(
            root, path: "", expected: "a mapping with the model's keys (nines, name, entry, components, …)") else { return nil }
        reading.checkKeys(entries, allowed: ModelKeys.topLevel, path: "", what: "the top level")
        let byKey = Self.index(entries)
        let top = root.location
        // A required key that is only misspelt is reported once, as the unknown key with its hint.
        let misspelt = Set(entries.filter { !ModelKeys.topLevel.contains($0.key) }
            .compactMap { Suggestion.closest(to: $0.key, among: ModelKeys.topLevel) })
        func missing(_ key: String, _ message: String, hint: String) {
            if !misspelt.contains(key) { reading.error(top, "", message, hint: hint) }
        }

        var version = 1
        if let entry = byKey["nines"] {
            if let value = reading.integer(entry.value, path: "nines", minimum: 0).value {
                if value != 1 {
                    reading.error(entry.value.location, "nines", "unsupported format version \(value)",
                                  hint: "this version of nines reads format version 1")
                }
                version = value
            }
        } else {
            missing("nines", "missing key 'nines' (the format version)", hint: "add `nines: 1` at the top")
        }

        var name = ""
        if let entry = byKey["name"] {
            name = reading.string(entry.value, path: "name", expected: "a title").value ?? ""
        } else {
            missing("name", "missing key 'name'", hint: "add a title for reports, such as `name: Checkout service`")
        }

        var description: String?
        if let entry = byKey["description"] {
            description = reading.string(entry.value, path: "description").value
        }

        let places = byKey["domains"].map { readDomains($0.value) } ?? []
        let causes = byKey["causes"].map { readCauses($0.value, domains: places) } ?? []
        // Causes share the domains' namespace and machinery: each is a domain that hits components.
        let domains = places + causes

        var components: [Component] = []
        if let entry = byKey["components"] {
            components = readComponents(entry.value)
        } else {
            missing("components", "missing key 'components'", hint: "a model needs at least one component")
        }

        var entryID = ComponentID("")
        var entryRef: Reference?
        if let entry = byKey["entry"] {
            if let text = reading.string(entry.value, path: "entry", expected: "the name of a component").value {
                entryID = ComponentID(text)
                entryRef = Reference(name: text, location: entry.value.location, path: "entry")
            }
        } else {
            missing("entry", "missing key 'entry'",
                    hint: "name the component whose state is the service's state, such as `entry: \(components.first?.id.name ?? "api")`")
        }

        let business = byKey["business"].map { readBusiness($0.value) } ?? Business()
        let journeys = byKey["journeys"].map { readJourneys($0.value, at: $0.keyNode.location) } ?? []

        let componentsRead: Bool
        if case .mapping = byKey["components"]?.value { componentsRead = true } else { componentsRead = false }
        checkReferences(components: components, domains: domains, entry: entryRef, componentsGiven: componentsRead)

        var model = Model(formatVersion: version, name: name, description: description, entry: entryID,
                          domains: domains, components: components, business: business)
        model.uncertainties = uncertainties
        model.journeys = journeys
        return model
    }
}

extension Field {
    func map<T>(_ transform: (Value) -> T) -> Field<T> {
        switch self {
        case .absent: .absent
        case .invalid: .invalid
        case .value(let value, let location): .value(transform(value), location)
        }
    }
}
