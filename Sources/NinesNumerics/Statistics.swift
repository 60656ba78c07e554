internal import CGSL

/// Sample statistics from GSL: quantiles of sorted data and rank correlation.
public enum Statistics {
    /// The `p`-quantile of `values` (sorted here with `gsl_sort`), interpolated linearly between
    /// order statistics as `gsl_stats_quantile_from_sorted_data` does; nil for no values.
    public static func quantile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        var sorted = values
        return sorted.withUnsafeMutableBufferPointer { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            gsl_sort(base, 1, buffer.count)
            return gsl_stats_quantile_from_sorted_data(base, 1, buffer.count, min(max(p, 0), 1))
        }
    }

    /// Spearman's rank correlation of two samples of equal length (`gsl_stats_spearman`);
    /// nil when there are fewer than two pairs or either sample is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2, Set(x).count > 1, Set(y).count > 1 else { return nil }
        var work = [Double](repeating: 0, count: 2 * x.count)
        let value = x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                work.withUnsafeMutableBufferPointer { w in
                    gsl_stats_spearman(xs.baseAddress, 1, ys.baseAddress, 1, x.count, w.baseAddress)
                }
            }
        }
        return value.isFinite ? value : nil
    }

    /// P(Poisson(mean) ≥ m): 1 for m ≤ 0, else the regularised lower incomplete gamma
    /// P(m, mean) (`gsl_sf_gamma_inc_P`), accurate however small it is (no 1 − …). The
    /// probability that m exponential spells at rate r fit within x: P(Poisson(r x) ≥ m).
    public static func poissonAtLeast(_ m: Int, mean: Double) -> Double {
        guard m > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        GSLCall.prepare()
        var result = gsl_sf_result()
        guard gsl_sf_gamma_inc_P_e(Double(m), mean, &result) == Int32(GSL_SUCCESS), result.val.isFinite else {
            // Underflow: far below any probability printed.
            return 0
        }
        return min(1, max(0, result.val))
    }
}
