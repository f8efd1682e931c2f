/* nn_common.c — error messages and checked allocation (see nn_common.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_common.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

double nn_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char nn_errbuf[1024];

const char *nn_error(void) { return nn_errbuf; }

void nn_clear_error(void) { nn_errbuf[0] = '\0'; }

int nn_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(nn_errbuf, sizeof nn_errbuf, fmt, ap);
    va_end(ap);
    return -1;
}

void nn_panic(const char *file, int line, const char *cond, const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: internal error: %s failed: ", file, line, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *nn_calloc_at(size_t n, size_t size, const char *file, int line)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "%s:%d: out of memory allocating %zu x %zu bytes\n", file, line, n, size);
        abort();
    }
    return p;
}

char *nn_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = nn_calloc(n, 1);
    memcpy(d, s, n);
    return d;
}

int nn_all_finite(const nn_real *x, size_t n)
{
#ifdef NN_DOUBLE
    typedef uint64_t bits;
    const bits exp_mask = 0x7ff0000000000000ull;
#else
    typedef uint32_t bits;
    const bits exp_mask = 0x7f800000u;
#endif
    /* the largest exponent field seen; all ones means Inf or NaN (a max reduction vectorizes) */
    bits top = 0;
    for (size_t i = 0; i < n; i++) {
        bits b;
        memcpy(&b, &x[i], sizeof b);
        b &= exp_mask;
        top = b > top ? b : top;
    }
    return top != exp_mask;
}
