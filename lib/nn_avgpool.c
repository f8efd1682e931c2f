/* nn_avgpool.c — average pooling: y[c, i, j] = the mean of the q × q window at (i·s, j·s) of map c
 * (no padding, nn_pool_shape); backward hands each input of the window dy/q² (overlapping
 * windows add). Its builder, forward, backward and table entry (nn_layer.h). */
#include "nn_layer.h"

int nn_net_avgpool(nn_net *net, int q, int stride) { return nn_net_pool(net, NN_L_AVGPOOL, q, stride, "avgpool"); }

static void forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    (void)net;
    const nn_pool_shape *s = &L->pool;
    const size_t in = (size_t)s->c * s->hi * s->wi, out = (size_t)s->c * s->ho * s->wo;
    const double inv = 1.0 / ((double)s->q * s->q);
    for (int n = 0; n < B; n++)
        for (int c = 0; c < s->c; c++) {
            const nn_real *xc = x + n * in + (size_t)c * s->hi * s->wi;
            nn_real *yc = L->out + n * out + (size_t)c * s->ho * s->wo;
            for (int i = 0; i < s->ho; i++)
                for (int j = 0; j < s->wo; j++) {
                    const nn_real *corner = xc + (size_t)i * s->stride * s->wi + (size_t)j * s->stride;
                    double sum = 0;
                    for (int u = 0; u < s->q; u++)
                        for (int v = 0; v < s->q; v++) sum += corner[(size_t)u * s->wi + v];
                    yc[i * s->wo + j] = (nn_real)(sum * inv);
                }
        }
}

static void backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)net, (void)x, (void)fresh;
    if (!dx) return;
    const nn_pool_shape *s = &L->pool;
    const size_t in = (size_t)s->c * s->hi * s->wi, out = (size_t)s->c * s->ho * s->wo;
    const nn_real inv = (nn_real)(1.0 / ((double)s->q * s->q));
    for (int n = 0; n < B; n++)
        for (int c = 0; c < s->c; c++) {
            nn_real *dxc = dx + n * in + (size_t)c * s->hi * s->wi;
            const nn_real *dyc = L->dout + n * out + (size_t)c * s->ho * s->wo;
            for (int i = 0; i < s->ho; i++)
                for (int j = 0; j < s->wo; j++) {
                    nn_real *corner = dxc + (size_t)i * s->stride * s->wi + (size_t)j * s->stride;
                    const nn_real g = dyc[i * s->wo + j] * inv;
                    for (int u = 0; u < s->q; u++)
                        for (int v = 0; v < s->q; v++) corner[(size_t)u * s->wi + v] += g;
                }
        }
}

static int example(nn_net *net) { return nn_net_avgpool(net, 2, 1); } /* overlapping windows: the adds are checked too */

static int declare(nn_net *net, const nn_layer_decl *d) { return nn_net_avgpool(net, (int)d->v[0], (int)d->v[1]); }

const nn_layer_ops nn_avgpool_ops = {
    .name = "avgpool", .forward = forward, .backward = backward, .example = example,
    .args = {{"avgpool", NN_ARG_INT, 0, 0, 1, 64, 0, NULL}, {"stride", NN_ARG_INT, 0, 1, 1, 64, 0, NULL}},
    .declare = declare,
};
