/* test_conv.c — convolution, max pooling and the flatten into dense layers.
 *
 * The GEMM path (im2col) is held to the naive loops on shapes with several channels,
 * padding and strides; small conv → relu → pool → dense nets are gradient-checked in double
 * precision against central differences (relative 1e-6), with and without padding and
 * stride; the pooling tie rule (the first maximum of a window in row-major order gets the
 * gradient) is checked on a hand-made input; a conv net's training step allocates nothing.
 */
#include "nn_test.h"

#include <math.h>
#include <string.h>

static void fill(nn_real *v, size_t n, nn_rng *r, double sd)
{
    for (size_t i = 0; i < n; i++) v[i] = (nn_real)(sd * nn_rng_gauss(r));
}

static double max_diff(const nn_real *a, const nn_real *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs((double)a[i] - b[i]));
    return m;
}

/* (ci, h, w, co, k, stride, pad) */
static const int shapes[][7] = {
    {1, 5, 5, 2, 3, 1, 0}, {3, 7, 6, 4, 3, 1, 1}, {2, 8, 8, 3, 5, 2, 2}, {2, 6, 7, 3, 2, 2, 0},
    {1, 4, 4, 2, 3, 2, 3}, {2, 5, 6, 2, 4, 3, 2}}; /* the last two: rows and columns wholly in the padding */

START_TEST(test_gemm_path_matches_naive)
{
    const int *p = shapes[_i], Bn = 3;
    nn_conv_shape s;
    ck_assert_int_eq(nn_conv_shape_init(&s, p[0], p[1], p[2], p[3], p[4], p[5], p[6]), 0);
    size_t nx = (size_t)Bn * s.ci * s.hi * s.wi, ny = (size_t)Bn * s.co * s.ho * s.wo, nw = (size_t)s.co * s.ci * s.k * s.k;
    nn_real *x = calloc(nx, sizeof *x), *W = calloc(nw, sizeof *W), *b = calloc((size_t)s.co, sizeof *b);
    nn_real *y1 = calloc(ny, sizeof *y1), *y2 = calloc(ny, sizeof *y2), *dy = calloc(ny, sizeof *dy);
    nn_real *dx1 = calloc(nx, sizeof *dx1), *dx2 = calloc(nx, sizeof *dx2), *dW1 = calloc(nw, sizeof *dW1),
            *dW2 = calloc(nw, sizeof *dW2), *db1 = calloc((size_t)s.co, sizeof *db1), *db2 = calloc((size_t)s.co, sizeof *db2);
    nn_real *col = calloc(nn_conv_work_size(&s, Bn), sizeof *col);
    nn_rng r;
    nn_rng_seed(&r, 5 + _i);
    fill(x, nx, &r, 1), fill(W, nw, &r, 0.5), fill(b, (size_t)s.co, &r, 0.5), fill(dy, ny, &r, 1);
    nn_conv_forward(&s, y1, x, W, b, Bn, col);
    nn_conv_forward_naive(&s, y2, x, W, b, Bn);
    ck_assert_msg(max_diff(y1, y2, ny) < 1e-12, "forward differs by %g", max_diff(y1, y2, ny));
    nn_conv_backward(&s, dx1, dW1, db1, dy, W, Bn, col);
    nn_conv_backward_naive(&s, dx2, dW2, db2, dy, x, W, Bn);
    ck_assert_msg(max_diff(dx1, dx2, nx) < 1e-12 && max_diff(dW1, dW2, nw) < 1e-12 && max_diff(db1, db2, (size_t)s.co) < 1e-12,
                  "backward differs: dx %g, dW %g, db %g", max_diff(dx1, dx2, nx), max_diff(dW1, dW2, nw),
                  max_diff(db1, db2, (size_t)s.co));
    free(x), free(W), free(b), free(y1), free(y2), free(dy), free(dx1), free(dx2), free(dW1), free(dW2), free(db1), free(db2);
    free(col);
}
END_TEST

