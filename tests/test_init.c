/* test_init.c — each scheme's empirical mean and variance on a large matrix. */
#include "nn_test.h"

#include <math.h>

enum { NI = 300, NO = 500 };

typedef struct expect {
    nn_init init;
    double sd;      /* expected standard deviation */
    double range;   /* > 0: every value within ±range */
} expect;

START_TEST(test_scheme_moments)
{
    const expect cases[] = {
        {{NN_INIT_NORMAL, 0.01}, 0.01, 0},
        {{NN_INIT_NORMAL, 1.0}, 1.0, 0},
        {{NN_INIT_UNIFORM, 0.3}, 0.3 / sqrt(3.0), 0.3},
        {{NN_INIT_NORMAL_FANIN, 1.0}, 1 / sqrt(NI), 0},
        {{NN_INIT_UNIFORM_FANIN, 1.0}, 1 / sqrt(NI) / sqrt(3.0), 1 / sqrt(NI)},
        {{NN_INIT_GLOROT_NORMAL, 1.0}, sqrt(2.0 / (NI + NO)), 0},
        {{NN_INIT_GLOROT_UNIFORM, 1.0}, sqrt(6.0 / (NI + NO)) / sqrt(3.0), sqrt(6.0 / (NI + NO))},
        {{NN_INIT_HE_NORMAL, 1.0}, sqrt(2.0 / NI), 0},
        {{NN_INIT_HE_NORMAL, 0.5}, 0.5 * sqrt(2.0 / NI), 0},
    };
    const expect *c = &cases[_i];
    static nn_real w[NI * NO];
    nn_rng r;
    nn_rng_seed(&r, 100 + _i);
    nn_init_fill(w, NI * NO, c->init, NI, NO, &r);
    double s = 0, s2 = 0, mx = 0;
    for (int k = 0; k < NI * NO; k++) s += w[k], s2 += (double)w[k] * w[k], mx = fmax(mx, fabs(w[k]));
    double mean = s / (NI * NO), sd = sqrt(s2 / (NI * NO) - mean * mean);
    const double N = NI * NO;
    ck_assert_msg(fabs(mean) < 5 * c->sd / sqrt(N), "%s: mean %g", nn_init_name(c->init.kind), mean);
    ck_assert_msg(fabs(sd / c->sd - 1) < 0.01, "%s: std %g, expected %g", nn_init_name(c->init.kind), sd, c->sd);
    ck_assert_double_eq_tol(nn_init_std(c->init, NI, NO), c->sd, 1e-15);
    if (c->range > 0) ck_assert(mx <= c->range && mx > 0.99 * c->range);
}
END_TEST

/* every scheme of the table (nn_init.h), a new one included with no edit here: what it draws
 * has the standard deviation nn_init_std reports and mean 0 (const: exactly its value) */
START_TEST(test_every_scheme_draws_its_std)
{
    static nn_real w[NI * NO];
    nn_init init = {(nn_init_kind)_i, 0.7};
    nn_rng r;
    nn_rng_seed(&r, 300 + _i);
    nn_init_fill(w, NI * NO, init, NI, NO, &r);
    double s = 0, s2 = 0;
    for (int k = 0; k < NI * NO; k++) s += w[k], s2 += (double)w[k] * w[k];
    const double N = NI * NO, mean = s / N, sd = sqrt(fmax(s2 / N - mean * mean, 0)), want = nn_init_std(init, NI, NO);
    if (want == 0) { /* zero and const: every weight the same */
        for (int k = 1; k < NI * NO; k++) ck_assert(w[k] == w[0]);
    } else {
        ck_assert_msg(fabs(mean) < 5 * want / sqrt(N), "%s: mean %g", nn_init_name(init.kind), mean);
        ck_assert_msg(fabs(sd / want - 1) < 0.01, "%s: std %g, the table says %g", nn_init_name(init.kind), sd, want);
    }
}
END_TEST

