/* nn_conv.c — convolution (im2col + GEMM, and a naive reference) and max pooling
 * (formulas in nn_conv.h). */
#include "nn_conv.h"
#include "nn_layer.h"

#include <limits.h>
#include <stdint.h>
#include "nn_dense.h"

#include <cblas.h>
#include <string.h>

int nn_conv_shape_init(nn_conv_shape *s, int ci, int hi, int wi, int co, int k, int stride, int pad)
{
    if (ci < 1 || hi < 1 || wi < 1 || co < 1 || k < 1 || stride < 1 || pad < 0)
        return nn_fail("convolution: channels, sizes, kernel and stride must be positive, padding not negative");
    if (hi + 2 * pad < k || wi + 2 * pad < k)
        return nn_fail("convolution: a %dx%d kernel does not fit a %dx%d input with padding %d", k, k, hi, wi, pad);
    if ((int64_t)hi + 2 * (int64_t)pad > INT_MAX || (int64_t)wi + 2 * (int64_t)pad > INT_MAX)
        return nn_fail("convolution: padding %d makes the %dx%d input larger than %d", pad, hi, wi, INT_MAX);
    const int ho = (hi + 2 * pad - k) / stride + 1, wo = (wi + 2 * pad - k) / stride + 1;
    /* the output's values per sample and a lowered column's length are ints everywhere */
    const int64_t out = (int64_t)co * ho * wo, col = (int64_t)ci * k * k;
    if (out > INT_MAX)
        return nn_fail("convolution: %d channels of %dx%d are %lld values per image, more than %d", co, ho, wo, (long long)out,
                       INT_MAX);
    if (col > INT_MAX || col * ho * wo > ((int64_t)1 << 50)) /* sizes of the lowered matrix stay far from overflow */
        return nn_fail("convolution: a %dx%d kernel over %d channels and a %dx%d output is too large to lower", k, k, ci, ho, wo);
    *s = (nn_conv_shape){ci, hi, wi, co, k, stride, pad, ho, wo};
    return 0;
}

/* the output columns j whose input column j·s − p + v lies inside the image: [*lo, *hi] */
static void valid_cols(const nn_conv_shape *s, int v, int *lo, int *hi)
{
    int a = s->pad - v, b = s->wi - 1 + s->pad - v; /* need a ≤ j·s ≤ b */
    *lo = a <= 0 ? 0 : (a + s->stride - 1) / s->stride;
    *hi = b < 0 ? -1 : b / s->stride;
    if (*hi > s->wo - 1) *hi = s->wo - 1;
}

/* One sample into its block of the lowered matrix, whose rows are ld apart:
 * col[(c·k + u)·k + v][i·wo + j] = x[c, i·s − p + u, j·s − p + v], 0 outside. The in-image
 * span of each output row is found once, so the inner loop has no bounds test. */
static void im2col(const nn_conv_shape *s, const nn_real *x, nn_real *col, size_t ld)
{
    for (int c = 0; c < s->ci; c++)
        for (int u = 0; u < s->k; u++)
            for (int v = 0; v < s->k; v++) {
                nn_real *row = col + ((size_t)(c * s->k + u) * s->k + v) * ld;
                int lo, hi;
                valid_cols(s, v, &lo, &hi);
                for (int i = 0; i < s->ho; i++) {
                    nn_real *dst = row + (size_t)i * s->wo;
                    int r = i * s->stride - s->pad + u;
                    if (r < 0 || r >= s->hi || lo > hi) {
                        memset(dst, 0, (size_t)s->wo * sizeof(nn_real));
                        continue;
                    }
                    const nn_real *xr = x + ((size_t)c * s->hi + r) * s->wi - s->pad + v;
                    for (int j = 0; j < lo; j++) dst[j] = 0;
                    if (s->stride == 1) memcpy(dst + lo, xr + lo, (size_t)(hi - lo + 1) * sizeof(nn_real));
                    else
                        for (int j = lo; j <= hi; j++) dst[j] = xr[j * s->stride];
                    for (int j = hi + 1; j < s->wo; j++) dst[j] = 0;
                }
            }
}