/* input (2, 6, 6) → conv → relu → [pool] → dense(3) → softmax CE */
static nn_net *small_cnn(int co, int k, int stride, int pad, int pool, int act)
{
    nn_net *net = nn_net_new(2 * 6 * 6);
    nn_net_input_shape(net, 2, 6, 6);
    ck_assert_int_ge(nn_net_conv(net, co, k, stride, pad, (nn_init){NN_INIT_HE_NORMAL, 1}, (nn_init){NN_INIT_NORMAL, 0.3}), 0);
    nn_net_act(net, (nn_act)act);
    if (pool) ck_assert_int_ge(nn_net_maxpool(net, 2, 2), 0);
    nn_net_dense(net, 3, 1, (nn_init){NN_INIT_NORMAL, 0.3}, (nn_init){NN_INIT_NORMAL, 0.3});
    nn_net_act(net, NN_SOFTMAX);
    ck_assert_int_eq(nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1.0), 0);
    ck_assert_int_eq(nn_net_finalize(net, 4, 11), 0);
    return net;
}

/* (channels, k, stride, pad, pool, activation) */
static const int nets[][6] = {
    {3, 3, 1, 1, 1, NN_TANH}, {2, 3, 1, 0, 1, NN_RELU}, {4, 3, 2, 1, 0, NN_TANH}, {2, 2, 2, 0, 0, NN_GELU}};

START_TEST(test_cnn_gradcheck)
{
    const int *p = nets[_i];
    nn_net *net = small_cnn(p[0], p[1], p[2], p[3], p[4], p[5]);
    nn_real X[4 * 72], Y[4 * 3] = {0};
    nn_rng r;
    nn_rng_seed(&r, 40 + _i);
    fill(X, 4 * 72, &r, 1);
    for (int i = 0; i < 4; i++) Y[i * 3 + i % 3] = 1;
    double err = nn_test_gradcheck(net, X, Y, 4, NN_TRAIN, 1e-3, 1.0);
    ck_assert_msg(err < GRAD_TOL, "net %d: worst relative gradient error %.3g", _i, err);
    nn_net_free(net);
}
END_TEST

START_TEST(test_pool_ties_go_to_the_first_maximum)
{
    /* one channel, 2 x 4: windows [1 3 | 3 2] and [0 0 | 0 0] (a full tie) */
    nn_pool_shape s;
    ck_assert_int_eq(nn_pool_shape_init(&s, 1, 2, 4, 2, 2), 0);
    const nn_real x[8] = {1, 3, 0, 0, 3, 2, 0, 0};
    nn_real y[2], dy[2] = {10, 20}, dx[8] = {0};
    int arg[2];
    nn_maxpool_forward(&s, y, arg, x, 1);
    ck_assert(y[0] == 3 && y[1] == 0);
    nn_maxpool_backward(&s, dx, dy, arg, 1);
    const nn_real want[8] = {0, 10, 20, 0, 0, 0, 0, 0}; /* the first 3 (row 0), the first 0 of the tie */
    for (int i = 0; i < 8; i++) ck_assert_msg(dx[i] == want[i], "dx[%d] = %g, expected %g", i, (double)dx[i], (double)want[i]);
    /* the general window loop (stride 1, overlapping windows [1 3|3 2], [3 0|2 0], [0 0|0 0]) keeps the same rule */
    nn_pool_shape s1;
    ck_assert_int_eq(nn_pool_shape_init(&s1, 1, 2, 4, 2, 1), 0);
    nn_real y1[3], dy1[3] = {10, 20, 30}, dx1[8] = {0};
    int arg1[3];
    nn_maxpool_forward(&s1, y1, arg1, x, 1);
    nn_maxpool_backward(&s1, dx1, dy1, arg1, 1);
    const nn_real want1[8] = {0, 30, 30, 0, 0, 0, 0, 0}; /* the 3 at index 1 wins twice (first in row-major order) */
    for (int i = 0; i < 8; i++)
        ck_assert_msg(dx1[i] == want1[i], "stride 1: dx[%d] = %g, expected %g", i, (double)dx1[i], (double)want1[i]);
}
END_TEST

