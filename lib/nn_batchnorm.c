/* nn_batchnorm.c — batch normalization (formulas in nn_batchnorm.h). Value (r, j, p) — row r,
 * feature j, position p — sits at K(r, j, p) = (r·n + j)·hw + p; a feature's statistics run over
 * its m = B·hw values, rows outer and positions inner (with hw = 1 this is the per-feature order). */
#include "nn_batchnorm.h"
#include "nn_layer.h"

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

/* ---- the batch-norm layer (nn_layer.h) ---------------------------------------------------- */

int nn_net_batchnorm(nn_net *net, double eps, double momentum)
{
    NN_ASSERT(eps > 0 && momentum >= 0 && momentum <= 1, "eps=%g momentum=%g", eps, momentum);
    nn_layer *L = nn_net_append(net, NN_L_BATCHNORM, nn_net_node_width(net, net->cur), "bn");
    L->bn_eps = eps;
    L->bn_momentum = momentum;
    L->bn_affine = L->bn_through_stats = 1;
    return net->cur;
}

void nn_net_bn_variant(nn_net *net, int layer, int affine, int through_stats)
{
    NN_ASSERT(layer >= 0 && layer < net->n_layers && net->layers[layer].kind == NN_L_BATCHNORM, "layer %d", layer);
    net->layers[layer].bn_affine = affine != 0;
    net->layers[layer].bn_through_stats = through_stats != 0;
}

static size_t layer_n_params(const nn_layer *L) { return 2 * (size_t)L->c; }

static void layer_setup(nn_net *net, int i, size_t *off)
{
    nn_layer *L = &net->layers[i];
    /* one feature per channel (per unit after a dense layer: c = n, h = w = 1) */
    size_t at = nn_layer_tensor(net, i, "gamma", (size_t)L->c, 0, off);
    L->gamma = net->params + at, L->dgamma = net->grads + at;
    at = nn_layer_tensor(net, i, "beta", (size_t)L->c, 0, off);
    L->beta = net->params + at, L->dbeta = net->grads + at;
    L->run_mean = nn_calloc((size_t)L->c, sizeof(nn_real));
    L->run_var = nn_calloc((size_t)L->c, sizeof(nn_real));
    L->mu = nn_calloc((size_t)L->c, sizeof(nn_real));
    L->var = nn_calloc((size_t)L->c, sizeof(nn_real));
    L->inv_std = nn_calloc((size_t)L->c, sizeof(nn_real));
    L->xhat = nn_calloc((size_t)net->max_batch * L->n, sizeof(nn_real));
}

static void layer_init(nn_layer *L, nn_rng *r)
{
    (void)r;
    for (int j = 0; j < L->c; j++) L->gamma[j] = 1, L->beta[j] = 0, L->run_mean[j] = 0, L->run_var[j] = 1;
}

static void layer_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    const int hw = L->h * L->w;
    if (net->mode == NN_EVAL) {
        nn_bn_forward_eval(L->out, x, L->run_mean, L->run_var, L->gamma, L->beta, L->bn_eps, B, L->c, hw);
        return;
    }
    nn_bn_forward_train(L->out, L->xhat, L->mu, L->var, L->inv_std, x, L->gamma, L->beta, L->bn_eps, B, L->c, hw);
    if (net->mode == NN_TRAIN) nn_bn_update_running(L->run_mean, L->run_var, L->mu, L->var, L->bn_momentum, B, L->c, hw);
}

static void layer_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    const int hw = L->h * L->w;
    const size_t bytes = (size_t)L->c * sizeof(nn_real);
    if (fresh) memset(L->dgamma, 0, bytes), memset(L->dbeta, 0, bytes);
    if (net->mode == NN_EVAL)
        nn_bn_backward_eval(dx, L->dgamma, L->dbeta, L->dout, x, L->run_mean, L->run_var, L->gamma, L->bn_eps, B, L->c, hw);
    else if (!L->bn_through_stats) /* the batch's μ and σ² as if they were constants */
        nn_bn_backward_eval(dx, L->dgamma, L->dbeta, L->dout, x, L->mu, L->var, L->gamma, L->bn_eps, B, L->c, hw);
    else
        nn_bn_backward(dx, L->dgamma, L->dbeta, L->dout, x, L->xhat, L->mu, L->var, L->gamma, L->bn_eps, B, L->c, hw,
                       net->scratch);
    if (!L->bn_affine) memset(L->dgamma, 0, bytes), memset(L->dbeta, 0, bytes);
}

static int layer_example(nn_net *net) { return nn_net_batchnorm(net, 1e-5, 0.1); }

static int layer_declare(nn_net *net, const nn_layer_decl *d)
{
    int b = nn_net_batchnorm(net, d->bn_eps, d->bn_momentum);
    nn_net_bn_variant(net, b, d->v[1] != 0, d->v[2] != 0);
    return b;
}

const nn_layer_ops nn_batchnorm_ops = {
    .name = "batchnorm", .n_params = layer_n_params, .setup = layer_setup, .init = layer_init,
    .forward = layer_forward, .backward = layer_backward, .example = layer_example,
    .args = {{"batchnorm", NN_ARG_BOOL, 1, 0, 1, 1, 0, "true (leave the entry out for none)"},
             {"affine", NN_ARG_BOOL, 1, 0, 0, 1, 0, NULL},
             {"through_stats", NN_ARG_BOOL, 1, 0, 0, 1, 0, NULL}},
    .declare = layer_declare,
};
