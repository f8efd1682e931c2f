/* nn_str.h — a growable string, and a value quoted as a gnuplot string literal. */
#ifndef NN_STR_H
#define NN_STR_H

#include <stddef.h>

/* A growable string. */
typedef struct nn_str {
    char *s;
    size_t len, cap;
} nn_str;
void nn_str_add(nn_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nn_str_addn(nn_str *b, const char *p, size_t n);
void nn_str_free(nn_str *b);
/* `s` as a gnuplot single-quoted string literal, quotes included: ' doubled, and every control character
 * (a newline would end the command and let the rest run as gnuplot, `!` a shell) written as a space.
 * The one way a value from data reaches a gnuplot script. */
void nn_str_gnuplot(nn_str *b, const char *s);

#endif
