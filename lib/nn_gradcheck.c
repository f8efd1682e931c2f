/* nn_gradcheck.c — backprop against central differences (see nn_gradcheck.h). */
#include "nn_gradcheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double objective(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda)
{
    nn_net_forward(net, X, B, mode);
    return nn_net_loss(net, Y, 0) + nn_net_l2_penalty(net, lambda);
}

double nn_gradcheck(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda)
{
    return nn_gradcheck_scaled(net, X, Y, B, mode, lambda, 1.0);
}

double nn_gradcheck_scaled(nn_net *net, const nn_real *X, const nn_real *Y, int B, nn_mode mode, double lambda,
                           double grad_scale)
{
    nn_net_forward(net, X, B, mode);
    nn_net_loss(net, Y, 1);
    /* NaN in every gradient first: zero_grad leaves them in place, so a layer whose backward
     * added to a stale gradient instead of writing it shows up as NaN in the check */
    for (size_t k = 0; k < net->n_params; k++) net->grads[k] = NAN;
    nn_net_zero_grad(net);
    nn_net_backward(net);
    nn_net_add_l2_grad(net, lambda);
    const size_t P = net->n_params;
    double *g = nn_calloc(P + 1, sizeof(double)), *num = nn_calloc(P + 1, sizeof(double));
    for (size_t k = 0; k < P; k++) g[k] = grad_scale * net->grads[k];
    const double h = 1e-5;
    double num_max = 0, g_max = 0;
    for (size_t k = 0; k < P; k++) {
        double keep = net->params[k];
        net->params[k] = (nn_real)(keep + h);
        double jp = objective(net, X, Y, B, mode, lambda);
        net->params[k] = (nn_real)(keep - h);
        double jm = objective(net, X, Y, B, mode, lambda);
        net->params[k] = (nn_real)keep;
        num[k] = (jp - jm) / (2 * h);
        num_max = fmax(num_max, fabs(num[k]));
        g_max = fmax(g_max, fabs(g[k]));
    }
    double worst = 0;
    for (size_t k = 0; k < P; k++) worst = fmax(worst, fabs(g[k] - num[k]) / fmax(fabs(num[k]), 1e-3 * num_max));
    free(g), free(num);
    if (!(g_max > 1e-8)) worst = -1;
    if (getenv("NN_GRADCHECK_VERBOSE")) fprintf(stderr, "gradcheck: %zu parameters, worst relative error %.3g\n", P, worst);
    return worst;
}
