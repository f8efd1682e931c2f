/* nn_merge.c — the two layers that read two nodes: the residual addition (He et al. 2016) and the
 * concatenation skip (seed 003); forward, backward and their table entries (nn_layer.h). */
#include "nn_layer.h"

#include <string.h>

int nn_net_add(nn_net *net, int skip_node)
{
    int w = nn_net_node_width(net, net->cur);
    NN_ASSERT(nn_net_node_width(net, skip_node) == w, "residual add of widths %d and %d", w,
              nn_net_node_width(net, skip_node));
    nn_layer *L = nn_net_append(net, NN_L_ADD, w, "add");
    L->in2 = skip_node;
    return net->cur;
}

static void add_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    const nn_real *x2 = nn_net_node_out(net, L->in2);
    size_t N = (size_t)B * L->n;
    for (size_t k = 0; k < N; k++) L->out[k] = x[k] + x2[k];
}

static void add_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)x, (void)fresh;
    size_t N = (size_t)B * L->n;
    if (dx) nn_add_into(dx, L->dout, N);
    if (L->in2 >= 0) nn_add_into(net->layers[L->in2].dout, L->dout, N);
}

static int add_example(nn_net *net) { return nn_net_add(net, 0); }

const nn_layer_ops nn_add_ops = {
    .name = "add", .forward = add_forward, .backward = add_backward, .example = add_example,
};

int nn_net_concat(nn_net *net, int skip_node)
{
    int w1 = nn_net_node_width(net, net->cur), w2 = nn_net_node_width(net, skip_node);
    nn_layer *L = nn_net_append(net, NN_L_CONCAT, w1 + w2, "concat");
    L->in2 = skip_node;
    return net->cur;
}

/* row b: [x1 (n_in), x2 (n − n_in)] */
static void concat_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    const nn_real *x2 = nn_net_node_out(net, L->in2);
    const int n1 = L->n_in, n2 = L->n - L->n_in;
    for (int b = 0; b < B; b++) {
        memcpy(L->out + (size_t)b * L->n, x + (size_t)b * n1, (size_t)n1 * sizeof(nn_real));
        memcpy(L->out + (size_t)b * L->n + n1, x2 + (size_t)b * n2, (size_t)n2 * sizeof(nn_real));
    }
}

/* split the gradient back to both inputs */
static void concat_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)x, (void)fresh;
    const int n1 = L->n_in, n2 = L->n - L->n_in;
    nn_real *dx2 = nn_net_node_dout(net, L->in2);
    for (int b = 0; b < B; b++) {
        if (dx) nn_add_into(dx + (size_t)b * n1, L->dout + (size_t)b * L->n, (size_t)n1);
        if (dx2) nn_add_into(dx2 + (size_t)b * n2, L->dout + (size_t)b * L->n + n1, (size_t)n2);
    }
}

static int concat_example(nn_net *net) { return nn_net_concat(net, 0); }

const nn_layer_ops nn_concat_ops = {
    .name = "concat", .forward = concat_forward, .backward = concat_backward, .example = concat_example,
};
