/* nn_common.h — the lab's real type, BLAS binding, errors and checked allocation.
 *
 * Precision: the library is compiled twice from the same sources.
 *   - default (float): what the programs train with; OpenBLAS sgemm runs about twice
 *     as fast as dgemm on this machine;
 *   - -DNN_DOUBLE: what the gradient-check tests use, so a central difference has
 *     ~1e-10 truncation/rounding error and a wrong factor of 2 cannot hide.
 * Accumulations that decide a reported number (losses, norms, means) are done in
 * double in both builds.
 *
 * Errors: a function that can fail on input (a file, a config value, a flag) returns
 * -1 or NULL and leaves a message a person can act on in nn_error(). Programming
 * errors (a shape mismatch, a NULL where none is allowed) abort with file:line.
 * The library never exits: when memory runs out it calls the handler the program installed
 * (nn_on_out_of_memory), which decides; with none it prints the request and aborts.
 */
#ifndef NN_COMMON_H
#define NN_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef NN_DOUBLE
typedef double nn_real;
#define NN_REAL_NAME "double"
#define NN_GEMM cblas_dgemm
#define nn_rexp exp
#define nn_rtanh tanh
#define nn_rerf erf
#define nn_rexp_fast exp   /* the activations' e^x and tanh: libm in double, nn_fastmath.h in float */
#define nn_rtanh_fast tanh
#else
typedef float nn_real;
#define NN_REAL_NAME "float"
#define NN_GEMM cblas_sgemm
#define nn_rexp expf
#define nn_rtanh tanhf
#define nn_rerf erff
#define nn_rexp_fast nn_expf_fast
#define nn_rtanh_fast nn_tanhf_fast
#endif

/* ---- errors ------------------------------------------------------------- */

/* The last error message set by a failing library call (empty string if none). */
const char *nn_error(void);
/* Set the error message (printf-style). Always returns -1 so callers can
 * `return nn_fail("...")`. */
int nn_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nn_clear_error(void);

/* Abort with file:line for a broken invariant (a bug, not bad input). */
#define NN_ASSERT(cond, ...)                                                  \
    do {                                                                      \
        if (!(cond)) nn_panic(__FILE__, __LINE__, #cond, __VA_ARGS__);        \
    } while (0)
_Noreturn void nn_panic(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- allocation ----------------------------------------------------------- */

/* Zeroed allocation. When memory runs out it says how much was asked for (and where) and exits
 * with status 1: a setting that asks for more memory than there is gets a message, not an abort.
 * Free with free(). */
#define nn_calloc(n, size) nn_calloc_at((n), (size), __FILE__, __LINE__)
void *nn_calloc_at(size_t n, size_t size, const char *file, int line);
/* What to do when an allocation fails: h gets the message (what was asked for, where, and the
 * limit) and must not return. NULL restores the default (print, abort). */
typedef void (*nn_oom_handler)(const char *message);
void nn_on_out_of_memory(nn_oom_handler h);

/* The most memory this process may use, in bytes: the smallest of the physical memory, the
 * address-space and data-segment limits (ulimit -v, ulimit -d) and a cgroup v2 memory.max. */
size_t nn_memory_limit(void);
/* Where that limit comes from ("physical memory", "ulimit -v", ...). */
const char *nn_memory_limit_source(void);
/* "1.5 GiB", "340 MiB", "12 KiB" into buf; returns buf. */
const char *nn_bytes_str(double bytes, char *buf, size_t n);

/* strdup that exits on out-of-memory. */
char *nn_strdup(const char *s);

/* 1 if every x[i] is finite (no NaN, no ±Inf). Tests the exponent bits with integer
 * operations, so the loop vectorizes and costs a fraction of a pass over memory. */
int nn_all_finite(const nn_real *x, size_t n);
/* 1 when x is NaN or ±Inf (its exponent field all ones), by integer operations: OR-ed over a loop
 * that writes x, it tells whether any value went non-finite without a second pass over memory
 * (the optimizer's update loops use it; the loop still vectorizes). */
#ifdef NN_DOUBLE
typedef uint64_t nn_real_bits;
#define NN_EXP_ALL_ONES 0x7ff0000000000000ull
#else
typedef uint32_t nn_real_bits;
#define NN_EXP_ALL_ONES 0x7f800000u
#endif
static inline int nn_nonfinite(nn_real x)
{
    nn_real_bits u;
    memcpy(&u, &x, sizeof u);
    return (u & NN_EXP_ALL_ONES) == NN_EXP_ALL_ONES;
}

/* Monotonic wall-clock seconds (for timing fields and progress only). */
double nn_wall_seconds(void);

static inline int nn_min_i(int a, int b) { return a < b ? a : b; }
static inline int nn_max_i(int a, int b) { return a > b ? a : b; }

#endif
