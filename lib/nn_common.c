/* nn_common.c — error messages and checked allocation (see nn_common.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_common.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

static const char *limit_source = "physical memory";

size_t nn_memory_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    uint64_t lim = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : UINT64_MAX;
    limit_source = "physical memory";
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (uint64_t)rl.rlim_cur < lim)
        lim = rl.rlim_cur, limit_source = "the address-space limit, ulimit -v";
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (uint64_t)rl.rlim_cur < lim)
        lim = rl.rlim_cur, limit_source = "the data-size limit, ulimit -d";
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (f) {
        unsigned long long v;
        if (fscanf(f, "%llu", &v) == 1 && v < lim) lim = v, limit_source = "the cgroup's memory.max";
        fclose(f);
    }
    return lim > SIZE_MAX ? SIZE_MAX : (size_t)lim;
}

const char *nn_memory_limit_source(void)
{
    nn_memory_limit();
    return limit_source;
}

const char *nn_bytes_str(double bytes, char *buf, size_t n)
{
    const char *unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (bytes >= 1024 && u < 5) bytes /= 1024, u++;
    snprintf(buf, n, u ? "%.3g %s" : "%.0f %s", bytes, unit[u]);
    return buf;
}

static nn_oom_handler oom_handler;

void nn_on_out_of_memory(nn_oom_handler h) { oom_handler = h; }

void *nn_calloc_at(size_t n, size_t size, const char *file, int line)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        char want[32], have[32], msg[512];
        snprintf(msg, sizeof msg,
                 "out of memory: %s asked for at %s:%d, with at most %s to use (%s); "
                 "the settings ask for more than this machine gives (layer widths, batch size, data, threads)",
                 nn_bytes_str((double)n * (double)size, want, sizeof want), file, line,
                 nn_bytes_str((double)nn_memory_limit(), have, sizeof have), nn_memory_limit_source());
        if (oom_handler) oom_handler(msg);
        fflush(stdout);
        fprintf(stderr, "%s\n", msg);
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
