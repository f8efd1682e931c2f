/* nn_loss.c — losses (formulas in nn_loss.h). */
#include "nn_loss.h"

#include <math.h>
#include <string.h>

const char *const nn_loss_names[] = {"quadratic", "logloss", "softmax_ce", NULL};

const char *nn_loss_name(nn_loss l)
{
    NN_ASSERT(l >= 0 && l < NN_LOSS_COUNT, "loss %d", (int)l);
    return nn_loss_names[l];
}

int nn_loss_parse(const char *name, nn_loss *out)
{
    for (int i = 0; nn_loss_names[i]; i++)
        if (strcmp(name, nn_loss_names[i]) == 0) {
            *out = (nn_loss)i;
            return 0;
        }
    return nn_fail("unknown loss '%s' (expected quadratic, logloss or softmax_ce)", name);
}

nn_act nn_loss_fused_act(nn_loss l)
{
    switch (l) {
    case NN_LOSS_LOGLOSS: return NN_SIGMOID;
    case NN_LOSS_SOFTMAX_CE: return NN_SOFTMAX;
    default: return NN_ACT_COUNT;
    }
}

static double softplus(double z) { return (z > 0 ? z : 0) + log1p(exp(-fabs(z))); } /* log(1 + e^z) */

double nn_loss_eval(nn_loss l, nn_real *grad, const nn_real *z, const nn_real *a, const nn_real *y, int B,
                    int n, double weight)
{
    double total = 0;
    const double g = weight / B;
    for (int r = 0; r < B; r++) {
        const size_t o = (size_t)r * n;
        switch (l) {
        case NN_LOSS_QUADRATIC:
            for (int k = 0; k < n; k++) {
                double e = (double)a[o + k] - y[o + k];
                total += 0.5 * e * e;
                if (grad) grad[o + k] += (nn_real)(g * e); /* ∂ℓ/∂a = a − y */
            }
            break;
        case NN_LOSS_LOGLOSS:
            for (int k = 0; k < n; k++) {
                total += softplus(z[o + k]) - (double)y[o + k] * z[o + k];
                if (grad) grad[o + k] += (nn_real)(g * ((double)a[o + k] - y[o + k])); /* ∂ℓ/∂z = a − y */
            }
            break;
        case NN_LOSS_SOFTMAX_CE: {
            double mx = z[o];
            for (int k = 1; k < n; k++) mx = z[o + k] > mx ? z[o + k] : mx;
            double s = 0, ysum = 0, yz = 0;
            for (int k = 0; k < n; k++) {
                s += exp(z[o + k] - mx);
                ysum += y[o + k];
                yz += (double)y[o + k] * z[o + k];
            }
            total += ysum * (mx + log(s)) - yz;
            /* ∂ℓ/∂z_k = (Σ_j y_j) a_k − y_k, which is a − y for one-hot targets */
            if (grad)
                for (int k = 0; k < n; k++) grad[o + k] += (nn_real)(g * (ysum * a[o + k] - y[o + k]));
            break;
        }
        default: NN_ASSERT(0, "loss %d", (int)l);
        }
    }
    return total / B;
}
