/* test_gradcheck.c — every layer, activation, loss and head against central differences.
 *
 * Each test builds a small network with fixed, non-trivial parameters drawn from a
 * seed, a random mini-batch and targets, and compares every parameter's backprop
 * gradient with (J(θ+h) − J(θ−h)) / 2h, h = 1e-5, in double precision. Tolerance:
 * worst relative error GRAD_TOL = 1e-6; a gradient off by a factor of 2 has relative
 * error 0.5 (the self-test below shows the checker catches it). Gradients of inner
 * nodes (∂L/∂x sent back by a layer) are covered because every tested layer sits
 * above another layer with parameters. */
#include "nn_test.h"
#include "nn_fastmath.h"
#include "nn_layer.h"

#include <float.h>

#include <math.h>
#include <string.h>

#define B 6

typedef struct fixture {
    nn_real X[B * 8];
    nn_real Y[B * 8];
} fixture;

/* inputs N(0, 1); targets one-hot (classes) or uniform in (0, 1) (regression) */
static void make_batch(fixture *f, int n_in, int n_out, int one_hot, uint64_t seed)
{
    nn_rng r;
    nn_rng_seed(&r, seed);
    for (int i = 0; i < B * n_in; i++) f->X[i] = nn_rng_gauss(&r);
    memset(f->Y, 0, sizeof f->Y);
    for (int i = 0; i < B; i++) {
        if (one_hot) f->Y[i * n_out + (int)nn_rng_below(&r, (uint32_t)n_out)] = 1;
        else
            for (int k = 0; k < n_out; k++) f->Y[i * n_out + k] = nn_rng_uniform(&r);
    }
}

static const nn_init W_INIT = {NN_INIT_NORMAL, 0.8}, B_INIT = {NN_INIT_NORMAL, 0.5};

/* input(5) → dense(4) → act → dense(n_out) → out_act, loss */
static nn_net *two_layer(nn_act act, nn_act out_act, nn_loss loss, int n_out)
{
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 4, 1, W_INIT, B_INIT);
    nn_net_act(net, act);
    nn_net_dense(net, n_out, 1, W_INIT, B_INIT);
    nn_net_act(net, out_act);
    ck_assert_int_eq(nn_net_output(net, loss, 1.0), 0);
    ck_assert_int_eq(nn_net_finalize(net, B, 7), 0);
    return net;
}

static void check_net(nn_net *net, int n_out, int one_hot, nn_mode mode, double lambda)
{
    fixture f;
    make_batch(&f, net->n_input, n_out, one_hot, 99);
    double err = nn_test_gradcheck(net, f.X, f.Y, B, mode, lambda, 1.0);
    ck_assert_msg(err < GRAD_TOL, "worst relative gradient error %.3g ≥ %.0e", err, GRAD_TOL);
}

/* every hidden activation of the table (nn_act.h), each under a quadratic loss on a linear
 * output: a new activation is checked here with no edit to this file */
/* Every entry of the layer table (nn_layer.h), through its own example: input (2 × 4 × 4) → conv
 * (node 0, parameters below the layer, so its ∂ℓ/∂x is checked too) → the example → dense(3) →
 * softmax with the cross-entropy; in training (a random layer's draw made once, then kept) and in
 * evaluation. A kind added to the table is checked here without a line of this file changing. */
