internal import CGSL

/// Quantile functions from GSL (`gsl_cdf_*_Pinv`), for inverse-transform sampling with any
/// uniform source and for confidence intervals.
public enum Quantiles {
    /// The standard normal quantile Φ⁻¹(p), 0 < p < 1 (`gsl_cdf_ugaussian_Pinv`).
    public static func standardNormal(_ p: Double) -> Double {
        GSLCall.prepare()
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// Student's t quantile with `degreesOfFreedom` (`gsl_cdf_tdist_Pinv`).
    public static func studentT(_ p: Double, degreesOfFreedom: Double) -> Double {
        GSLCall.prepare()
        return gsl_cdf_tdist_Pinv(p, degreesOfFreedom)
    }

    /// The chi-squared quantile with `degreesOfFreedom` (`gsl_cdf_chisq_Pinv`).
    public static func chiSquared(_ p: Double, degreesOfFreedom: Double) -> Double {
        GSLCall.prepare()
        return gsl_cdf_chisq_Pinv(p, degreesOfFreedom)
    }
}
