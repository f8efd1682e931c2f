/* test_stats.c — percentiles, saturation, gradient norms. */
#include "nn_test.h"

START_TEST(test_percentiles)
{
    nn_real v[5] = {5, 1, 4, 2, 3}, scratch[5];
    nn_value_stats st;
    nn_stats_values(v, 5, NN_ACT_COUNT, scratch, &st);
    ck_assert_double_eq_tol(st.mean, 3, 1e-12);
    ck_assert_double_eq_tol(st.std, sqrt(2.0), 1e-12);
    ck_assert_double_eq_tol(st.p50, 3, 1e-12);
    ck_assert_double_eq_tol(st.p15, 1.6, 1e-12); /* position 0.15·4 = 0.6 between 1 and 2 */
    ck_assert_double_eq_tol(st.p85, 4.4, 1e-12);
    ck_assert_double_eq(st.saturated, 0);
}
END_TEST

START_TEST(test_saturation_rules)
{
    nn_real s[4] = {0.005, 0.5, 0.995, 0.3}, t[4] = {-0.995, 0.2, 0.98, 0.999}, r[4] = {0, 0.1, 0, 2}, sc[4];
    nn_value_stats st;
    nn_stats_values(s, 4, NN_SIGMOID, sc, &st);
    ck_assert_double_eq_tol(st.saturated, 0.5, 1e-12); /* outside [0.01, 0.99] */
    nn_stats_values(t, 4, NN_TANH, sc, &st);
    ck_assert_double_eq_tol(st.saturated, 0.5, 1e-12); /* |a| > 0.99 */
    nn_stats_values(r, 4, NN_RELU, sc, &st);
    ck_assert_double_eq_tol(st.saturated, 0.5, 1e-12); /* a = 0 */
}
END_TEST

START_TEST(test_layer_stats)
{
    nn_mlp_spec s = {.n_input = 3, .n_output = 2, .n_hidden = 1, .hidden = {4}, .act = {NN_SIGMOID},
                     .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL, 1},
                     .b_init = {NN_INIT_NORMAL, 1}};
    nn_net *net = nn_mlp_build(&s, 5, 2);
    nn_real X[15];
    for (int i = 0; i < 15; i++) X[i] = 0.1 * i - 0.7;
    int y[5] = {0, 1, 1, 0, 1};
    nn_net_forward(net, X, 5, NN_TRAIN);
    nn_net_set_labels(net, y, 5);
    nn_net_loss(net, net->Y, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    nn_grad_stats g;
    nn_mlp_layout lo;
    nn_mlp_layout_of(net, &lo);
    ck_assert_int_eq(lo.n_hidden, 1);
    ck_assert_int_eq(lo.out_dense, 2);
    nn_stats_grad(net, lo.dense[0], &g);
    const nn_layer *L = &net->layers[lo.dense[0]];
    double s2 = 0, sa = 0;
    for (int k = 0; k < 12; k++) s2 += L->dW[k] * L->dW[k], sa += fabs(L->dW[k]);
    ck_assert_double_eq_tol(g.w_norm, sqrt(s2), 1e-12);
    ck_assert_double_eq_tol(g.w_mean_abs, sa / 12, 1e-12);
    ck_assert(g.b_norm > 0);
    nn_real scratch[40];
    nn_value_stats st;
    nn_stats_node(net, lo.act[0], scratch, &st);
    ck_assert_int_eq(st.count, 20);
    ck_assert(st.mean > 0 && st.mean < 1 && st.p15 <= st.p50 && st.p50 <= st.p85);
    nn_stats_unit(net, lo.dense[0], 2, scratch, &st); /* one unit's pre-activation */
    ck_assert_int_eq(st.count, 5);
    double m = 0;
    for (int r = 0; r < 5; r++) m += L->out[r * 4 + 2] / 5;
    ck_assert_double_eq_tol(st.mean, m, 1e-12);
    nn_net_free(net);
}
END_TEST

Suite *suite_stats(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, test_percentiles);
    tcase_add_test(tc, test_saturation_rules);
    tcase_add_test(tc, test_layer_stats);
    suite_add_tcase(s, tc);
    return s;
}
