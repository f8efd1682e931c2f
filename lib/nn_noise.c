/* nn_noise.c — Santurkar et al.'s "noisy batch norm" perturbation as a layer: forward, backward
 * and its table entry (nn_layer.h).
 *
 * Training: y = a·x + c per sample and unit, a = exp(scale_sd·ξ) and c = μ_j + shift_sd·ξ′ drawn
 * i.i.d. for every activation of every sample, where each unit's mean μ_j ~ U(−mean_range,
 * mean_range) is drawn afresh for the step; backward multiplies by a. Evaluation: the expected
 * transform E[a]·x + E[c] = exp(scale_sd²/2)·x, so the net evaluated is the net trained, on average
 * (as inverted dropout). The draw is kept with freeze_dropout. */
#include "nn_layer.h"

#include <math.h>

int nn_net_noise(nn_net *net, double scale_sd, double mean_range, double shift_sd)
{
    NN_ASSERT(scale_sd >= 0 && shift_sd >= 0 && mean_range >= 0 && isfinite(scale_sd + shift_sd + mean_range),
              "scale_sd=%g mean_range=%g shift_sd=%g", scale_sd, mean_range, shift_sd);
    nn_layer *L = nn_net_append(net, NN_L_NOISE, nn_net_node_width(net, net->cur), "noise");
    L->noise_scale_sd = scale_sd, L->noise_mean_range = mean_range, L->noise_shift_sd = shift_sd;
    return net->cur;
}

static void setup(nn_net *net, int i, size_t *off)
{
    (void)off; /* (max_batch, n) scales a, then (max_batch, n) shifts c */
    net->layers[i].mask = nn_calloc(2 * (size_t)net->max_batch * net->layers[i].n, sizeof(nn_real));
}

static nn_real expected_scale(const nn_layer *L) { return (nn_real)exp(0.5 * L->noise_scale_sd * L->noise_scale_sd); }

static void forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    const int n = L->n;
    const size_t N = (size_t)B * n;
    if (net->mode != NN_TRAIN) {
        const nn_real ea = expected_scale(L);
        for (size_t i = 0; i < N; i++) L->out[i] = ea * x[i];
        return;
    }
    nn_real *scale = L->mask, *shift = L->mask + (size_t)net->max_batch * n;
    if (!net->freeze_dropout) {
        nn_rng *g = &net->rng_dropout;
        for (int j = 0; j < n; j++) { /* this step's mean of unit j, kept in the shift row of sample 0 until used */
            shift[j] = (nn_real)(L->noise_mean_range * (2 * nn_rng_uniform(g) - 1));
        }
        for (int b = B - 1; b >= 0; b--) /* from the last sample so that row 0's means are read before overwritten */
            for (int j = 0; j < n; j++) {
                const size_t k = (size_t)b * n + j;
                scale[k] = (nn_real)exp(L->noise_scale_sd * nn_rng_gauss(g));
                shift[k] = (nn_real)(shift[j] + L->noise_shift_sd * nn_rng_gauss(g));
            }
    }
    for (size_t i = 0; i < N; i++) L->out[i] = x[i] * scale[i] + shift[i];
}

static void backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)x, (void)fresh;
    if (!dx) return;
    size_t N = (size_t)B * L->n;
    if (net->mode != NN_TRAIN) {
        const nn_real ea = expected_scale(L);
        for (size_t k = 0; k < N; k++) dx[k] += ea * L->dout[k];
    } else
        for (size_t k = 0; k < N; k++) dx[k] += L->dout[k] * L->mask[k];
}

static int example(nn_net *net) { return nn_net_noise(net, 0.5, 0.3, 0.4); }

const nn_layer_ops nn_noise_ops = {
    .name = "noise", .setup = setup, .forward = forward, .backward = backward, .example = example,
};