START_TEST(test_zero_and_const)
{
    nn_real w[64];
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_init_fill(w, 64, (nn_init){NN_INIT_ZERO, 0}, 8, 8, &r);
    for (int k = 0; k < 64; k++) ck_assert(w[k] == 0);
    nn_init_fill(w, 64, (nn_init){NN_INIT_CONST, 0.25}, 8, 8, &r);
    for (int k = 0; k < 64; k++) ck_assert(w[k] == 0.25);
}
END_TEST

START_TEST(test_bias_init_separate)
{
    /* weights He, biases constant 0.1: the net honours both */
    nn_mlp_spec s = {.n_input = 20, .n_output = 3, .n_hidden = 1, .hidden = {50}, .act = {NN_RELU},
                     .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_HE_NORMAL, 1},
                     .b_init = {NN_INIT_CONST, 0.1}};
    nn_net *net = nn_mlp_build(&s, 4, 1);
    const nn_tensor *b = nn_net_tensor(net, "hidden1.dense.b"), *w = nn_net_tensor(net, "hidden1.dense.W");
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(w);
    for (size_t k = 0; k < b->size; k++) ck_assert_double_eq(net->params[b->offset + k], 0.1);
    double s2 = 0;
    for (size_t k = 0; k < w->size; k++) s2 += net->params[w->offset + k] * net->params[w->offset + k];
    ck_assert_double_eq_tol(sqrt(s2 / w->size), sqrt(2.0 / 20), 0.02);
    nn_net_free(net);
}
END_TEST

START_TEST(test_copy_params_by_name)
{
    nn_mlp_spec a = {.n_input = 6, .n_output = 3, .n_hidden = 1, .hidden = {5}, .act = {NN_TANH}, .out_act = NN_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL, 1}, .b_init = {NN_INIT_NORMAL, 1}};
    nn_mlp_spec b = a;
    b.n_hidden = 2, b.hidden[1] = 5, b.act[1] = NN_TANH, b.n_output = 4;
    nn_net *na = nn_mlp_build(&a, 2, 1), *nb = nn_mlp_build(&b, 2, 2);
    /* hidden1's W and b match by name and size; out.dense differs in size; skip "out." anyway */
    ck_assert_int_eq(nn_net_copy_params(nb, na, "out."), 2);
    const nn_tensor *ta = nn_net_tensor(na, "hidden1.dense.W"), *tb = nn_net_tensor(nb, "hidden1.dense.W");
    ck_assert_int_eq(memcmp(na->params + ta->offset, nb->params + tb->offset, ta->size * sizeof(nn_real)), 0);
    const nn_tensor *h2 = nn_net_tensor(nb, "hidden2.dense.W");
    ck_assert_ptr_nonnull(h2);
    nn_net_free(na);
    nn_net_free(nb);
}
END_TEST

START_TEST(test_names_parse)
{
    for (int k = 0; k < NN_INIT_COUNT; k++) {
        nn_init_kind got;
        ck_assert_int_eq(nn_init_parse(nn_init_name((nn_init_kind)k), &got), 0);
        ck_assert_int_eq(got, k);
    }
    nn_init_kind got;
    ck_assert_int_eq(nn_init_parse("xavier", &got), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "unknown init scheme 'xavier'"));
}
END_TEST

Suite *suite_init(void)
{
    Suite *s = suite_create("init");
    TCase *tc = tcase_create("schemes");
    tcase_add_loop_test(tc, test_scheme_moments, 0, 9);
    tcase_add_loop_test(tc, test_every_scheme_draws_its_std, 0, NN_INIT_COUNT);
    tcase_add_test(tc, test_zero_and_const);
    tcase_add_test(tc, test_bias_init_separate);
    tcase_add_test(tc, test_names_parse);
    tcase_add_test(tc, test_copy_params_by_name);
    suite_add_tcase(s, tc);
    return s;
}
