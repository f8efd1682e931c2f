/* nn_act.c — activation functions: each one's forward and backward formulas side by side
 * (the list is NN_ELEMENTWISE_ACTS in nn_act.h; softmax is written out at the end). */
#include "nn_act.h"
#include "nn_layer.h"
#include "nn_fastmath.h"

#include <math.h>
#include <string.h>

/* ---- the formulas: a = f(z), f'(z) from z and/or a, and when an output is saturated ------ */

static inline nn_real act_linear_f(nn_real z) { return z; }
static inline nn_real act_linear_df(nn_real z, nn_real a) { (void)z, (void)a; return 1; }
static inline int act_linear_sat(double a) { (void)a; return 0; }

/* σ(z) = 1/(1+e^-z) without a branch (signs are random, so a branch mispredicts half the
 * time): for z ≪ 0, e^-z overflows to +Inf and 1/(1+Inf) = 0, the right limit. The float build's
 * e^x and tanh are nn_fastmath.h's (vectorizable; error bounds there) */
static inline nn_real act_sigmoid_f(nn_real z) { return (nn_real)1 / ((nn_real)1 + nn_rexp_fast(-z)); }
static inline nn_real act_sigmoid_df(nn_real z, nn_real a) { (void)z; return a * (1 - a); }
static inline int act_sigmoid_sat(double a) { return a < 0.01 || a > 0.99; }

static inline nn_real act_tanh_f(nn_real z) { return nn_rtanh_fast(z); }
static inline nn_real act_tanh_df(nn_real z, nn_real a) { (void)z; return 1 - a * a; }
static inline int act_tanh_sat(double a) { return fabs(a) > 0.99; }

static inline nn_real act_relu_f(nn_real z) { return z > 0 ? z : 0; }
static inline nn_real act_relu_df(nn_real z, nn_real a) { (void)a; return z > 0; }
static inline int act_relu_sat(double a) { return a <= 0; } /* a dead unit for this input */

#define LEAK ((nn_real)0.01)
static inline nn_real act_leaky_relu_f(nn_real z) { return z > 0 ? z : LEAK * z; }
static inline nn_real act_leaky_relu_df(nn_real z, nn_real a) { (void)a; return z > 0 ? 1 : LEAK; }
static inline int act_leaky_relu_sat(double a) { (void)a; return 0; }

/* GELU, the exact form: a = z Φ(z) with Φ(z) = ½(1 + erf(z/√2)); f'(z) = Φ(z) + z φ(z),
 * φ(z) = e^{−z²/2}/√(2π) (C11 has no M_SQRT1_2, so the constants are written out) */
#define INV_SQRT2 ((nn_real)0.70710678118654752440)
#define INV_SQRT_2PI ((nn_real)0.39894228040143267794)
static inline nn_real act_gelu_f(nn_real z) { return (nn_real)0.5 * z * (1 + nn_rerf(z * INV_SQRT2)); }
static inline nn_real act_gelu_df(nn_real z, nn_real a)
{
    (void)a;
    return (nn_real)0.5 * (1 + nn_rerf(z * INV_SQRT2)) + z * nn_rexp(-z * z / 2) * INV_SQRT_2PI;
}
static inline int act_gelu_sat(double a) { (void)a; return 0; }

/* ---- names, parsing ------------------------------------------------------------------------ */

#define NAME_(E, name) #name,
const char *const nn_act_names[] = {NN_ELEMENTWISE_ACTS(NAME_) "softmax", NULL};
const char *const nn_act_hidden_names[] = {NN_ELEMENTWISE_ACTS(NAME_) NULL};
#undef NAME_

const char *nn_act_name(nn_act a)
{
    NN_ASSERT(a >= 0 && a < NN_ACT_COUNT, "activation %d", (int)a);
    return nn_act_names[a];
}