START_TEST(test_every_layer_kind)
{
    const nn_layer_ops *ops = nn_layer_kinds[_i];
    ck_assert_msg(ops && ops->name && ops->forward && ops->backward && ops->example, "layer kind %d: incomplete entry", _i);
    ck_assert_int_eq(nn_layer_kind_of(ops->name), _i);
    ck_assert_msg(!ops->n_params || ops->setup, "%s: parameters without a setup", ops->name);
    for (int m = 0; m < 2; m++) {
        const nn_mode mode = m ? NN_EVAL : NN_TRAIN;
        nn_net *net = nn_net_new(2 * 4 * 4);
        nn_net_input_shape(net, 2, 4, 4);
        ck_assert_int_eq(nn_net_conv(net, 2, 3, 1, 1, W_INIT, B_INIT), 0);
        const int at = ops->example(net);
        ck_assert_msg(at == 1 && net->layers[at].kind == (nn_layer_kind)_i, "%s: the example adds one layer of its kind",
                      ops->name);
        nn_net_dense(net, 3, 1, W_INIT, B_INIT);
        nn_net_act(net, NN_SOFTMAX);
        ck_assert_int_eq(nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1), 0);
        ck_assert_int_eq(nn_net_finalize(net, B, 12), 0);
        nn_real X[B * 32], Y[B * 3] = {0};
        nn_rng r;
        nn_rng_seed(&r, 13);
        for (int k = 0; k < B * 32; k++) X[k] = nn_rng_gauss(&r);
        for (int b = 0; b < B; b++) Y[b * 3 + b % 3] = 1;
        nn_net_forward(net, X, B, mode); /* a random layer draws once; the checker's forwards reuse it */
        net->freeze_dropout = 1;
        double err = nn_test_gradcheck(net, X, Y, B, mode, 0, 1.0);
        ck_assert_msg(err < GRAD_TOL, "%s (%s): worst relative gradient error %.3g", ops->name, m ? "evaluation" : "training",
                      err);
        nn_net_free(net);
    }
}
END_TEST

