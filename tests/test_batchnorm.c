/* test_batchnorm.c — batch statistics, running averages, evaluation mode, backward. */
#include "nn_test.h"

enum { M = 8, N = 3 };

static nn_net *bn_net(double momentum)
{
    /* input → BN → linear output, quadratic loss: BN sees the raw input */
    nn_net *net = nn_net_new(N);
    nn_net_batchnorm(net, 1e-5, momentum);
    nn_net_act(net, NN_LINEAR);
    nn_net_output(net, NN_LOSS_QUADRATIC, 1);
    ck_assert_int_eq(nn_net_finalize(net, M, 1), 0);
    for (int j = 0; j < N; j++) net->layers[0].gamma[j] = 1.0 + 0.5 * j, net->layers[0].beta[j] = -0.25 * j;
    return net;
}

static void batch(nn_real *x)
{
    nn_rng r;
    nn_rng_seed(&r, 17);
    for (int i = 0; i < M * N; i++) x[i] = 3.0 + 2.0 * nn_rng_gauss(&r) + (i % N);
}

static void moments(const nn_real *x, double *mu, double *var)
{
    for (int j = 0; j < N; j++) {
        mu[j] = 0, var[j] = 0;
        for (int r = 0; r < M; r++) mu[j] += x[r * N + j] / M;
        for (int r = 0; r < M; r++) var[j] += (x[r * N + j] - mu[j]) * (x[r * N + j] - mu[j]) / M;
    }
}

START_TEST(test_batch_statistics)
{
    nn_net *net = bn_net(0.1);
    nn_real x[M * N];
    batch(x);
    double mu[N], var[N];
    moments(x, mu, var);
    nn_net_forward(net, x, M, NN_TRAIN);
    const nn_layer *L = &net->layers[0];
    double ymu[N], yvar[N];
    moments(L->out, ymu, yvar);
    for (int j = 0; j < N; j++) {
        ck_assert_double_eq_tol(L->mu[j], mu[j], 1e-12);
        ck_assert_double_eq_tol(L->var[j], var[j], 1e-12);   /* biased, 1/m */
        ck_assert_double_eq_tol(ymu[j], L->beta[j], 1e-12); /* y has mean β … */
        ck_assert_double_eq_tol(yvar[j], L->gamma[j] * L->gamma[j] * var[j] / (var[j] + 1e-5), 1e-10); /* … and var γ² */
    }
    nn_net_free(net);
}
END_TEST

START_TEST(test_running_averages)
{
    nn_net *net = bn_net(0.1);
    nn_real x[M * N];
    batch(x);
    double mu[N], var[N];
    moments(x, mu, var);
    const nn_layer *L = &net->layers[0];
    nn_net_forward(net, x, M, NN_TRAIN);
    for (int j = 0; j < N; j++) {
        ck_assert_double_eq_tol(L->run_mean[j], 0.1 * mu[j], 1e-12);
        /* unbiased: σ² · m/(m − 1) */
        ck_assert_double_eq_tol(L->run_var[j], 0.9 * 1.0 + 0.1 * var[j] * M / (M - 1), 1e-12);
    }
    /* batch statistics at test time leave the running averages alone */
    double keep = L->run_var[0];
    nn_net_forward(net, x, M, NN_EVAL_BATCHSTATS);
    ck_assert_double_eq(L->run_var[0], keep);
    /* many steps on one batch: the averages converge to its mean and unbiased variance */
    for (int t = 0; t < 400; t++) nn_net_forward(net, x, M, NN_TRAIN);
    for (int j = 0; j < N; j++) {
        ck_assert_double_eq_tol(L->run_mean[j], mu[j], 1e-9);
        ck_assert_double_eq_tol(L->run_var[j], var[j] * M / (M - 1), 1e-9);
    }
    /* evaluation uses them: y = γ (x − mean)/√(var + ε) + β */
    nn_net_forward(net, x, 2, NN_EVAL);
    for (int r = 0; r < 2; r++)
        for (int j = 0; j < N; j++) {
            double want = L->gamma[j] * (x[r * N + j] - L->run_mean[j]) / sqrt(L->run_var[j] + 1e-5) + L->beta[j];
            ck_assert_double_eq_tol(L->out[r * N + j], want, 1e-12);
        }
    nn_net_free(net);
}
END_TEST

START_TEST(test_backward_matches_compact_form)
{
    /* the lecture's step-by-step backward against the compact closed form
     * ∂ℓ/∂x_i = γ/(m√(σ²+ε)) · (m ∂ℓ/∂y_i − Σ_k ∂ℓ/∂y_k − x̂_i Σ_k ∂ℓ/∂y_k x̂_k) */
    nn_real x[M * N], y[M * N], xhat[M * N], mu[N], var[N], istd[N], g[N] = {0.7, 1.3, -0.4}, b[N] = {0.1, 0, 0.2};
    nn_real dy[M * N], dx[M * N] = {0}, dg[N] = {0}, db[N] = {0};
    double scratch[3 * N];
    batch(x);
    nn_rng r;
    nn_rng_seed(&r, 5);
    for (int i = 0; i < M * N; i++) dy[i] = nn_rng_gauss(&r);
    nn_bn_forward_train(y, xhat, mu, var, istd, x, g, b, 1e-5, M, N, 1);
    nn_bn_backward(dx, dg, db, dy, x, xhat, mu, var, g, 1e-5, M, N, 1, scratch);
    for (int j = 0; j < N; j++) {
        double sdy = 0, sdyx = 0;
        for (int i = 0; i < M; i++) sdy += dy[i * N + j], sdyx += dy[i * N + j] * xhat[i * N + j];
        ck_assert_double_eq_tol(db[j], sdy, 1e-12);
        ck_assert_double_eq_tol(dg[j], sdyx, 1e-12);
        for (int i = 0; i < M; i++) {
            double want = g[j] / (M * sqrt(var[j] + 1e-5)) * (M * dy[i * N + j] - sdy - xhat[i * N + j] * sdyx);
            ck_assert_double_eq_tol(dx[i * N + j], want, 1e-12);
        }
    }
}
END_TEST

START_TEST(test_bn_layers_have_no_bias)
{
    nn_mlp_spec s = {.n_input = 4, .n_output = 2, .n_hidden = 2, .hidden = {5, 5}, .act = {NN_SIGMOID, NN_SIGMOID},
                     .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL_FANIN, 1},
                     .b_init = {NN_INIT_ZERO, 0}, .batchnorm = 1, .bn_eps = 1e-5, .bn_momentum = 0.1};
    nn_net *net = nn_mlp_build(&s, 4, 1);
    ck_assert_ptr_null(nn_net_tensor(net, "hidden1.dense.b"));
    ck_assert_ptr_nonnull(nn_net_tensor(net, "hidden1.bn.gamma"));
    ck_assert_ptr_nonnull(nn_net_tensor(net, "hidden2.bn.beta"));
    ck_assert_ptr_nonnull(nn_net_tensor(net, "out.dense.b")); /* the output layer keeps its bias */
    nn_net_free(net);
}
END_TEST

Suite *suite_batchnorm(void)
{
    Suite *s = suite_create("batchnorm");
    TCase *tc = tcase_create("bn");
    tcase_add_test(tc, test_batch_statistics);
    tcase_add_test(tc, test_running_averages);
    tcase_add_test(tc, test_backward_matches_compact_form);
    tcase_add_test(tc, test_bn_layers_have_no_bias);
    suite_add_tcase(s, tc);
    return s;
}
