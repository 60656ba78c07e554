#ifndef NINES_CUMFPACK_SHIM_H
#define NINES_CUMFPACK_SHIM_H
/* SuiteSparse's UMFPACK (Debian libsuitesparse-dev): sparse LU with fill-reducing ordering. */
#include <suitesparse/umfpack.h>
#endif