START_TEST(test_hidden_activation)
{
    nn_net *net = two_layer((nn_act)_i, NN_LINEAR, NN_LOSS_QUADRATIC, 3);
    check_net(net, 3, 0, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

/* every loss of the table (nn_loss.h), on the output activation it is fused with (a sigmoid
 * for a loss that takes any): a new loss is checked here with no edit to this file */
START_TEST(test_every_loss)
{
    nn_loss l = (nn_loss)_i;
    nn_act out = nn_loss_fused_act(l);
    int fused = out != NN_ACT_COUNT;
    nn_net *net = two_layer(NN_TANH, fused ? out : NN_SIGMOID, l, 3);
    check_net(net, 3, fused, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

/* softmax as a plain activation (its full Jacobian), under the quadratic loss */
START_TEST(test_softmax_activation_quadratic)
{
    nn_net *net = two_layer(NN_TANH, NN_SOFTMAX, NN_LOSS_QUADRATIC, 4);
    check_net(net, 4, 1, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

/* every output activation under the quadratic loss: the σ'(z) factor included */
START_TEST(test_quadratic_sigmoid_output)
{
    nn_net *net = two_layer(NN_SIGMOID, NN_SIGMOID, NN_LOSS_QUADRATIC, 3);
    check_net(net, 3, 0, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_logloss_fused)
{
    nn_net *net = two_layer(NN_TANH, NN_SIGMOID, NN_LOSS_LOGLOSS, 3);
    check_net(net, 3, 0, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_logloss_single_unit)
{
    nn_net *net = two_layer(NN_RELU, NN_SIGMOID, NN_LOSS_LOGLOSS, 1);
    check_net(net, 1, 0, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_softmax_ce_fused)
{
    nn_net *net = two_layer(NN_SIGMOID, NN_SOFTMAX, NN_LOSS_SOFTMAX_CE, 4);
    check_net(net, 4, 1, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_batchnorm_train)
{
    /* dense(no bias) → BN → tanh → dense → softmax CE; γ, β perturbed from 1, 0 */
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 4, 0, W_INIT, B_INIT);
    int bn = nn_net_batchnorm(net, 1e-5, 0.1);
    nn_net_act(net, NN_TANH);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, B, 3), 0);
    for (int j = 0; j < 4; j++) net->layers[bn].gamma[j] = 0.5 + 0.3 * j, net->layers[bn].beta[j] = 0.2 * j - 0.3;
    check_net(net, 3, 1, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_batchnorm_eval)
{
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 4, 0, W_INIT, B_INIT);
    int bn = nn_net_batchnorm(net, 1e-5, 0.1);
    nn_net_act(net, NN_SIGMOID);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, B, 3), 0);
    for (int j = 0; j < 4; j++) {
        nn_layer *L = &net->layers[bn];
        L->gamma[j] = 1.5 - 0.2 * j, L->beta[j] = 0.1 * j;
        L->run_mean[j] = 0.3 * j - 0.2, L->run_var[j] = 0.5 + j;
    }
    check_net(net, 3, 1, NN_EVAL, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_dropout_fixed_mask)
{
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 8, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_TANH);
    int d = nn_net_dropout(net, 0.5);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, B, 5), 0);
    fixture f;
    make_batch(&f, 5, 3, 1, 4);
    nn_net_forward(net, f.X, B, NN_TRAIN); /* draw one mask, then keep it */
    net->freeze_dropout = 1;
    int kept = 0;
    for (int k = 0; k < B * 8; k++) {
        nn_real m = net->layers[d].mask[k];
        ck_assert(m == 0 || fabs(m - 2.0) < 1e-12); /* 1/(1 − p) */
        kept += m != 0;
    }
    ck_assert(kept > 0 && kept < B * 8);
    double err = nn_test_gradcheck(net, f.X, f.Y, B, NN_TRAIN, 0, 1.0);
    ck_assert_msg(err < GRAD_TOL, "dropout: worst relative error %.3g", err);
    nn_net_free(net);
}
END_TEST

START_TEST(test_noise_fixed_draw)
{
    /* "noisy batch norm": BN → a random scale and shift of every activation → sigmoid; the draw frozen for the check */
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 6, 0, W_INIT, B_INIT);
    nn_net_batchnorm(net, 1e-5, 0.1);
    int z = nn_net_noise(net, 0.5, 0.3, 0.4);
    nn_net_act(net, NN_SIGMOID);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, B, 6), 0);
    fixture f;
    make_batch(&f, 5, 3, 1, 7);
    nn_net_forward(net, f.X, B, NN_TRAIN);
    net->freeze_dropout = 1;
    const nn_layer *L = &net->layers[z];
    const nn_real *x = net->layers[L->in].out;
    const nn_real *a = L->mask, *c = L->mask + (size_t)net->max_batch * 6;
    for (int b = 0; b < B; b++) /* y = a·x + c, a draw for every activation of every sample */
        for (int j = 0; j < 6; j++)
            ck_assert_double_eq_tol(L->out[b * 6 + j], x[b * 6 + j] * a[b * 6 + j] + c[b * 6 + j], 1e-12);
    /* per sample, not per unit: two samples of one unit get different draws */
    ck_assert(a[0] != a[6] && c[0] != c[6] && a[0] > 0);
    double err = nn_test_gradcheck(net, f.X, f.Y, B, NN_TRAIN, 0, 1.0);
    ck_assert_msg(err < GRAD_TOL, "noise: worst relative error %.3g", err);
    /* evaluation: the expected transform exp(sd²/2)·x, gradient-checked too */
    nn_net_forward(net, f.X, B, NN_EVAL);
    for (int k = 0; k < B * 6; k++)
        ck_assert_double_eq_tol(L->out[k], exp(0.5 * 0.5 * 0.5) * net->layers[L->in].out[k], 1e-6);
    err = nn_test_gradcheck(net, f.X, f.Y, B, NN_EVAL, 0, 1.0);
    ck_assert_msg(err < GRAD_TOL, "noise (evaluation): worst relative error %.3g", err);
    nn_net_free(net);
}
END_TEST

/* The noise's statistics: over many steps each activation's shift has mean 0 and its scale mean
 * exp(sd²/2) (so the expected transform is what evaluation applies), while within one step a unit's
 * shifts share a non-zero mean drawn for the step. */