START_TEST(test_shapes_and_refusals)
{
    nn_net *net = nn_net_new(1 * 28 * 28);
    nn_net_input_shape(net, 1, 28, 28);
    /* Caffe's LeNet: conv 20 × 5×5 → pool 2/2 → conv 50 × 5×5 → pool 2/2 → 500 → 10 */
    nn_init xav = {NN_INIT_UNIFORM_FANIN, sqrt(3.0)}, zero = {NN_INIT_ZERO, 0};
    int c1 = nn_net_conv(net, 20, 5, 1, 0, xav, zero);
    ck_assert_int_eq(net->layers[c1].n, 20 * 24 * 24);
    int p1 = nn_net_maxpool(net, 2, 2);
    ck_assert_int_eq(net->layers[p1].n, 20 * 12 * 12);
    nn_net_conv(net, 50, 5, 1, 0, xav, zero);
    int p2 = nn_net_maxpool(net, 2, 2);
    ck_assert(net->layers[p2].c == 50 && net->layers[p2].h == 4 && net->layers[p2].w == 4);
    int d = nn_net_dense(net, 500, 1, xav, zero); /* reads the 800 values flattened */
    ck_assert_int_eq(net->layers[d].n_in, 800);
    /* a kernel that does not fit is refused with a message */
    ck_assert_int_eq(nn_net_maxpool(net, 1000, 1), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "does not fit"));
    nn_net_act(net, NN_RELU);
    nn_net_dense(net, 10, 1, xav, zero);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, 2, 1), 0);
    /* parameters: 20·25 + 20 + 50·500 + 50 + 800·500 + 500 + 500·10 + 10 = 431,080 (Caffe's LeNet) */
    ck_assert_int_eq((long)net->n_params, 431080);
    /* the scaled U(±√3/√fan_in) filler (Caffe's "xavier") has variance 1/fan_in, fan_in = c·k·k */
    double s2 = 0;
    for (int i = 0; i < 20 * 25; i++) s2 += (double)net->layers[c1].W[i] * net->layers[c1].W[i];
    ck_assert_msg(fabs(s2 / 500 * 25 - 1) < 0.2, "first conv layer: variance x fan_in = %g", s2 / 500 * 25);
    nn_net_free(net);
}
END_TEST

START_TEST(test_cnn_step_allocates_nothing)
{
    nn_net *net = small_cnn(3, 3, 1, 1, 1, NN_RELU);
    nn_optim opt = {.kind = NN_OPT_MOMENTUM, .lr = 0.05, .momentum = 0.9};
    nn_optim_init(&opt, net);
    nn_real X[4 * 72];
    int y[4] = {0, 1, 2, 1};
    nn_rng r;
    nn_rng_seed(&r, 3);
    fill(X, 4 * 72, &r, 1);
    long before = nn_test_allocs;
    nn_test_steps(net, &opt, X, y, 4, 10);
    ck_assert_int_eq(nn_test_allocs - before, 0);
    nn_optim_free(&opt);
    nn_net_free(net);
}
END_TEST