/* dx[c, i·s − p + u, j·s − p + v] += dcol[(c·k + u)·k + v][i·wo + j] (rows ld apart) */
static void col2im_add(const nn_conv_shape *s, const nn_real *col, size_t ld, nn_real *dx)
{
    for (int c = 0; c < s->ci; c++)
        for (int u = 0; u < s->k; u++)
            for (int v = 0; v < s->k; v++) {
                const nn_real *row = col + ((size_t)(c * s->k + u) * s->k + v) * ld;
                int lo, hi;
                valid_cols(s, v, &lo, &hi);
                for (int i = 0; i < s->ho; i++) {
                    int r = i * s->stride - s->pad + u;
                    if (r < 0 || r >= s->hi) continue;
                    nn_real *xr = dx + ((size_t)c * s->hi + r) * s->wi - s->pad + v;
                    const nn_real *src = row + (size_t)i * s->wo;
                    for (int j = lo; j <= hi; j++) xr[j * s->stride] += src[j];
                }
            }
}

size_t nn_conv_work_size(const nn_conv_shape *s, int max_batch)
{
    return (size_t)s->ci * s->k * s->k * (size_t)s->ho * s->wo * (size_t)max_batch;
}

/* One GEMM per sample: each sample's lowered block (K × P) stays in cache through its GEMM.
 * Lowering the whole batch into one large GEMM, or groups of samples into GEMMs at least 128
 * or 256 columns wide, measured slower on LeNet (make bench): the operands leave the cache.
 *   col_n (K, P) = im2col(x_n),   y_n (Co, P) = W · col_n + b      (K = Ci·k·k, P = Ho·Wo)
 * Every col_n stays in `work` for the backward pass of the same batch. */
void nn_conv_forward(const nn_conv_shape *s, nn_real *y, const nn_real *x, const nn_real *W, const nn_real *b, int B,
                     nn_real *work)
{
    const int K = s->ci * s->k * s->k, P = s->ho * s->wo;
    const size_t in = (size_t)s->ci * s->hi * s->wi, out = (size_t)s->co * P;
    for (int n = 0; n < B; n++) {
        nn_real *yn = y + n * out, *col = work + (size_t)n * K * P;
        im2col(s, x + n * in, col, (size_t)P);
        for (int o = 0; o < s->co; o++)
            for (int p = 0; p < P; p++) yn[(size_t)o * P + p] = b ? b[o] : 0;
        nn_gemm(CblasNoTrans, CblasNoTrans, s->co, P, K, 1, W, K, col, P, 1, yn, P);
    }
}

/* per sample: db += Σ_p dy_n;  dW += dy_n · col_nᵀ;  dcol (K, P) = Wᵀ · dy_n into col_n (no
 * longer needed);  dx_n += col2im(dcol) */
void nn_conv_backward(const nn_conv_shape *s, nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dy, const nn_real *W,
                      int B, nn_real *work)
{
    const int K = s->ci * s->k * s->k, P = s->ho * s->wo;
    const size_t in = (size_t)s->ci * s->hi * s->wi, out = (size_t)s->co * P;
    for (int n = 0; n < B; n++) {
        const nn_real *dyn = dy + n * out;
        nn_real *col = work + (size_t)n * K * P;
        if (db)
            for (int o = 0; o < s->co; o++) {
                double t = 0;
                for (int p = 0; p < P; p++) t += dyn[(size_t)o * P + p];
                db[o] += (nn_real)t;
            }
        nn_gemm(CblasNoTrans, CblasTrans, s->co, K, P, 1, dyn, P, col, P, 1, dW, K);
        if (dx) {
            nn_gemm(CblasTrans, CblasNoTrans, K, P, s->co, 1, W, K, dyn, P, 0, col, P);
            col2im_add(s, col, (size_t)P, dx + n * in);
        }
    }
}

/* ---- the reference: the definition, loop by loop ------------------------------------------ */

#define XAT(x, c, r, q) ((r) >= 0 && (r) < s->hi && (q) >= 0 && (q) < s->wi ? (x)[((size_t)(c) * s->hi + (r)) * s->wi + (q)] : 0)

void nn_conv_forward_naive(const nn_conv_shape *s, nn_real *y, const nn_real *x, const nn_real *W, const nn_real *b, int B)
{
    const size_t in = (size_t)s->ci * s->hi * s->wi;
    for (int n = 0; n < B; n++)
        for (int o = 0; o < s->co; o++)
            for (int i = 0; i < s->ho; i++)
                for (int j = 0; j < s->wo; j++) {
                    double t = b ? b[o] : 0;
                    for (int c = 0; c < s->ci; c++)
                        for (int u = 0; u < s->k; u++)
                            for (int v = 0; v < s->k; v++)
                                t += (double)W[((size_t)(o * s->ci + c) * s->k + u) * s->k + v] *
                                     XAT(x + n * in, c, i * s->stride - s->pad + u, j * s->stride - s->pad + v);
                    y[(((size_t)n * s->co + o) * s->ho + i) * s->wo + j] = (nn_real)t;
                }
}

