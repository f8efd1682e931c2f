/* nn_batchnorm.c — batch normalization (formulas in nn_batchnorm.h). Value (r, j, p) — row r,
 * feature j, position p — sits at K(r, j, p) = (r·n + j)·hw + p; a feature's statistics run over
 * its m = B·hw values, rows outer and positions inner (with hw = 1 this is the per-feature order). */
#include "nn_batchnorm.h"

#include <math.h>
#include <string.h>

#define K(r, j, p) (((size_t)(r) * n + (j)) * hw + (p))

void nn_bn_forward_train(nn_real *y, nn_real *xhat, nn_real *mu, nn_real *var, nn_real *inv_std, const nn_real *x,
                         const nn_real *gamma, const nn_real *beta, double eps, int B, int n, int hw)
{
    const double m = (double)B * hw;
    for (int j = 0; j < n; j++) mu[j] = 0, var[j] = 0;
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) mu[j] += x[K(r, j, p)];
    for (int j = 0; j < n; j++) mu[j] /= (nn_real)m;
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) {
                nn_real d = x[K(r, j, p)] - mu[j];
                var[j] += d * d;
            }
    for (int j = 0; j < n; j++) var[j] /= (nn_real)m; /* biased: the batch's own variance */
    for (int j = 0; j < n; j++) inv_std[j] = (nn_real)(1.0 / sqrt(var[j] + eps)); /* once per feature */
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) {
                size_t k = K(r, j, p);
                xhat[k] = (x[k] - mu[j]) * inv_std[j];
                y[k] = gamma[j] * xhat[k] + beta[j];
            }
}

void nn_bn_forward_eval(nn_real *y, const nn_real *x, const nn_real *mean, const nn_real *var,
                        const nn_real *gamma, const nn_real *beta, double eps, int B, int n, int hw)
{
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) {
                size_t k = K(r, j, p);
                y[k] = (nn_real)(gamma[j] * (x[k] - mean[j]) / sqrt(var[j] + eps) + beta[j]);
            }
}

/* The backward pass of nn_bn_forward_eval: the statistics are constants, so each unit is the
 * affine map y = γ s (x − mean) + β with s = 1/√(var + ε): ∂y/∂x = γ s, ∂y/∂γ = s (x − mean), ∂y/∂β = 1. */
void nn_bn_backward_eval(nn_real *dx, nn_real *dgamma, nn_real *dbeta, const nn_real *dy, const nn_real *x,
                         const nn_real *mean, const nn_real *var, const nn_real *gamma, double eps, int B, int n, int hw)
{
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) {
                size_t k = K(r, j, p);
                double s = 1.0 / sqrt(var[j] + eps);
                dgamma[j] += (nn_real)(dy[k] * (x[k] - mean[j]) * s);
                dbeta[j] += dy[k];
                if (dx) dx[k] += (nn_real)(dy[k] * gamma[j] * s);
            }
}

void nn_bn_update_running(nn_real *run_mean, nn_real *run_var, const nn_real *mu, const nn_real *var,
                          double momentum, int B, int n, int hw)
{
    const double m = (double)B * hw;
    NN_ASSERT(m > 1, "batch norm needs at least 2 values per feature in a training batch (got %g)", m);
    double unbias = m / (m - 1);
    for (int j = 0; j < n; j++) {
        run_mean[j] = (nn_real)((1 - momentum) * run_mean[j] + momentum * mu[j]);
        run_var[j] = (nn_real)((1 - momentum) * run_var[j] + momentum * var[j] * unbias);
    }
}

void nn_bn_backward(nn_real *dx, nn_real *dgamma, nn_real *dbeta, const nn_real *dy, const nn_real *x,
                    const nn_real *xhat, const nn_real *mu, const nn_real *var, const nn_real *gamma,
                    double eps, int B, int n, int hw, double *scratch)
{
    double *dvar = scratch, *dmu = scratch + n, *sum_dev = scratch + 2 * n;
    const double m = (double)B * hw;
    /* ∂ℓ/∂γ, ∂ℓ/∂β and the two sums over the batch; ∂ℓ/∂x̂_i = ∂ℓ/∂y_i · γ */
    for (int j = 0; j < n; j++) dvar[j] = 0, dmu[j] = 0, sum_dev[j] = 0;
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) {
                size_t k = K(r, j, p);
                double dxhat = (double)dy[k] * gamma[j];
                dgamma[j] += dy[k] * xhat[k];
                dbeta[j] += dy[k];
                dvar[j] += dxhat * (x[k] - mu[j]); /* × (−1/2)(σ²+ε)^(−3/2) below */
                dmu[j] += dxhat;                   /* × −1/√(σ²+ε) below */
                sum_dev[j] += x[k] - mu[j];        /* Σ_i (x_i − μ): zero up to rounding */
            }
    for (int j = 0; j < n; j++) {
        double s2 = var[j] + eps;
        dvar[j] *= -0.5 * pow(s2, -1.5);
        /* the second term vanishes up to rounding, but the lecture's formula keeps it: so do we */
        dmu[j] = dmu[j] * (-1.0 / sqrt(s2)) + dvar[j] * (-2.0 * sum_dev[j]) / m;
    }
    if (!dx) return; /* batch norm on the network input: no gradient to send back */
    double *inv = sum_dev; /* reused: 1/√(σ² + ε) per feature */
    for (int j = 0; j < n; j++) inv[j] = 1.0 / sqrt(var[j] + eps);
    /* the per-feature factors taken out of the loop, each the very number the term had inside it:
     * dvar·2·(x − μ)/m is ((dvar·2)·(x − μ))/m, and dmu/m is one division */
    for (int j = 0; j < n; j++) dvar[j] *= 2.0, dmu[j] /= m;
    for (int r = 0; r < B; r++)
        for (int p = 0; p < hw; p++)
            for (int j = 0; j < n; j++) {
                size_t k = K(r, j, p);
                double dxhat = (double)dy[k] * gamma[j];
                dx[k] += (nn_real)(dxhat * inv[j] + dvar[j] * (x[k] - mu[j]) / m + dmu[j]);
            }
}
