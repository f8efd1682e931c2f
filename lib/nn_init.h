/* nn_init.h — initialization schemes for a weight matrix W (n_out, n_in) or a bias.
 *
 *   zero            W = 0                                  (no symmetry breaking at all)
 *   const           W = c                                  (c = scale; still symmetric)
 *   normal          W ~ N(0, σ²)                           (σ = scale, e.g. 0.01 or 1)
 *   uniform         W ~ U(-r, r)                           (r = scale)
 *   normal_fanin    W ~ N(0, 1/n_in)                       (σ = 1/√n_in; times scale)
 *   uniform_fanin   W ~ U(-1/√n_in, 1/√n_in)               (times scale)
 *   glorot_normal   W ~ N(0, 2/(n_in+n_out))               (Glorot & Bengio; times scale)
 *   glorot_uniform  W ~ U(±√(6/(n_in+n_out)))              ("normalized" init; times scale)
 *   he_normal       W ~ N(0, 2/n_in)                       (He et al., for ReLU; times scale)
 * For the fan-based schemes `scale` is a gain multiplying the standard deviation or
 * range (1 = the published scheme). Biases use the same table with n_in = fan-in.
 */
#ifndef NN_INIT_H
#define NN_INIT_H

#include "nn_common.h"
#include "nn_rng.h"

/* X(ENUM_SUFFIX, name, distribution, spread): one row per scheme. The spread is an
 * expression in s (the scale), fi (fan-in) and fo (fan-out): the standard deviation for
 * NORMAL, the half-width r of U(−r, r) for UNIFORM, the value for CONST. Adding a scheme is
 * one row: its name, std, draw, config choices and the moments test follow. */
#define NN_INIT_SCHEMES(X)                                                \
    X(ZERO, zero, CONST, 0.0)                                             \
    X(CONST, const, CONST, s)                                             \
    X(NORMAL, normal, NORMAL, s)                                          \
    X(UNIFORM, uniform, UNIFORM, s)                                       \
    X(NORMAL_FANIN, normal_fanin, NORMAL, s / sqrt(fi))                   \
    X(UNIFORM_FANIN, uniform_fanin, UNIFORM, s / sqrt(fi))                \
    X(GLOROT_NORMAL, glorot_normal, NORMAL, s * sqrt(2.0 / (fi + fo)))    \
    X(GLOROT_UNIFORM, glorot_uniform, UNIFORM, s * sqrt(6.0 / (fi + fo))) \
    X(HE_NORMAL, he_normal, NORMAL, s * sqrt(2.0 / fi))

#define NN_INIT_ENUM_(E, name, dist, spread) NN_INIT_##E,
typedef enum { NN_INIT_SCHEMES(NN_INIT_ENUM_) NN_INIT_COUNT } nn_init_kind;
#undef NN_INIT_ENUM_

typedef struct nn_init {
    nn_init_kind kind;
    double scale;
} nn_init;

extern const char *const nn_init_names[]; /* NULL-terminated */
const char *nn_init_name(nn_init_kind k);
int nn_init_parse(const char *name, nn_init_kind *out);

/* The standard deviation the scheme gives for these fans (for tests and reports). */
double nn_init_std(nn_init init, int n_in, int n_out);
/* Fill w[0..count) according to the scheme, drawing from rng in index order. */
void nn_init_fill(nn_real *w, size_t count, nn_init init, int n_in, int n_out, nn_rng *rng);

#endif
