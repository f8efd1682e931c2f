/* nn_act.c — activation functions (formulas in nn_act.h). */
#include "nn_act.h"

#include <math.h>
#include <string.h>

const char *const nn_act_names[] = {"linear", "sigmoid", "tanh", "relu", "softmax", NULL};

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
    return nn_fail("unknown activation '%s' (expected linear, sigmoid, tanh, relu or softmax)", name);
}

static inline nn_real sigmoid(nn_real z)
{
    /* σ(z) = 1/(1+e^-z) without a branch (signs are random, so a branch mispredicts half
     * the time): for z ≪ 0, e^-z overflows to +Inf and 1/(1+Inf) = 0, the right limit */
    return (nn_real)1 / ((nn_real)1 + nn_rexp(-z));
}

void nn_act_forward(nn_act f, nn_real *restrict a, const nn_real *restrict z, int B, int n)
{
    size_t N = (size_t)B * (size_t)n;
    switch (f) {
    case NN_LINEAR: memcpy(a, z, N * sizeof(nn_real)); break;
    case NN_SIGMOID: for (size_t i = 0; i < N; i++) a[i] = sigmoid(z[i]); break;
    case NN_TANH: for (size_t i = 0; i < N; i++) a[i] = nn_rtanh(z[i]); break;
    case NN_RELU: for (size_t i = 0; i < N; i++) a[i] = z[i] > 0 ? z[i] : 0; break;
    case NN_SOFTMAX:
        for (int r = 0; r < B; r++) {
            const nn_real *zr = z + (size_t)r * n;
            nn_real *ar = a + (size_t)r * n;
            nn_real mx = zr[0];
            for (int k = 1; k < n; k++) mx = zr[k] > mx ? zr[k] : mx;
            double s = 0; /* subtract the row max: e^x never overflows */
            for (int k = 0; k < n; k++) s += (ar[k] = nn_rexp(zr[k] - mx));
            for (int k = 0; k < n; k++) ar[k] = (nn_real)(ar[k] / s);
        }
        break;
    default: NN_ASSERT(0, "activation %d", (int)f);
    }
}

void nn_act_backward(nn_act f, nn_real *restrict dz, const nn_real *restrict da, const nn_real *restrict a, int B, int n)
{
    size_t N = (size_t)B * (size_t)n;
    switch (f) {
    case NN_LINEAR: for (size_t i = 0; i < N; i++) dz[i] += da[i]; break;
    case NN_SIGMOID: for (size_t i = 0; i < N; i++) dz[i] += da[i] * a[i] * (1 - a[i]); break;
    case NN_TANH: for (size_t i = 0; i < N; i++) dz[i] += da[i] * (1 - a[i] * a[i]); break;
    case NN_RELU: for (size_t i = 0; i < N; i++) dz[i] += (a[i] > 0) * da[i]; break;
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
    case NN_SIGMOID: return a < 0.01 || a > 0.99;
    case NN_TANH: return fabs(a) > 0.99;
    case NN_RELU: return a <= 0;
    default: return 0;
    }
}
