import RealModule
import Testing

/// Tolerances, each with the reason for its size.
public enum Tolerance {
    /// Closed forms evaluated in double precision: a few ulps of accumulated rounding.
    public static let closedForm = 1e-12
    /// Dense linear solves of small, well-conditioned chains (GSL LU with one refinement).
    public static let linearSolve = 1e-9
}

/// Expects `actual` to equal `expected` within a relative tolerance (and an optional absolute
/// one, for values near zero), using `isApproximatelyEqual` from swift-numerics.
///
/// Approximate equality is neither transitive nor `Equatable` (a ≈ b and b ≈ c do not give
/// a ≈ c), which is why it is a test helper and not an operator.
public func expectClose(_ actual: Double, _ expected: Double, rel: Double, abs: Double = 0,
                        _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    let close = actual.isApproximatelyEqual(to: expected, absoluteTolerance: abs, relativeTolerance: rel)
        || actual == expected
    #expect(close, "\(actual) is not within rel \(rel) / abs \(abs) of \(expected)\(comment.map { ": \($0)" } ?? "")",
            sourceLocation: sourceLocation)
}