START_TEST(test_noise_statistics)
{
    const int n = 4, Bn = 200, steps = 200;
    nn_net *net = nn_net_new(n);
    int z = nn_net_noise(net, 0.4, 0.5, 0.3);
    nn_net_act(net, NN_SIGMOID);
    nn_net_output(net, NN_LOSS_QUADRATIC, 1);
    ck_assert_int_eq(nn_net_finalize(net, Bn, 11), 0);
    nn_real *X = nn_calloc((size_t)Bn * n, sizeof(nn_real));
    const nn_layer *L = &net->layers[z];
    double sa = 0, sc = 0, spread_of_step_means = 0;
    for (int t = 0; t < steps; t++) {
        nn_net_forward(net, X, Bn, NN_TRAIN);
        const nn_real *a = L->mask, *c = L->mask + (size_t)net->max_batch * n;
        double m0 = 0;
        for (int b = 0; b < Bn; b++) {
            for (int j = 0; j < n; j++) sa += a[b * n + j], sc += c[b * n + j];
            m0 += c[b * n];
        }
        spread_of_step_means += fabs(m0 / Bn);
    }
    const double N = (double)steps * Bn * n;
    ck_assert_double_eq_tol(sa / N, exp(0.5 * 0.4 * 0.4), 0.01);
    ck_assert_double_eq_tol(sc / N, 0, 0.02);
    /* a step's mean is U(−0.5, 0.5): its mean absolute value is 0.25, far from 0 */
    ck_assert_double_eq_tol(spread_of_step_means / steps, 0.25, 0.04);
    free(X);
    nn_net_free(net);
}
END_TEST

START_TEST(test_concat_skip)
{
    /* dense → tanh, then [that, an earlier node] → dense → softmax: both branches get their share of the gradient,
     * and a concatenation with the network input itself */
    for (int from_input = 0; from_input < 2; from_input++) {
        nn_net *net = nn_net_new(5);
        int h1 = nn_net_dense(net, 4, 1, W_INIT, B_INIT);
        nn_net_act(net, NN_TANH);
        nn_net_dense(net, 3, 1, W_INIT, B_INIT);
        nn_net_act(net, NN_SIGMOID);
        int c = nn_net_concat(net, from_input ? -1 : h1);
        ck_assert_int_eq(net->layers[c].n, 3 + (from_input ? 5 : 4));
        nn_net_dense(net, 3, 1, W_INIT, B_INIT);
        nn_net_act(net, NN_SOFTMAX);
        nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
        ck_assert_int_eq(nn_net_finalize(net, B, 8), 0);
        fixture f;
        make_batch(&f, 5, 3, 1, 9);
        nn_net_forward(net, f.X, B, NN_TRAIN);
        const nn_layer *L = &net->layers[c];
        const nn_real *x2 = nn_net_node_out(net, L->in2);
        for (int b = 0; b < B; b++) /* row b is [x1, x2] */
            for (int j = 0; j < L->n; j++)
                ck_assert(L->out[b * L->n + j] == (j < 3 ? net->layers[L->in].out[b * 3 + j] : x2[b * (L->n - 3) + j - 3]));
        double err = nn_test_gradcheck(net, f.X, f.Y, B, NN_TRAIN, 0, 1.0);
        ck_assert_msg(err < GRAD_TOL, "concat: worst relative error %.3g", err);
        nn_net_free(net);
    }
}
END_TEST

START_TEST(test_maxout)
{
    /* dense(6) → max-out in pieces of 3 → dense → softmax: two units, each the largest of three inputs */
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 6, 1, W_INIT, B_INIT);
    int m = nn_net_maxout(net, 3);
    ck_assert_int_eq(net->layers[m].n, 2);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, B, 10), 0);
    fixture f;
    make_batch(&f, 5, 3, 1, 11);
    nn_net_forward(net, f.X, B, NN_TRAIN);
    const nn_layer *L = &net->layers[m];
    const nn_real *x = net->layers[L->in].out;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < 2; j++) {
            double mx = fmax(fmax(x[b * 6 + 3 * j], x[b * 6 + 3 * j + 1]), x[b * 6 + 3 * j + 2]);
            ck_assert(L->out[b * 2 + j] == mx);
        }
    double err = nn_test_gradcheck(net, f.X, f.Y, B, NN_TRAIN, 0, 1.0);
    ck_assert_msg(err < GRAD_TOL, "maxout: worst relative error %.3g", err);
    nn_net_free(net);
}
END_TEST

