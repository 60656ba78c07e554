internal import CGSL

/// A dense real matrix in row-major order.
public struct DenseMatrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// Entries row by row: `storage[row * columns + column]`.
    public var storage: [Double]

    /// A `rows` × `columns` matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix from its rows, which must all have the same length.
    public init(_ rowValues: [[Double]]) {
        let columns = rowValues.first?.count ?? 0
        precondition(rowValues.allSatisfy { $0.count == columns }, "rows of different lengths")
        self.rows = rowValues.count
        self.columns = columns
        self.storage = rowValues.flatMap { $0 }
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The product with a vector, `A x`.
    public func multiplied(by vector: [Double]) -> [Double] {
        precondition(vector.count == columns, "vector length \(vector.count) for \(columns) columns")
        var result = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            var sum = 0.0
            for column in 0..<columns { sum += storage[row * columns + column] * vector[column] }
            result[row] = sum
        }
        return result
    }
}

/// Dense linear systems, solved with GSL.
public enum LinearSolver {
    /// Solves `A x = b` by LU decomposition with partial pivoting (`gsl_linalg_LU_decomp`,
    /// `gsl_linalg_LU_solve`), refined once by `gsl_linalg_LU_refine`.
    ///
    /// - Complexity: O(n³) time, O(n²) memory.
    /// - Throws: ``NumericsError/singular`` when a pivot is zero; ``NumericsError/gsl`` for any
    ///   other failure GSL reports.
    public static func solve(_ matrix: DenseMatrix, _ rhs: [Double]) throws(NumericsError) -> [Double] {
        GSLCall.prepare()
        let n = matrix.rows
        guard matrix.columns == n else { throw .dimensionMismatch("\(matrix.rows)×\(matrix.columns) is not square") }
        guard rhs.count == n else { throw .dimensionMismatch("right-hand side of length \(rhs.count) for \(n) rows") }
        guard n > 0 else { return [] }

        var original = matrix.storage
        var factors = matrix.storage
        var b = rhs
        var x = [Double](repeating: 0, count: n)
        var residual = [Double](repeating: 0, count: n)
        guard let permutation = gsl_permutation_alloc(n) else { throw .gsl(function: "gsl_permutation_alloc", status: -1, reason: "out of memory") }
        defer { gsl_permutation_free(permutation) }

        var status: Int32 = 0
        var singular = false
        factors.withUnsafeMutableBufferPointer { lu in
            original.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { bb in
                    x.withUnsafeMutableBufferPointer { xx in
                        residual.withUnsafeMutableBufferPointer { rr in
                            var luView = gsl_matrix_view_array(lu.baseAddress, n, n)
                            var aView = gsl_matrix_view_array(a.baseAddress, n, n)
                            var bView = gsl_vector_view_array(bb.baseAddress, n)
                            var xView = gsl_vector_view_array(xx.baseAddress, n)
                            var rView = gsl_vector_view_array(rr.baseAddress, n)
                            var signum: Int32 = 0
                            status = gsl_linalg_LU_decomp(&luView.matrix, permutation, &signum)
                            guard status == Int32(GSL_SUCCESS) else { return }
                            for i in 0..<n where lu[i * n + i] == 0 { singular = true }
                            guard !singular else { return }
                            status = gsl_linalg_LU_solve(&luView.matrix, permutation, &bView.vector, &xView.vector)
                            guard status == Int32(GSL_SUCCESS) else { return }
                            status = gsl_linalg_LU_refine(&aView.matrix, &luView.matrix, permutation,
                                                          &bView.vector, &xView.vector, &rView.vector)
                        }
                    }
                }
            }
        }
        if singular { throw .singular }
        try GSLCall.check(status, "gsl_linalg_LU")
        guard x.allSatisfy(\.isFinite) else { throw .singular }
        return x
    }
}