void nn_conv_backward_naive(const nn_conv_shape *s, nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dy,
                            const nn_real *x, const nn_real *W, int B)
{
    const size_t in = (size_t)s->ci * s->hi * s->wi;
    for (int n = 0; n < B; n++)
        for (int o = 0; o < s->co; o++)
            for (int i = 0; i < s->ho; i++)
                for (int j = 0; j < s->wo; j++) {
                    nn_real g = dy[(((size_t)n * s->co + o) * s->ho + i) * s->wo + j];
                    if (db) db[o] += g;
                    for (int c = 0; c < s->ci; c++)
                        for (int u = 0; u < s->k; u++)
                            for (int v = 0; v < s->k; v++) {
                                int r = i * s->stride - s->pad + u, q = j * s->stride - s->pad + v;
                                size_t w = ((size_t)(o * s->ci + c) * s->k + u) * s->k + v;
                                dW[w] += g * XAT(x + n * in, c, r, q);
                                if (dx && r >= 0 && r < s->hi && q >= 0 && q < s->wi)
                                    dx[n * in + ((size_t)c * s->hi + r) * s->wi + q] += g * W[w];
                            }
                }
}

/* ---- max pooling ---------------------------------------------------------------------------- */

int nn_pool_shape_init(nn_pool_shape *s, int c, int hi, int wi, int q, int stride)
{
    if (c < 1 || hi < 1 || wi < 1 || q < 1 || stride < 1) return nn_fail("pooling: sizes, window and stride must be positive");
    if (hi < q || wi < q) return nn_fail("pooling: a %dx%d window does not fit a %dx%d input", q, q, hi, wi);
    *s = (nn_pool_shape){c, hi, wi, q, stride, (hi - q) / stride + 1, (wi - q) / stride + 1};
    return 0;
}

void nn_maxpool_forward(const nn_pool_shape *s, nn_real *y, int *arg, const nn_real *x, int B)
{
    const size_t in = (size_t)s->c * s->hi * s->wi, out = (size_t)s->c * s->ho * s->wo;
    for (int n = 0; n < B; n++)
        for (int c = 0; c < s->c; c++) {
            const nn_real *xc = x + n * in + (size_t)c * s->hi * s->wi;
            nn_real *yc = y + n * out + (size_t)c * s->ho * s->wo;
            int *ac = arg + n * out + (size_t)c * s->ho * s->wo;
            for (int i = 0; i < s->ho; i++)
                for (int j = 0; j < s->wo; j++) {
                    const int base = i * s->stride * s->wi + j * s->stride; /* the window's corner in the map */
                    int best = base;
                    nn_real m = xc[base];
                    for (int u = 0; u < s->q; u++) {
                        const nn_real *row = xc + base + u * s->wi;
                        for (int v = 0; v < s->q; v++)
                            if (row[v] > m) m = row[v], best = base + u * s->wi + v; /* ties: the first maximum stays */
                    }
                    yc[i * s->wo + j] = m;
                    ac[i * s->wo + j] = c * s->hi * s->wi + best;
                }
        }
}

void nn_maxpool_backward(const nn_pool_shape *s, nn_real *dx, const nn_real *dy, const int *arg, int B)
{
    const size_t in = (size_t)s->c * s->hi * s->wi, out = (size_t)s->c * s->ho * s->wo;
    for (int n = 0; n < B; n++)
        for (size_t o = 0; o < out; o++) dx[n * in + (size_t)arg[n * out + o]] += dy[n * out + o];
}

/* ---- the convolution and max-pooling layers (nn_layer.h) ---------------------------------- */

int nn_net_conv(nn_net *net, int channels, int k, int stride, int pad, nn_init w_init, nn_init b_init)
{
    int c, h, w;
    nn_net_node_shape(net, net->cur, &c, &h, &w);
    nn_conv_shape cs;
    if (nn_conv_shape_init(&cs, c, h, w, channels, k, stride, pad)) return -1;
    nn_layer *L = nn_net_append(net, NN_L_CONV, channels * cs.ho * cs.wo, "conv");
    L->conv = cs;
    L->c = channels, L->h = cs.ho, L->w = cs.wo;
    L->has_bias = 1;
    L->w_init = w_init;
    L->b_init = b_init;
    return net->cur;
}

static size_t conv_n_weights(const nn_conv_shape *s) { return (size_t)s->co * s->ci * s->k * s->k; }

static size_t conv_n_params(const nn_layer *L) { return conv_n_weights(&L->conv) + (size_t)L->conv.co; }