START_TEST(test_residual_block)
{
    /* h1 = tanh(dense(x)); h2 = h1 + tanh(dense(h1)); out */
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 4, 1, W_INIT, B_INIT);
    int h1 = nn_net_act(net, NN_TANH);
    nn_net_dense(net, 4, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_TANH);
    nn_net_add(net, h1);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, B, 6), 0);
    check_net(net, 3, 1, NN_TRAIN, 0);
    nn_net_free(net);
}
END_TEST

START_TEST(test_auxiliary_heads)
{
    /* two heads (α = 0.7 and 0.3) whose gradients add into the trunk */
    nn_net *net = nn_net_new(5);
    nn_net_dense(net, 4, 1, W_INIT, B_INIT);
    int h1 = nn_net_act(net, NN_SIGMOID);
    nn_net_dense(net, 4, 1, W_INIT, B_INIT);
    int h2 = nn_net_act(net, NN_SIGMOID);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    nn_net_begin_head(net, h1);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SOFTMAX);
    ck_assert_int_eq(nn_net_output(net, NN_LOSS_SOFTMAX_CE, 0.7), 1);
    nn_net_begin_head(net, h2);
    nn_net_dense(net, 3, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_SIGMOID);
    ck_assert_int_eq(nn_net_output(net, NN_LOSS_LOGLOSS, 0.3), 2);
    ck_assert_int_eq(nn_net_finalize(net, B, 8), 0);
    check_net(net, 3, 1, NN_TRAIN, 0);
    /* the objective is L + Σ α_j l_j */
    fixture f;
    make_batch(&f, 5, 3, 1, 99);
    nn_net_forward(net, f.X, B, NN_TRAIN);
    double total = nn_net_loss(net, f.Y, 0);
    double parts = net->outputs[0].last_loss + 0.7 * net->outputs[1].last_loss + 0.3 * net->outputs[2].last_loss;
    ck_assert_double_eq_tol(total, parts, 1e-12);
    nn_net_free(net);
}
END_TEST

START_TEST(test_l2_term)
{
    nn_net *net = two_layer(NN_TANH, NN_SOFTMAX, NN_LOSS_SOFTMAX_CE, 3);
    check_net(net, 3, 1, NN_TRAIN, 0.37);
    /* the penalty is (λ/2) Σ w² over weights only: biases do not count */
    double w2 = 0;
    for (int t = 0; t < net->n_tensors; t++)
        if (net->tensors[t].decay)
            for (size_t k = 0; k < net->tensors[t].size; k++)
                w2 += net->params[net->tensors[t].offset + k] * net->params[net->tensors[t].offset + k];
    ck_assert_double_eq_tol(nn_net_l2_penalty(net, 0.37), 0.5 * 0.37 * w2, 1e-12);
    nn_net_free(net);
}
END_TEST