int nn_act_parse(const char *name, nn_act *out)
{
    for (int i = 0; nn_act_names[i]; i++)
        if (strcmp(name, nn_act_names[i]) == 0) {
            *out = (nn_act)i;
            return 0;
        }
    char list[512] = "";
    for (int i = 0; nn_act_names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", nn_act_names[i]);
    return nn_fail("unknown activation '%s' (expected one of: %s)", name, list);
}

/* ---- the loops --------------------------------------------------------------------------- */

void nn_act_forward(nn_act f, nn_real *restrict a, const nn_real *restrict z, int B, int n)
{
    size_t N = (size_t)B * (size_t)n;
    switch (f) {
#define FWD_(E, name) \
    case NN_##E: for (size_t i = 0; i < N; i++) a[i] = act_##name##_f(z[i]); break;
        NN_ELEMENTWISE_ACTS(FWD_)
#undef FWD_
    case NN_SOFTMAX:
        for (int r = 0; r < B; r++) {
            const nn_real *zr = z + (size_t)r * n;
            nn_real *ar = a + (size_t)r * n;
            nn_real mx = zr[0];
            for (int k = 1; k < n; k++) mx = zr[k] > mx ? zr[k] : mx;
            double s = 0; /* subtract the row max: e^x never overflows */
            for (int k = 0; k < n; k++) ar[k] = nn_rexp_fast(zr[k] - mx); /* vectorized */
            for (int k = 0; k < n; k++) s += ar[k];                       /* in order, in double */
            for (int k = 0; k < n; k++) ar[k] = (nn_real)(ar[k] / s);
        }
        break;
    default: NN_ASSERT(0, "activation %d", (int)f);
    }
}

void nn_act_backward(nn_act f, nn_real *restrict dz, const nn_real *restrict da, const nn_real *restrict z,
                     const nn_real *restrict a, int B, int n)
{
    size_t N = (size_t)B * (size_t)n;
    switch (f) {
#define BWD_(E, name) \
    case NN_##E: for (size_t i = 0; i < N; i++) dz[i] += da[i] * act_##name##_df(z[i], a[i]); break;
        NN_ELEMENTWISE_ACTS(BWD_)
#undef BWD_
    case NN_SOFTMAX:
        for (int r = 0; r < B; r++) {
            const nn_real *ar = a + (size_t)r * n, *dar = da + (size_t)r * n;
            nn_real *dzr = dz + (size_t)r * n;
            double dot = 0;
            for (int k = 0; k < n; k++) dot += (double)ar[k] * dar[k];
            for (int k = 0; k < n; k++) dzr[k] += (nn_real)(ar[k] * (dar[k] - dot));
        }
        break;
    default: NN_ASSERT(0, "activation %d", (int)f);
    }
}

int nn_act_saturated(nn_act f, double a)
{
    switch (f) {
#define SAT_(E, name) \
    case NN_##E: return act_##name##_sat(a);
        NN_ELEMENTWISE_ACTS(SAT_)
#undef SAT_
    default: return 0;
    }
}

/* ---- the activation layer (nn_layer.h) ---------------------------------------------------- */

int nn_net_act(nn_net *net, nn_act f)
{
    nn_layer *L = nn_net_append(net, NN_L_ACT, nn_net_node_width(net, net->cur), nn_act_name(f));
    L->act = f;
    return net->cur;
}

static void layer_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    (void)net;
    nn_act_forward(L->act, L->out, x, B, L->n);
}

/* an output fused with its loss has had ∂C/∂z handed to its input already (nn_net_loss) */
static void layer_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)net, (void)fresh;
    if (!L->fused && dx) nn_act_backward(L->act, dx, L->dout, x, L->out, B, L->n);
}

static int layer_example(nn_net *net) { return nn_net_act(net, NN_TANH); }

static int layer_declare(nn_net *net, const nn_layer_decl *d) { return nn_net_act(net, (nn_act)d->v[0]); }

const nn_layer_ops nn_act_ops = {
    .name = "act", .forward = layer_forward, .backward = layer_backward, .example = layer_example,
    .args = {{"act", NN_ARG_ACT, 0, 0, 0, 0, 0, NULL}}, .declare = layer_declare,
};
