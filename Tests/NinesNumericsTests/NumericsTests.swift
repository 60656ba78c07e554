import NinesNumerics
import NinesTestSupport
import Testing

@Suite("GSL: dense linear solves")
struct LinearSolverTests {
    @Test("a 3×3 system against its hand-computed solution")
    func solvesKnownSystem() throws {
        // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3  ⇒  x = 2, y = 3, z = −1.
        let a = DenseMatrix([[2, 1, -1], [-3, -1, 2], [-2, 1, 2]])
        let x = try LinearSolver.solve(a, [8, -11, -3])
        expectClose(x[0], 2, rel: Tolerance.linearSolve)
        expectClose(x[1], 3, rel: Tolerance.linearSolve)
        expectClose(x[2], -1, rel: Tolerance.linearSolve)
        // The residual of the returned solution, recomputed independently.
        let back = a.multiplied(by: x)
        for (value, expected) in zip(back, [8.0, -11, -3]) { expectClose(value, expected, rel: Tolerance.linearSolve) }
    }

    @Test func singularMatrixIsAnErrorNotAnAbort() {
        #expect(throws: NumericsError.singular) {
            try LinearSolver.solve(DenseMatrix([[1, 2], [2, 4]]), [1, 2])
        }
    }

    @Test func shapesAreChecked() {
        #expect(throws: NumericsError.self) { try LinearSolver.solve(DenseMatrix([[1, 2]]), [1]) }
        #expect(throws: NumericsError.self) { try LinearSolver.solve(DenseMatrix([[1]]), [1, 2]) }
    }
}

@Suite("GSL: seeded random streams")
struct RandomStreamTests {
    @Test func sameSeedSameSequence() throws {
        let a = try #require(RandomStream(seed: 42))
        let b = try #require(RandomStream(seed: 42))
        let first = (0..<100).map { _ in a.uniform() }
        let second = (0..<100).map { _ in b.uniform() }
        #expect(first == second)
    }

    @Test func derivedStreamsDiffer() throws {
        let seeds = (0..<64).map { RandomStream.seed(base: 7, stream: UInt64($0)) }
        #expect(Set(seeds).count == 64)
        let a = try #require(RandomStream(seed: seeds[0]))
        let b = try #require(RandomStream(seed: seeds[1]))
        #expect((0..<10).map { _ in a.uniform() } != (0..<10).map { _ in b.uniform() })
    }

    @Test("exponential draws have the requested mean (within 4 standard errors)")
    func exponentialMean() throws {
        let stream = try #require(RandomStream(seed: 2026))
        let n = 200_000
        let mean = 4.0
        let total = (0..<n).reduce(0.0) { sum, _ in sum + stream.exponential(mean: mean) }
        // The standard deviation of an exponential is its mean, so SE = mean/√n.
        let standardError = mean / Double(n).squareRoot()
        #expect(abs(total / Double(n) - mean) <= 4 * standardError)
    }

    @Test("Γ from GSL against closed forms")
    func gammaFunction() {
        expectClose(SpecialFunctions.gamma(5), 24, rel: Tolerance.closedForm)
        expectClose(SpecialFunctions.gamma(0.5), Double.pi.squareRoot(), rel: Tolerance.closedForm)
    }
}