START_TEST(test_mlp_everything)
{
    /* the MLP builder with batch norm, dropout (fixed mask), residual blocks and heads */
    nn_mlp_spec s = {.n_input = 5, .n_output = 3, .n_hidden = 3, .hidden = {4, 4, 4},
                     .act = {NN_TANH, NN_RELU, NN_SIGMOID}, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .w_init = W_INIT, .b_init = B_INIT, .batchnorm = 1, .bn_eps = 1e-5, .bn_momentum = 0.1,
                     .dropout = 0.25, .residual = 1, .n_heads = 2, .head_at = {1, 2}, .head_alpha = 0.4};
    nn_net *net = nn_mlp_build(&s, B, 11);
    ck_assert_ptr_nonnull(net);
    ck_assert_int_eq(net->n_outputs, 3);
    fixture f;
    make_batch(&f, 5, 3, 1, 12);
    nn_net_forward(net, f.X, B, NN_TRAIN);
    net->freeze_dropout = 1;
    double err = nn_test_gradcheck(net, f.X, f.Y, B, NN_TRAIN, 0.05, 1.0);
    ck_assert_msg(err < GRAD_TOL, "mlp: worst relative error %.3g", err);
    nn_net_free(net);
}
END_TEST

START_TEST(test_checker_catches_factor_two)
{
    nn_net *net = two_layer(NN_SIGMOID, NN_SOFTMAX, NN_LOSS_SOFTMAX_CE, 3);
    fixture f;
    make_batch(&f, 5, 3, 1, 99);
    double err = nn_test_gradcheck(net, f.X, f.Y, B, NN_TRAIN, 0, 2.0);
    ck_assert_msg(err > 0.4, "a doubled gradient should fail the check, error was %.3g", err);
    nn_net_free(net);
}
END_TEST

START_TEST(test_dense_blas_matches_reference)
{
    enum { Bn = 7, NI = 13, NO = 5 };
    nn_rng r;
    nn_rng_seed(&r, 21);
    nn_real x[Bn * NI], W[NO * NI], b[NO], dz[Bn * NO];
    for (int i = 0; i < Bn * NI; i++) x[i] = nn_rng_gauss(&r);
    for (int i = 0; i < NO * NI; i++) W[i] = nn_rng_gauss(&r);
    for (int i = 0; i < NO; i++) b[i] = nn_rng_gauss(&r);
    for (int i = 0; i < Bn * NO; i++) dz[i] = nn_rng_gauss(&r);
    nn_real z1[Bn * NO], z2[Bn * NO];
    nn_dense_forward(z1, x, W, b, Bn, NI, NO);
    nn_dense_forward_ref(z2, x, W, b, Bn, NI, NO);
    for (int i = 0; i < Bn * NO; i++) ck_assert_double_eq_tol(z1[i], z2[i], 1e-12);
    /* backward adds: start both from the same non-zero buffers */
    nn_real dx1[Bn * NI], dx2[Bn * NI], dW1[NO * NI], dW2[NO * NI], db1[NO], db2[NO];
    for (int i = 0; i < Bn * NI; i++) dx1[i] = dx2[i] = 0.5;
    for (int i = 0; i < NO * NI; i++) dW1[i] = dW2[i] = -0.25;
    for (int i = 0; i < NO; i++) db1[i] = db2[i] = 1;
    nn_dense_backward(dx1, dW1, db1, dz, x, W, Bn, NI, NO);
    nn_dense_backward_ref(dx2, dW2, db2, dz, x, W, Bn, NI, NO);
    for (int i = 0; i < Bn * NI; i++) ck_assert_double_eq_tol(dx1[i], dx2[i], 1e-12);
    for (int i = 0; i < NO * NI; i++) ck_assert_double_eq_tol(dW1[i], dW2[i], 1e-12);
    for (int i = 0; i < NO; i++) ck_assert_double_eq_tol(db1[i], db2[i], 1e-12);
}
END_TEST

