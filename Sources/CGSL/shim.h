#ifndef NINES_CGSL_SHIM_H
#define NINES_CGSL_SHIM_H

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_complex.h>
#include <gsl/gsl_complex_math.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

/// Swift 6 rejects GSL's generator-type globals as shared mutable state; these accessors
/// return them by value instead.
static inline const gsl_rng_type *CGSL_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *CGSL_rng_mt19937(void) { return gsl_rng_mt19937; }

#endif
