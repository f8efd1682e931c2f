/* nn_dropout.c — the dropout layer (seed 000): forward, backward and its table entry (nn_layer.h). */
#include "nn_layer.h"

#include <string.h>

int nn_net_dropout(nn_net *net, double p_drop)
{
    NN_ASSERT(p_drop >= 0 && p_drop < 1, "p_drop=%g", p_drop);
    nn_layer *L = nn_net_append(net, NN_L_DROPOUT, nn_net_node_width(net, net->cur), "dropout");
    L->p_drop = p_drop;
    return net->cur;
}

static void setup(nn_net *net, int i, size_t *off)
{
    (void)off;
    net->layers[i].mask = nn_calloc((size_t)net->max_batch * net->layers[i].n, sizeof(nn_real));
}

/* inverted dropout: keep with probability q = 1 − p and scale by 1/q now, so the expected output
 * equals the input and evaluation needs no rescaling; the mask is kept with freeze_dropout */
static void forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    size_t N = (size_t)B * L->n;
    if (net->mode != NN_TRAIN || L->p_drop == 0) {
        memcpy(L->out, x, N * sizeof(nn_real));
        return;
    }
    if (!net->freeze_dropout) {
        const double q = 1.0 - L->p_drop;
        const nn_real scale = (nn_real)(1.0 / q);
        for (size_t i = 0; i < N; i++) L->mask[i] = nn_rng_uniform(&net->rng_dropout) < q ? scale : 0;
    }
    for (size_t i = 0; i < N; i++) L->out[i] = x[i] * L->mask[i];
}

static void backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)x, (void)fresh;
    if (!dx) return;
    size_t N = (size_t)B * L->n;
    if (net->mode != NN_TRAIN || L->p_drop == 0)
        nn_add_into(dx, L->dout, N);
    else
        for (size_t k = 0; k < N; k++) dx[k] += L->dout[k] * L->mask[k];
}

static int example(nn_net *net) { return nn_net_dropout(net, 0.5); }

static int declare(nn_net *net, const nn_layer_decl *d) { return nn_net_dropout(net, d->v[0]); }

const nn_layer_ops nn_dropout_ops = {
    .name = "dropout", .setup = setup, .forward = forward, .backward = backward, .example = example,
    .args = {{"dropout", NN_ARG_REAL, 0, 0, 0, 1, 1, "a probability in [0, 1)"}}, .declare = declare,
};
