/// The name of a component, exactly as the model file spells it.
public struct ComponentID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }
    public static func < (lhs: ComponentID, rhs: ComponentID) -> Bool { lhs.name < rhs.name }
}

/// The name of a shared failure domain (zone, region, rack), exactly as the model file spells it.
public struct DomainID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }
    public static func < (lhs: DomainID, rhs: DomainID) -> Bool { lhs.name < rhs.name }
}

extension String {
    /// The name with a possessive: `db's`, `brokers'` (a name ending in s takes the apostrophe alone).
    public var possessive: String { hasSuffix("s") || hasSuffix("S") ? self + "'" : self + "'s" }
}