/* an architecture declared in JSON (lab/nn_arch.c): Caffe's LeNet, a gradient check, refusals */
START_TEST(test_arch_from_json)
{
    cJSON *lenet = cJSON_Parse("[{\"conv\": 20, \"kernel\": 5}, {\"pool\": 2}, {\"conv\": 50, \"kernel\": 5}, {\"pool\": 2},"
                               " {\"dense\": 500}, {\"act\": \"relu\"}]");
    nn_arch_opts o = {.in_c = 1, .in_h = 28, .in_w = 28, .n_classes = 10, .w_init = {NN_INIT_UNIFORM_FANIN, sqrt(3.0)},
                      .b_init = {NN_INIT_ZERO, 0}, .bn_eps = 1e-5, .bn_momentum = 0.1};
    nn_net *net = nn_arch_build(lenet, &o, 2, 1);
    ck_assert_msg(net != NULL, "%s", nn_error());
    ck_assert_int_eq((long)net->n_params, 431080);
    ck_assert_ptr_nonnull(nn_net_tensor(net, "conv2.W"));
    ck_assert_ptr_nonnull(nn_net_tensor(net, "dense1.b"));
    ck_assert_ptr_nonnull(nn_net_tensor(net, "out.dense.W"));
    nn_net_free(net);
    cJSON_Delete(lenet);
    /* the seed's deeply supervised LeNet: a side head (dense 10 → softmax) on pool1, 20·12·12·10 + 10
     * more parameters, output 1 weighted α; the same list with skip_heads is the plain LeNet */
    cJSON *dsn = cJSON_Parse("[{\"conv\": 20, \"kernel\": 5}, {\"pool\": 2}, {\"head\": [], \"alpha\": 0.25},"
                             " {\"conv\": 50, \"kernel\": 5}, {\"pool\": 2}, {\"dense\": 500}, {\"act\": \"relu\"}]");
    net = nn_arch_build(dsn, &o, 2, 1);
    ck_assert_msg(net != NULL, "%s", nn_error());
    ck_assert_int_eq((long)net->n_params, 431080 + 28810);
    ck_assert_int_eq(net->n_outputs, 2);
    ck_assert_double_eq(net->outputs[1].weight, 0.25);
    ck_assert_ptr_nonnull(nn_net_tensor(net, "head1.dense.W"));
    ck_assert_int_eq(net->layers[net->outputs[1].node].head, 1);
    nn_net_free(net);
    nn_arch_opts plain = o;
    plain.skip_heads = 1;
    net = nn_arch_build(dsn, &plain, 2, 1);
    ck_assert_int_eq((long)net->n_params, 431080);
    ck_assert_int_eq(net->n_outputs, 1);
    nn_net_free(net);
    cJSON_Delete(dsn);
    /* conv → batch norm → gelu → pool (→ a head: dense → relu → dense → softmax, α 0.7) → dense → tanh,
     * checked against central differences */
    cJSON *small =
        cJSON_Parse("[{\"conv\": 3, \"kernel\": 3, \"pad\": 1, \"init\": \"he_normal\"}, {\"batchnorm\": true},"
                    " {\"act\": \"gelu\"}, {\"pool\": 2}, {\"head\": [{\"dense\": 4}, {\"act\": \"relu\"}], \"alpha\": 0.7},"
                    " {\"dense\": 5, \"init\": \"glorot_normal\"}, {\"act\": \"tanh\"}]");
    nn_arch_opts so = {.in_c = 2, .in_h = 6, .in_w = 6, .n_classes = 3, .w_init = {NN_INIT_NORMAL, 0.4},
                       .b_init = {NN_INIT_NORMAL, 0.3}, .bn_eps = 1e-5, .bn_momentum = 0.1};
    net = nn_arch_build(small, &so, 4, 3);
    ck_assert_msg(net != NULL, "%s", nn_error());
    nn_real X[4 * 72], Y[12] = {0};
    nn_rng r;
    nn_rng_seed(&r, 9);
    fill(X, 4 * 72, &r, 1);
    for (int i = 0; i < 4; i++) Y[i * 3 + i % 3] = 1;
    double err = nn_test_gradcheck(net, X, Y, 4, NN_TRAIN, 0, 1.0);
    ck_assert_msg(err < GRAD_TOL, "worst relative gradient error %.3g", err);
    /* batch norm after a conv layer is spatial: one γ, β, μ, σ² per channel, over B·h·w values */
    const nn_layer *bnl = &net->layers[1];
    ck_assert_int_eq(bnl->kind, NN_L_BATCHNORM);
    ck_assert_int_eq((long)nn_net_tensor(net, "batchnorm1.gamma")->size, 3);
    nn_net_forward(net, X, 4, NN_TRAIN);
    for (int c = 0; c < 3; c++) {
        double m = 0, v = 0;
        for (int row = 0; row < 4; row++)
            for (int p = 0; p < 36; p++) m += bnl->out[(row * 3 + c) * 36 + p];
        m /= 144;
        for (int row = 0; row < 4; row++)
            for (int p = 0; p < 36; p++) v += pow(bnl->out[(row * 3 + c) * 36 + p] - m, 2);
        v /= 144;
        ck_assert_msg(fabs(m) < 1e-9 && fabs(v - 1) < 1e-3, "channel %d after batch norm: mean %g, variance %g", c, m, v);
    }
    for (int j = 0; j < 3; j++) bnl->run_mean[j] = 0.2 * j - 0.1, bnl->run_var[j] = 0.5 + j; /* the eval path too */
    err = nn_test_gradcheck(net, X, Y, 4, NN_EVAL, 0, 1.0);
    ck_assert_msg(err < GRAD_TOL, "eval mode: worst relative gradient error %.3g", err);
    nn_net_free(net);
    cJSON_Delete(small);
    /* every layer kind is counted for its name, max-out (the last kind) included: two of them are maxout1 and
     * maxout2 (the counts were sized for fewer kinds than there are: UBSan saw the index run past them) */
    cJSON *mo = cJSON_Parse("[{\"dense\": 8}, {\"maxout\": 2}, {\"dense\": 6}, {\"maxout\": 3}, {\"act\": \"relu\"}]");
    nn_arch_opts mo_o = {.in_c = 1, .in_h = 3, .in_w = 3, .n_classes = 2, .w_init = {NN_INIT_NORMAL, 0.4},
                         .b_init = {NN_INIT_ZERO, 0}, .bn_eps = 1e-5, .bn_momentum = 0.1};
    net = nn_arch_build(mo, &mo_o, 2, 1);
    ck_assert_msg(net != NULL, "%s", nn_error());
    int seen = 0;
    for (int l = 0; l < net->n_layers; l++)
        if (net->layers[l].kind == NN_L_MAXOUT) {
            char want[16];
            snprintf(want, sizeof want, "maxout%d", ++seen);
            ck_assert_str_eq(net->layers[l].name, want);
        }
    ck_assert_int_eq(seen, 2);
    nn_net_free(net);
    cJSON_Delete(mo);
    /* every kind the table makes declarable is: average pooling by its entry alone, its stride the window's */
    cJSON *ap = cJSON_Parse("[{\"conv\": 2, \"kernel\": 1}, {\"avgpool\": 2}, {\"avgpool\": 2, \"stride\": 1}]");
    mo_o.in_h = mo_o.in_w = 6;
    net = nn_arch_build(ap, &mo_o, 2, 1);
    ck_assert_msg(net != NULL, "%s", nn_error());
    ck_assert_int_eq(net->layers[1].kind, NN_L_AVGPOOL);
    ck_assert_str_eq(net->layers[1].name, "avgpool1");
    ck_assert_int_eq(net->layers[1].h * 10 + net->layers[1].w, 33);
    ck_assert_int_eq(net->layers[2].h * 10 + net->layers[2].w, 22);
    nn_net_free(net);
    cJSON_Delete(ap);
    /* mistakes name the entry and the problem, and build nothing */
    const char *bad[][2] = {
        {"[{\"conv\": 0}]", "layers[0]: 'conv' must be a whole number from 1"},
        {"[{\"dense\": 10}, {\"convv\": 3}]", "layers[1]: unknown layer 'convv'"},
        {"[{\"pool\": 50}]", "does not fit"},
        {"[{\"conv\": 4, \"kernal\": 3}]", "unknown key 'kernal'"},
        {"[{\"act\": \"softmax\"}]", "must be a hidden activation"},
        {"[{\"dropout\": 1.5}]", "probability"},
        {"[{\"batchnorm\": false}]", "'batchnorm' must be true (leave the entry out"},
        {"[{\"avgpool\": 2, \"init\": \"he\"}]", "unknown key 'init' for a avgpool layer"},
        {"[{\"dense\": 4, \"init\": \"xavierr\"}]", "layers[0]: unknown init scheme 'xavierr'"},
        {"{\"dense\": 3}", "must be a list"},
        {"[{\"head\": [{\"head\": []}]}]", "layers[0].head[0]: a head cannot carry a head"},
        {"[{\"head\": [], \"alpha\": -1}]", "'alpha' must be a number"},
        {"[{\"head\": {\"dense\": 3}}]", "'head' must be a list"},
        /* six padded layers: 4096 channels of 796 × 796 overflow an int (it wrapped to a huge
         * parameter count) */
        {"[{\"conv\":4096,\"kernel\":1,\"pad\":64},{\"conv\":4096,\"kernel\":1,\"pad\":64},"
         "{\"conv\":4096,\"kernel\":1,\"pad\":64},{\"conv\":4096,\"kernel\":1,\"pad\":64},"
         "{\"conv\":4096,\"kernel\":1,\"pad\":64},{\"conv\":4096,\"kernel\":1,\"pad\":64}]",
         "layers[5]: convolution: 4096 channels of 796x796 are 2595291136 values per image, more than 2147483647"}};
    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++) {
        cJSON *j = cJSON_Parse(bad[q][0]);
        ck_assert_ptr_null(nn_arch_build(j, &o, 2, 1));
        ck_assert_msg(strstr(nn_error(), bad[q][1]), "%s: message '%s' lacks '%s'", bad[q][0], nn_error(), bad[q][1]);
        cJSON_Delete(j);
    }
}
END_TEST

Suite *suite_conv(void)
{
    Suite *s = suite_create("conv");
    TCase *tc = tcase_create("conv");
    tcase_add_loop_test(tc, test_gemm_path_matches_naive, 0, (int)(sizeof shapes / sizeof shapes[0]));
    tcase_add_loop_test(tc, test_cnn_gradcheck, 0, (int)(sizeof nets / sizeof nets[0]));
    tcase_add_test(tc, test_pool_ties_go_to_the_first_maximum);
    tcase_add_test(tc, test_shapes_and_refusals);
    tcase_add_test(tc, test_cnn_step_allocates_nothing);
    tcase_add_test(tc, test_arch_from_json);
    suite_add_tcase(s, tc);
    return s;
}
