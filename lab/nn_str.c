/* nn_str.c — a growable string (see nn_str.h). */
#include "nn_str.h"
#include "nn_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nn_str_gnuplot(nn_str *b, const char *s)
{
    nn_str_addn(b, "'", 1);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\'') nn_str_addn(b, "''", 2);
        else if ((unsigned char)*p < 0x20 || *p == 0x7f) nn_str_addn(b, " ", 1);
        else nn_str_addn(b, p, 1);
    }
    nn_str_addn(b, "'", 1);
}

void nn_str_addn(nn_str *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1) cap *= 2;
        char *q = realloc(b->s, cap);
        NN_ASSERT(q != NULL, "out of memory");
        b->s = q;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void nn_str_add(nn_str *b, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < (int)sizeof small) {
        nn_str_addn(b, small, (size_t)n);
        return;
    }
    char *big = nn_calloc((size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    nn_str_addn(b, big, (size_t)n);
    free(big);
}

void nn_str_free(nn_str *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}