static void conv_setup(nn_net *net, int i, size_t *off)
{
    nn_layer *L = &net->layers[i];
    size_t at = nn_layer_tensor(net, i, "W", conv_n_weights(&L->conv), 1, off);
    L->W = net->params + at, L->dW = net->grads + at;
    at = nn_layer_tensor(net, i, "b", (size_t)L->conv.co, 0, off);
    L->b = net->params + at, L->db = net->grads + at;
    L->col = nn_calloc(nn_conv_work_size(&L->conv, net->max_batch), sizeof(nn_real));
}

static void conv_init(nn_layer *L, nn_rng *r) /* fan-in c·k·k, fan-out co·k·k */
{
    const nn_conv_shape *cs = &L->conv;
    int fi = cs->ci * cs->k * cs->k, fo = cs->co * cs->k * cs->k;
    nn_init_fill(L->W, (size_t)cs->co * fi, L->w_init, fi, fo, r);
    nn_init_fill(L->b, (size_t)cs->co, L->b_init, fi, fo, r);
}

static void conv_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    (void)net;
    nn_conv_forward(&L->conv, L->out, x, L->W, L->b, B, L->col);
}

static void conv_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)net, (void)x;
    if (fresh) {
        memset(L->dW, 0, conv_n_weights(&L->conv) * sizeof(nn_real));
        if (L->db) memset(L->db, 0, (size_t)L->conv.co * sizeof(nn_real));
    }
    nn_conv_backward(&L->conv, dx, L->dW, L->db, L->dout, L->W, B, L->col);
}

static const nn_init example_w = {NN_INIT_NORMAL, 0.8}, example_b = {NN_INIT_NORMAL, 0.5};
static int conv_example(nn_net *net) { return nn_net_conv(net, 3, 3, 1, 1, example_w, example_b); }

static int conv_declare(nn_net *net, const nn_layer_decl *d)
{
    return nn_net_conv(net, (int)d->v[0], (int)d->v[1], (int)d->v[2], (int)d->v[3], d->w_init, d->b_init);
}

const nn_layer_ops nn_conv_ops = {
    .name = "conv", .n_params = conv_n_params, .setup = conv_setup, .init = conv_init,
    .forward = conv_forward, .backward = conv_backward, .example = conv_example,
    .args = {{"conv", NN_ARG_INT, 0, 0, 1, 4096, 0, NULL},
             {"kernel", NN_ARG_INT, 3, 0, 1, 64, 0, NULL},
             {"stride", NN_ARG_INT, 1, 0, 1, 64, 0, NULL},
             {"pad", NN_ARG_INT, 0, 0, 0, 64, 0, NULL}},
    .takes_init = 1, .declare = conv_declare,
};

int nn_net_pool(nn_net *net, nn_layer_kind kind, int q, int stride, const char *name)
{
    int c, h, w;
    nn_net_node_shape(net, net->cur, &c, &h, &w);
    nn_pool_shape ps;
    if (nn_pool_shape_init(&ps, c, h, w, q, stride)) return -1;
    nn_layer *L = nn_net_append(net, kind, c * ps.ho * ps.wo, name);
    L->pool = ps;
    L->c = c, L->h = ps.ho, L->w = ps.wo;
    return net->cur;
}

int nn_net_maxpool(nn_net *net, int q, int stride) { return nn_net_pool(net, NN_L_MAXPOOL, q, stride, "pool"); }

static void pool_setup(nn_net *net, int i, size_t *off)
{
    (void)off; /* each output's argmax in its sample */
    net->layers[i].arg = nn_calloc((size_t)net->max_batch * net->layers[i].n, sizeof(int));
}

static void pool_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    (void)net;
    nn_maxpool_forward(&L->pool, L->out, L->arg, x, B);
}

static void pool_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)net, (void)x, (void)fresh;
    if (dx) nn_maxpool_backward(&L->pool, dx, L->dout, L->arg, B);
}

static int pool_example(nn_net *net) { return nn_net_maxpool(net, 2, 2); }

static int pool_declare(nn_net *net, const nn_layer_decl *d) { return nn_net_maxpool(net, (int)d->v[0], (int)d->v[1]); }

const nn_layer_ops nn_maxpool_ops = {
    .name = "pool", .setup = pool_setup, .forward = pool_forward, .backward = pool_backward, .example = pool_example,
    .args = {{"pool", NN_ARG_INT, 0, 0, 1, 64, 0, NULL}, {"stride", NN_ARG_INT, 0, 1, 1, 64, 0, NULL}},
    .declare = pool_declare,
};
