internal import CGSL

/// The survival function of a phase-type time, S(t) = e_startᵀ exp(T t) 1, written as a sum of
/// exponentials Σ cᵢ e^{λᵢ t} from the eigen-decomposition of the transient generator T
/// (GSL's `gsl_eigen_nonsymmv`; complex pairs allowed).
public struct SurvivalFunction: Sendable {
    /// Coefficients and rates, as (real, imaginary) pairs.
    public let coefficients: [(Double, Double)]
    public let rates: [(Double, Double)]

    /// - Parameters:
    ///   - transient: the generator restricted to the transient states (rows may sum below zero).
    ///   - start: the state the time starts in.
    public init(transient: DenseMatrix, start: Int) throws(NumericsError) {
        GSLCall.prepare()
        let n = transient.rows
        guard n == transient.columns, n > 0, start < n else { throw .dimensionMismatch("survival function of a \(n)-state chain") }
        guard let a = gsl_matrix_alloc(n, n), let values = gsl_vector_complex_alloc(n),
              let vectors = gsl_matrix_complex_alloc(n, n), let workspace = gsl_eigen_nonsymmv_alloc(n),
              let lu = gsl_matrix_complex_alloc(n, n), let permutation = gsl_permutation_alloc(n),
              let ones = gsl_vector_complex_alloc(n), let b = gsl_vector_complex_alloc(n) else {
            throw .gsl(function: "gsl_*_alloc", status: -1, reason: "out of memory")
        }
        defer {
            gsl_matrix_free(a); gsl_vector_complex_free(values); gsl_matrix_complex_free(vectors)
            gsl_eigen_nonsymmv_free(workspace); gsl_matrix_complex_free(lu); gsl_permutation_free(permutation)
            gsl_vector_complex_free(ones); gsl_vector_complex_free(b)
        }
        for i in 0..<n { for j in 0..<n { gsl_matrix_set(a, i, j, transient[i, j]) } }
        try GSLCall.check(gsl_eigen_nonsymmv(a, values, vectors, workspace), "gsl_eigen_nonsymmv")
        // b = V⁻¹ 1 by complex LU; the coefficients are V[start, i] · b_i.
        try GSLCall.check(gsl_matrix_complex_memcpy(lu, vectors), "gsl_matrix_complex_memcpy")
        var signum: Int32 = 0
        try GSLCall.check(gsl_linalg_complex_LU_decomp(lu, permutation, &signum), "gsl_linalg_complex_LU_decomp")
        for i in 0..<n { gsl_vector_complex_set(ones, i, gsl_complex(dat: (1, 0))) }
        try GSLCall.check(gsl_linalg_complex_LU_solve(lu, permutation, ones, b), "gsl_linalg_complex_LU_solve")
        var coefficients: [(Double, Double)] = []
        var rates: [(Double, Double)] = []
        for i in 0..<n {
            let v = gsl_matrix_complex_get(vectors, start, i).dat
            let w = gsl_vector_complex_get(b, i).dat
            coefficients.append((v.0 * w.0 - v.1 * w.1, v.0 * w.1 + v.1 * w.0))
            let lambda = gsl_vector_complex_get(values, i).dat
            rates.append((lambda.0, lambda.1))
        }
        guard coefficients.allSatisfy({ $0.0.isFinite && $0.1.isFinite }) else { throw .singular }
        self.coefficients = coefficients
        self.rates = rates
    }

    /// S(t), t in hours.
    public func callAsFunction(_ t: Double) -> Double {
        var sum = 0.0
        for (c, r) in zip(coefficients, rates) {
            let magnitude = exp(r.0 * t)
            sum += magnitude * (c.0 * cos(r.1 * t) - c.1 * sin(r.1 * t))
        }
        return min(1, max(0, sum))
    }

    /// ∫₀^∞ S(t) dt = Σ cᵢ / (−λᵢ): the mean time, used to check the decomposition.
    public var mean: Double {
        var sum = 0.0
        for (c, r) in zip(coefficients, rates) {
            // c / (−r) for complex numbers.
            let denominator = r.0 * r.0 + r.1 * r.1
            sum += (c.0 * -r.0 + c.1 * -r.1) / denominator
        }
        return sum
    }
}

/// Adaptive integration on [0, ∞) with GSL's QAGIU (21-point Gauss–Kronrod on the mapped interval).
public enum Quadrature {
    final class Context {
        let function: (Double) -> Double
        init(_ function: @escaping (Double) -> Double) { self.function = function }
    }

    /// ∫₀^∞ f(t) dt to the relative tolerance asked, with GSL's error estimate.
    public static func integrateToInfinity(relativeTolerance: Double, _ f: @escaping (Double) -> Double) throws(NumericsError) -> (value: Double, error: Double) {
        GSLCall.prepare()
        guard let workspace = gsl_integration_workspace_alloc(1000) else {
            throw .gsl(function: "gsl_integration_workspace_alloc", status: -1, reason: "out of memory")
        }
        defer { gsl_integration_workspace_free(workspace) }
        let context = Context(f)
        let pointer = Unmanaged.passRetained(context).toOpaque()
        defer { Unmanaged<Context>.fromOpaque(pointer).release() }
        var function = gsl_function(function: { x, params in
            guard let params else { return 0 }
            return Unmanaged<Context>.fromOpaque(params).takeUnretainedValue().function(x)
        }, params: pointer)
        var value = 0.0, error = 0.0
        let status = gsl_integration_qagiu(&function, 0, 0, relativeTolerance, 1000, workspace, &value, &error)
        try GSLCall.check(status, "gsl_integration_qagiu")
        return (value, error)
    }
}