START_TEST(test_fused_loss_gradient_is_a_minus_y)
{
    /* the lectures' result: softmax + CE and sigmoid + log-loss both give ∂C/∂z = (a − y)/B */
    nn_real z[2 * 3] = {0.3, -1.2, 2.0, 0.0, 0.5, -0.5}, a[6], y[6] = {0, 0, 1, 1, 0, 0}, g[6] = {0};
    nn_act_forward(NN_SOFTMAX, a, z, 2, 3);
    nn_loss_eval(NN_LOSS_SOFTMAX_CE, g, z, a, y, 2, 3, 1.0);
    for (int k = 0; k < 6; k++) ck_assert_double_eq_tol(g[k], (a[k] - y[k]) / 2, 1e-15);
    memset(g, 0, sizeof g);
    nn_act_forward(NN_SIGMOID, a, z, 2, 3);
    nn_loss_eval(NN_LOSS_LOGLOSS, g, z, a, y, 2, 3, 1.0);
    for (int k = 0; k < 6; k++) ck_assert_double_eq_tol(g[k], (a[k] - y[k]) / 2, 1e-15);
    /* numerically stable: huge logits give a finite loss */
    nn_real zb[3] = {1000, -1000, 0}, ab[3], yb[3] = {0, 1, 0};
    nn_act_forward(NN_SOFTMAX, ab, zb, 1, 3);
    double l = nn_loss_eval(NN_LOSS_SOFTMAX_CE, NULL, zb, ab, yb, 1, 3, 1.0);
    ck_assert_double_eq_tol(l, 2000.0, 1e-9);
    nn_act_forward(NN_SIGMOID, ab, zb, 1, 3);
    l = nn_loss_eval(NN_LOSS_LOGLOSS, NULL, zb, ab, yb, 1, 3, 1.0);
    ck_assert_double_eq_tol(l, 1000 + 1000 + log(2.0), 1e-9);
}
END_TEST

START_TEST(test_output_pairing_rejected)
{
    nn_net *net = nn_net_new(3);
    nn_net_dense(net, 2, 1, W_INIT, B_INIT);
    nn_net_act(net, NN_LINEAR);
    ck_assert_int_eq(nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "needs a softmax output"));
    nn_net_free(net);
}
END_TEST

/* one unit in the last place of the float nearest v */
static double float_ulp(double v)
{
    float f = fabsf((float)v);
    return (double)nextafterf(f, INFINITY) - (double)f;
}

START_TEST(test_fast_exp_and_tanh_bounds)
{
    /* the float build's e^x and tanh (nn_fastmath.h) against double precision, on every 2048th float
     * of the range (about a million points from −110 to 90): the bounds its header states */
    double worst_e = 0, worst_d = 0, worst_t = 0;
    long n = 0;
    for (uint64_t b = 0; b < (1ull << 32); b += 2047) {
        uint32_t bits = (uint32_t)b;
        float x;
        memcpy(&x, &bits, sizeof x);
        if (!(x > -110 && x < 90)) continue;
        n++;
        double ref = exp((double)x);
        float got = nn_expf_fast(x);
        if (ref > FLT_MAX) ck_assert_msg(isinf(got) && got > 0, "e^%.9g = %g, expected +Inf", x, got);
        else if (ref < FLT_MIN) worst_d = fmax(worst_d, fabs(got - ref) / 1.401298464324817e-45);
        else worst_e = fmax(worst_e, fabs(got - ref) / float_ulp(ref));
        if (fabsf(x) < 20) {
            double rt = tanh((double)x);
            worst_t = fmax(worst_t, rt == 0 ? fabs(nn_tanhf_fast(x)) : fabs(nn_tanhf_fast(x) - rt) / float_ulp(rt));
        }
    }
    ck_assert_int_gt(n, 1000000);
    ck_assert_msg(worst_e <= 0.99, "e^x: %.3f ulp", worst_e);
    ck_assert_msg(worst_d <= 0.75, "e^x, denormal results: %.3f of the smallest denormal", worst_d);
    ck_assert_msg(worst_t <= 1.33, "tanh: %.3f ulp", worst_t);
    /* libm's limits */
    ck_assert(isnan(nn_expf_fast(NAN)) && isnan(nn_tanhf_fast(NAN)));
    ck_assert(nn_expf_fast(INFINITY) == INFINITY && nn_expf_fast(-INFINITY) == 0 && nn_expf_fast(89) == INFINITY);
    ck_assert(nn_expf_fast(-104) == 0 && nn_expf_fast(-103.9f) > 0 && nn_expf_fast(0) == 1);
    ck_assert(nn_tanhf_fast(INFINITY) == 1 && nn_tanhf_fast(-INFINITY) == -1 && nn_tanhf_fast(0) == 0);
}
END_TEST

