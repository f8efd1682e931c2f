/* nn_dense.c — fully connected layer on OpenBLAS (see nn_dense.h). */
#include "nn_dense.h"
#include "nn_layer.h"

#include <cblas.h>

static int threads_wanted = 0; /* nn_set_threads' count; 0: OpenBLAS's own */
static int threads_set = 0;     /* the count OpenBLAS was last given here */

void nn_set_threads(int threads)
{
    threads_wanted = threads_set = threads;
    openblas_set_num_threads(threads);
}

int nn_threads(void) { return threads_wanted > 0 ? threads_wanted : openblas_get_num_threads(); }

void nn_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int M, int N, int K, nn_real alpha, const nn_real *A, int lda,
             const nn_real *B, int ldb, nn_real beta, nn_real *C, int ldc)
{
    const int all = nn_threads(), want = all > 1 && 2.0 * M * N * K < NN_GEMM_MT_FLOPS ? 1 : all;
    /* OpenBLAS is told only when the count changes: a net whose products are all small stays on one
     * thread (switching back and forth around every product cost setup b 2-3 %) */
    if (want != (threads_set ? threads_set : all)) {
        openblas_set_num_threads(want);
        threads_set = want;
    }
    NN_GEMM(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void nn_dense_forward(nn_real *z, const nn_real *x, const nn_real *W, const nn_real *b, int B, int n_in,
                      int n_out)
{
    /* x is (B, n_in), W is (n_out, n_in), z is (B, n_out) */
    if (b) {
        for (int r = 0; r < B; r++)
            for (int j = 0; j < n_out; j++) z[(size_t)r * n_out + j] = b[j];
    }
    /* z = x Wᵀ (+ z) */
    nn_gemm(CblasNoTrans, CblasTrans, B, n_out, n_in, 1, x, n_in, W, n_in, b ? 1 : 0, z, n_out);
}

void nn_dense_backward(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                       const nn_real *W, int B, int n_in, int n_out)
{
    nn_dense_backward_to(dx, dW, db, dz, x, W, B, n_in, n_out, 0);
}

void nn_dense_backward_to(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                          const nn_real *W, int B, int n_in, int n_out, int overwrite)
{
    /* dz is (B, n_out); dW (n_out, n_in) += dzᵀ x, or = with overwrite (β = 0: OpenBLAS clears C
     * and adds the product, the very numbers 0 + dzᵀx gives) */
    nn_gemm(CblasTrans, CblasNoTrans, n_out, n_in, B, 1, dz, n_out, x, n_in, overwrite ? 0 : 1, dW, n_in);
    if (db && overwrite)
        for (int j = 0; j < n_out; j++) db[j] = 0;
    if (db)
        for (int r = 0; r < B; r++)
            for (int j = 0; j < n_out; j++) db[j] += dz[(size_t)r * n_out + j];
    /* dx (B, n_in) += dz W */
    if (dx) nn_gemm(CblasNoTrans, CblasNoTrans, B, n_in, n_out, 1, dz, n_out, W, n_in, 1, dx, n_in);
}

void nn_dense_forward_ref(nn_real *z, const nn_real *x, const nn_real *W, const nn_real *b, int B, int n_in,
                          int n_out)
{
    for (int r = 0; r < B; r++)
        for (int j = 0; j < n_out; j++) {
            double s = b ? b[j] : 0;
            for (int i = 0; i < n_in; i++) s += (double)x[(size_t)r * n_in + i] * W[(size_t)j * n_in + i];
            z[(size_t)r * n_out + j] = (nn_real)s;
        }
}

void nn_dense_backward_ref(nn_real *dx, nn_real *dW, nn_real *db, const nn_real *dz, const nn_real *x,
                           const nn_real *W, int B, int n_in, int n_out)
{
    for (int j = 0; j < n_out; j++)
        for (int i = 0; i < n_in; i++) {
            double s = 0;
            for (int r = 0; r < B; r++) s += (double)dz[(size_t)r * n_out + j] * x[(size_t)r * n_in + i];
            dW[(size_t)j * n_in + i] += (nn_real)s;
        }
    if (db)
        for (int j = 0; j < n_out; j++) {
            double s = 0;
            for (int r = 0; r < B; r++) s += dz[(size_t)r * n_out + j];
            db[j] += (nn_real)s;
        }
    if (dx)
        for (int r = 0; r < B; r++)
            for (int i = 0; i < n_in; i++) {
                double s = 0;
                for (int j = 0; j < n_out; j++) s += (double)dz[(size_t)r * n_out + j] * W[(size_t)j * n_in + i];
                dx[(size_t)r * n_in + i] += (nn_real)s;
            }
}

/* ---- the dense layer (nn_layer.h) --------------------------------------------------------- */

int nn_net_dense(nn_net *net, int n_out, int bias, nn_init w_init, nn_init b_init)
{
    NN_ASSERT(n_out > 0, "n_out=%d", n_out);
    nn_layer *L = nn_net_append(net, NN_L_DENSE, n_out, "dense");
    L->c = n_out, L->h = 1, L->w = 1;
    L->has_bias = bias;
    L->w_init = w_init;
    L->b_init = b_init;
    return net->cur;
}

static size_t dense_n_params(const nn_layer *L) { return (size_t)L->n * L->n_in + (L->has_bias ? L->n : 0); }

static void dense_setup(nn_net *net, int i, size_t *off)
{
    nn_layer *L = &net->layers[i];
    size_t at = nn_layer_tensor(net, i, "W", (size_t)L->n * L->n_in, 1, off);
    L->W = net->params + at, L->dW = net->grads + at;
    if (L->has_bias) {
        at = nn_layer_tensor(net, i, "b", (size_t)L->n, 0, off);
        L->b = net->params + at, L->db = net->grads + at;
    }
}

static void dense_init(nn_layer *L, nn_rng *r)
{
    nn_init_fill(L->W, (size_t)L->n * L->n_in, L->w_init, L->n_in, L->n, r);
    if (L->has_bias) nn_init_fill(L->b, (size_t)L->n, L->b_init, L->n_in, L->n, r);
}

static void dense_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    (void)net;
    nn_dense_forward(L->out, x, L->W, L->b, B, L->n_in, L->n);
}

static void dense_backward(nn_net *net, nn_layer *L, const nn_real *x, nn_real *dx, int B, int fresh)
{
    (void)net;
    nn_dense_backward_to(dx, L->dW, L->db, L->dout, x, L->W, B, L->n_in, L->n, fresh);
}

static const nn_init example_w = {NN_INIT_NORMAL, 0.8}, example_b = {NN_INIT_NORMAL, 0.5};
static int dense_example(nn_net *net) { return nn_net_dense(net, 5, 1, example_w, example_b); }

static int dense_declare(nn_net *net, const nn_layer_decl *d)
{
    return nn_net_dense(net, (int)d->v[0], d->v[1] != 0, d->w_init, d->b_init);
}

const nn_layer_ops nn_dense_ops = {
    .name = "dense", .n_params = dense_n_params, .setup = dense_setup, .init = dense_init,
    .forward = dense_forward, .backward = dense_backward, .example = dense_example,
    .args = {{"dense", NN_ARG_INT, 0, 0, 1, 1 << 20, 0, NULL}, {"bias", NN_ARG_BOOL, 1, 0, 0, 1, 0, NULL}}, .takes_init = 1,
    .declare = dense_declare,
};
