/* nn_maxout.c — max-out (Goodfellow et al. 2013): output unit j is the largest of inputs
 * j·k … j·k + k − 1, and the gradient goes to that input (the first, on a tie). Forward,
 * backward and its table entry (nn_layer.h). */
#include "nn_layer.h"

int nn_net_maxout(nn_net *net, int pieces)
{
    int w = nn_net_node_width(net, net->cur);
    NN_ASSERT(pieces >= 1 && w % pieces == 0, "max-out of %d inputs in pieces of %d", w, pieces);
    nn_layer *L = nn_net_append(net, NN_L_MAXOUT, w / pieces, "maxout");
    L->pieces = pieces;
    return net->cur;
}

static void setup(nn_net *net, int i, size_t *off)
{
    (void)off; /* each output's argmax */
    net->layers[i].arg = nn_calloc((size_t)net->max_batch * net->layers[i].n, sizeof(int));
}

static void forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    (void)net;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < L->n; j++) {
            const nn_real *xs = x + (size_t)b * L->n_in + (size_t)j * L->pieces;
            int best = 0;
            for (int q = 1; q < L->pieces; q++)
                if (xs[q] > xs[best]) best = q;
            L->out[(size_t)b * L->n + j] = xs[best];
            L->arg[(size_t)b * L->n + j] = j * L->pieces + best;
        }
}

static void backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)net, (void)x, (void)fresh;
    if (!dx) return;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < L->n; j++)
            dx[(size_t)b * L->n_in + L->arg[(size_t)b * L->n + j]] += L->dout[(size_t)b * L->n + j];
}

static int example(nn_net *net) { return nn_net_maxout(net, 2); }

static int declare(nn_net *net, const nn_layer_decl *d)
{
    int w = nn_net_node_width(net, net->cur), k = (int)d->v[0];
    if (w % k) return nn_fail("'maxout' of %d units in pieces of %d", w, k);
    return nn_net_maxout(net, k);
}

const nn_layer_ops nn_maxout_ops = {
    .name = "maxout", .setup = setup, .forward = forward, .backward = backward, .example = example,
    .args = {{"maxout", NN_ARG_INT, 0, 0, 1, 64, 0, NULL}}, .declare = declare,
};