START_TEST(test_gemm_threads_by_size)
{
    /* with two threads asked for, a product under NN_GEMM_MT_FLOPS runs on one and a larger on two;
     * the count the program asked for is what nn_threads() (and so the results file) reports */
    const int before = nn_threads();
    nn_set_threads(2);
    const int M = 256, N = 256, K = 128; /* 2·M·N·K = 16.8 MFLOP */
    ck_assert_double_ge(2.0 * M * N * K, NN_GEMM_MT_FLOPS);
    nn_real *A = calloc((size_t)M * K, sizeof *A), *Bm = calloc((size_t)K * N, sizeof *Bm),
            *Cm = calloc((size_t)M * N, sizeof *Cm);
    for (int i = 0; i < M * K; i++) A[i] = (nn_real)((i % 7) - 3);
    for (int i = 0; i < K * N; i++) Bm[i] = (nn_real)((i % 5) - 2);
    nn_gemm(CblasNoTrans, CblasNoTrans, 8, 8, 8, 1, A, K, Bm, N, 0, Cm, N);
    ck_assert_int_eq(openblas_get_num_threads(), 1);
    ck_assert_int_eq(nn_threads(), 2);
    nn_gemm(CblasNoTrans, CblasNoTrans, M, N, K, 1, A, K, Bm, N, 0, Cm, N);
    ck_assert_int_eq(openblas_get_num_threads(), 2);
    for (int r = 0; r < M; r += 37) /* small integers: the product is exact */
        for (int c = 0; c < N; c += 29) {
            double s = 0;
            for (int k = 0; k < K; k++) s += (double)A[r * K + k] * Bm[k * N + c];
            ck_assert_double_eq(Cm[r * N + c], s);
        }
    free(A), free(Bm), free(Cm);
    nn_set_threads(before);
}
END_TEST

Suite *suite_gradcheck(void)
{
    Suite *s = suite_create("gradcheck");
    TCase *tc = tcase_create("layers");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_every_layer_kind, 0, NN_L_KIND_COUNT);
    tcase_add_loop_test(tc, test_hidden_activation, 0, NN_ACT_N_ELEMENTWISE);
    tcase_add_loop_test(tc, test_every_loss, 0, NN_LOSS_COUNT);
    tcase_add_test(tc, test_softmax_activation_quadratic);
    tcase_add_test(tc, test_quadratic_sigmoid_output);
    tcase_add_test(tc, test_logloss_fused);
    tcase_add_test(tc, test_logloss_single_unit);
    tcase_add_test(tc, test_softmax_ce_fused);
    tcase_add_test(tc, test_batchnorm_train);
    tcase_add_test(tc, test_batchnorm_eval);
    tcase_add_test(tc, test_dropout_fixed_mask);
    tcase_add_test(tc, test_noise_fixed_draw);
    tcase_add_test(tc, test_noise_statistics);
    tcase_add_test(tc, test_concat_skip);
    tcase_add_test(tc, test_maxout);
    tcase_add_test(tc, test_residual_block);
    tcase_add_test(tc, test_auxiliary_heads);
    tcase_add_test(tc, test_l2_term);
    tcase_add_test(tc, test_mlp_everything);
    tcase_add_test(tc, test_checker_catches_factor_two);
    tcase_add_test(tc, test_dense_blas_matches_reference);
    tcase_add_test(tc, test_fused_loss_gradient_is_a_minus_y);
    tcase_add_test(tc, test_fast_exp_and_tanh_bounds);
    tcase_add_test(tc, test_gemm_threads_by_size);
    tcase_add_test(tc, test_output_pairing_rejected);
    suite_add_tcase(s, tc);
    return s;
}
