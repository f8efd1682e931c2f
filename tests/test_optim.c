/* test_optim.c — SGD, momentum, Nesterov and Adam against hand-computed steps; L2; clipping. */
#include "nn_test.h"

/* a net whose parameters are W = [1] and b = [0.5]; tests write the gradients */
static nn_net *tiny(void)
{
    nn_net *net = nn_net_new(1);
    nn_net_dense(net, 1, 1, (nn_init){NN_INIT_CONST, 1.0}, (nn_init){NN_INIT_CONST, 0.5});
    nn_net_act(net, NN_LINEAR);
    nn_net_output(net, NN_LOSS_QUADRATIC, 1);
    ck_assert_int_eq(nn_net_finalize(net, 1, 1), 0);
    return net;
}

/* f(θ) = ½θ² for each parameter: ∇f = θ */
static void grad_is_theta(nn_net *net)
{
    for (size_t k = 0; k < net->n_params; k++) net->grads[k] = net->params[k];
}

START_TEST(test_momentum_three_steps)
{
    /* v ← αv − ε∇L; θ ← θ + v with ε = 0.1, α = 0.9 from θ = 1:
     * v1 = −0.1,  θ1 = 0.9;  v2 = −0.09 − 0.09 = −0.18, θ2 = 0.72;
     * v3 = −0.162 − 0.072 = −0.234, θ3 = 0.486 */
    nn_net *net = tiny();
    nn_optim o = {.kind = NN_OPT_MOMENTUM, .lr = 0.1, .momentum = 0.9};
    nn_optim_init(&o, net);
    const double theta[3] = {0.9, 0.72, 0.486}, vel[3] = {-0.1, -0.18, -0.234};
    for (int t = 0; t < 3; t++) {
        grad_is_theta(net);
        ck_assert_int_eq(nn_optim_step(&o, net, 0.1), 0);
        ck_assert_double_eq_tol(net->params[0], theta[t], 1e-12);
        ck_assert_double_eq_tol(o.v[0], vel[t], 1e-12);
    }
    nn_optim_free(&o);
    nn_net_free(net);
}
END_TEST

START_TEST(test_nesterov_three_steps)
{
    /* φ = θ + αv held by the net; v ← αv − ε∇L(φ); φ ← φ + αv − ε∇L(φ):
     * φ1 = 0.81, φ2 = 0.5751, φ3 = 0.327321 (ε = 0.1, α = 0.9, φ0 = 1) */
    nn_net *net = tiny();
    nn_optim o = {.kind = NN_OPT_NESTEROV, .lr = 0.1, .momentum = 0.9};
    nn_optim_init(&o, net);
    const double phi[3] = {0.81, 0.5751, 0.327321};
    /* and the same from Sutskever's form: v ← αv − ε∇f(θ + αv); θ ← θ + v */
    double th = 1.0, v = 0.0;
    for (int t = 0; t < 3; t++) {
        grad_is_theta(net);
        ck_assert_int_eq(nn_optim_step(&o, net, 0.1), 0);
        ck_assert_double_eq_tol(net->params[0], phi[t], 1e-12);
        v = 0.9 * v - 0.1 * (th + 0.9 * v);
        th += v;
        ck_assert_double_eq_tol(net->params[0], th + 0.9 * v, 1e-12);
    }
    nn_optim_free(&o);
    nn_net_free(net);
}
END_TEST

START_TEST(test_adam_three_steps)
{
    /* Kingma & Ba's algorithm 1 with β₁ 0.9, β₂ 0.999, δ 1e-8, ε 0.1 on f = ½θ², written out here in
     * double; its first step moves every parameter by ε·g/(|g| + δ) ≈ ε in the direction of −g
     * whatever the gradient's size, and the same run with every gradient ×1000 takes the same steps */
    for (int scaled = 0; scaled < 2; scaled++) {
        nn_net *net = tiny();
        nn_optim o = {.kind = NN_OPT_ADAM, .lr = 0.1};
        nn_optim_init(&o, net);
        double th[2] = {1.0, 0.5}, m[2] = {0, 0}, s[2] = {0, 0}, k = scaled ? 1000 : 1;
        for (int t = 1; t <= 3; t++) {
            for (size_t q = 0; q < net->n_params; q++) net->grads[q] = (nn_real)(k * net->params[q]);
            ck_assert_int_eq(nn_optim_step(&o, net, 0.1), 0);
            for (int q = 0; q < 2; q++) {
                double g = k * th[q];
                m[q] = 0.9 * m[q] + 0.1 * g, s[q] = 0.999 * s[q] + 0.001 * g * g;
                th[q] -= 0.1 * (m[q] / (1 - pow(0.9, t))) / (sqrt(s[q] / (1 - pow(0.999, t))) + 1e-8);
                ck_assert_double_eq_tol(net->params[q], th[q], 1e-12);
            }
            if (t == 1) {
                ck_assert_double_eq_tol(net->params[0], 0.9, 1e-6);
                ck_assert_double_eq_tol(net->params[1], 0.4, 1e-6);
            }
        }
        ck_assert_int_eq(o.t, 3);
        nn_optim_reset(&o);
        ck_assert_int_eq(o.t, 0);
        ck_assert(o.s[0] == 0 && o.v[0] == 0);
        nn_optim_free(&o);
        nn_net_free(net);
    }
}
END_TEST

START_TEST(test_adaptive_clipping)
{
    /* Brock et al.'s AGC on 3 → 2 → 2: each hidden unit's gradient row is cut to λ·max(‖W_i‖, 1e-3) when longer;
     * the output layer is left alone */
    nn_net *net = nn_net_new(3);
    int h = nn_net_dense(net, 2, 1, (nn_init){NN_INIT_CONST, 1.0}, (nn_init){NN_INIT_ZERO, 1});
    nn_net_act(net, NN_TANH);
    int o = nn_net_dense(net, 2, 1, (nn_init){NN_INIT_CONST, 1.0}, (nn_init){NN_INIT_ZERO, 1});
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1);
    ck_assert_int_eq(nn_net_finalize(net, 1, 1), 0);
    nn_layer *H = &net->layers[h], *O = &net->layers[o];
    const double w0[6] = {3, 0, 4, 0, 0, 0}, g0[6] = {30, 40, 0, 0.001, 0.002, 0.002};
    for (int k = 0; k < 6; k++) H->W[k] = (nn_real)w0[k], H->dW[k] = (nn_real)g0[k];
    for (int k = 0; k < 4; k++) O->dW[k] = 100;
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = 0, .clip_agc = 0.1};
    nn_optim_init(&opt, net);
    ck_assert_int_eq(nn_optim_step(&opt, net, 0), 0);
    /* row 0: ‖W‖ = 5, ‖G‖ = 50 → cut to 0.5, the direction kept; row 1: ‖W‖ = 0 → floor 1e-3, cap 1e-4, ‖G‖ = 3e-3 */
    ck_assert_double_eq_tol(H->dW[0], 0.3, 1e-9);
    ck_assert_double_eq_tol(H->dW[1], 0.4, 1e-9);
    ck_assert_double_eq_tol(H->dW[2], 0.0, 1e-12);
    double n1 = sqrt((double)H->dW[3] * H->dW[3] + (double)H->dW[4] * H->dW[4] + (double)H->dW[5] * H->dW[5]);
    ck_assert_double_eq_tol(n1, 1e-4, 1e-12);
    ck_assert_double_eq_tol(H->dW[3] / n1, 1.0 / 3, 1e-9);
    for (int k = 0; k < 4; k++) ck_assert(O->dW[k] == 100);
    ck_assert_int_eq(opt.last_clipped, 1);
    /* a row under its cap is untouched */
    for (int k = 0; k < 6; k++) H->W[k] = (nn_real)w0[k], H->dW[k] = (nn_real)(0.01 * w0[k]);
    opt.last_clipped = 0;
    ck_assert_int_eq(nn_optim_step(&opt, net, 0), 0);
    ck_assert_double_eq_tol(H->dW[0], 0.03, 1e-12);
    nn_optim_free(&opt);
    nn_net_free(net);
}
END_TEST

START_TEST(test_sgd_l2_decays_weights_only)
{
    /* zero loss gradient: θ ← (1 − ηλ)θ for weights; biases untouched */
    nn_net *net = tiny();
    nn_optim o = {.kind = NN_OPT_SGD, .lr = 0.1, .l2 = 0.5};
    nn_optim_init(&o, net);
    nn_net_zero_grad(net);
    nn_optim_step(&o, net, 0.1);
    ck_assert_double_eq_tol(net->params[0], 0.95, 1e-12); /* W: 1 · (1 − 0.05) */
    ck_assert_double_eq_tol(net->params[1], 0.5, 1e-12);  /* b */
    /* with a gradient: θ ← (1 − ηλ)θ − η g */
    net->grads[0] = 2.0, net->grads[1] = 1.0;
    nn_optim_step(&o, net, 0.1);
    ck_assert_double_eq_tol(net->params[0], 0.95 * 0.95 - 0.2, 1e-12);
    ck_assert_double_eq_tol(net->params[1], 0.4, 1e-12);
    nn_optim_free(&o);
    nn_net_free(net);
}
END_TEST

/* L2 decays weights only, by the tensors' names rather than their decay flag: batch norm's γ and β and every bias
 * keep their values under a step with no loss gradient (the test above has one dense layer, so γ and β decayed by
 * mistake would pass it) */
START_TEST(test_l2_leaves_gamma_beta_and_biases)
{
    nn_mlp_spec s = {.n_input = 4, .n_output = 3, .n_hidden = 2, .hidden = {5, 5}, .act = {NN_RELU, NN_RELU},
                     .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_HE_NORMAL, 1},
                     .b_init = {NN_INIT_NORMAL_FANIN, 1}, .batchnorm = 1, .bn_eps = 1e-5, .bn_momentum = 0.1};
    nn_net *net = nn_mlp_build(&s, 4, 3);
    for (size_t k = 0; k < net->n_params; k++) net->params[k] = (nn_real)(0.5 + 0.01 * (double)k); /* γ, β, b all nonzero */
    nn_real *before = malloc(net->n_params * sizeof *before);
    memcpy(before, net->params, net->n_params * sizeof *before);
    nn_optim o = {.kind = NN_OPT_SGD, .lr = 0.1, .l2 = 0.5};
    nn_optim_init(&o, net);
    nn_net_zero_grad(net);
    nn_optim_step(&o, net, 0.1);
    int weights = 0, others = 0;
    for (int t = 0; t < net->n_tensors; t++) {
        const nn_tensor *T = &net->tensors[t];
        const size_t L = strlen(T->name);
        const int is_weight = L > 2 && !strcmp(T->name + L - 2, ".W");
        weights += is_weight, others += !is_weight;
        for (size_t k = 0; k < T->size; k++) {
            const double b = before[T->offset + k], a = net->params[T->offset + k];
            ck_assert_msg(fabs(a - (is_weight ? 0.95 * b : b)) < 1e-6, "%s[%zu]: %g became %g under L2 with no gradient", T->name,
                          k, b, a);
        }
    }
    ck_assert_int_eq(weights, 3);
    ck_assert_int_ge(others, 5); /* two γ, two β, the output's bias */
    free(before);
    nn_optim_free(&o);
    nn_net_free(net);
}
END_TEST

START_TEST(test_clipping)
{
    nn_net *net = tiny();
    nn_optim o = {.kind = NN_OPT_SGD, .lr = 1.0, .clip_norm = 1.0};
    nn_optim plain = {.kind = NN_OPT_SGD, .lr = 1.0};
    nn_optim_init(&plain, net);
    net->grads[0] = 3, net->grads[1] = 4;
    nn_optim_step(&plain, net, 0.0);
    ck_assert(isnan(plain.last_grad_norm)); /* not measured unless asked */
    plain.track_norm = 1;
    net->grads[0] = 3, net->grads[1] = 4;
    nn_optim_step(&plain, net, 0.0);
    ck_assert_double_eq_tol(plain.last_grad_norm, 5.0, 1e-12);
    nn_optim_free(&plain);
    nn_optim_init(&o, net);
    net->params[0] = 0, net->params[1] = 0;
    net->grads[0] = 3, net->grads[1] = 4; /* ‖g‖ = 5 → scaled to 1 */
    nn_optim_step(&o, net, 1.0);
    ck_assert_double_eq_tol(o.last_grad_norm, 5.0, 1e-12);
    ck_assert_int_eq(o.last_clipped, 1);
    ck_assert_double_eq_tol(net->params[0], -0.6, 1e-12);
    ck_assert_double_eq_tol(net->params[1], -0.8, 1e-12);
    /* below the threshold nothing changes */
    net->grads[0] = 0.3, net->grads[1] = 0.4;
    nn_optim_step(&o, net, 1.0);
    ck_assert_int_eq(o.last_clipped, 0);
    ck_assert_double_eq_tol(net->params[0], -0.9, 1e-12);
    /* by value */
    nn_optim v = {.kind = NN_OPT_SGD, .lr = 1.0, .clip_value = 0.5};
    nn_optim_init(&v, net);
    net->params[0] = 0, net->params[1] = 0;
    net->grads[0] = 3, net->grads[1] = -0.2;
    nn_optim_step(&v, net, 1.0);
    ck_assert_double_eq_tol(net->params[0], -0.5, 1e-12);
    ck_assert_double_eq_tol(net->params[1], 0.2, 1e-12);
    /* a large negative gradient is clipped to −c, not +c */
    net->grads[0] = -3, net->grads[1] = 0.1;
    nn_optim_step(&v, net, 1.0);
    ck_assert_double_eq_tol(net->params[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(net->params[1], 0.1, 1e-12);
    nn_optim_free(&o);
    nn_optim_free(&v);
    nn_net_free(net);
}
END_TEST

START_TEST(test_schedule_and_divergence)
{
    nn_optim o = {.lr = 0.5, .sched = NN_SCHED_STEP, .step_epochs = 10, .gamma = 0.1};
    ck_assert_double_eq_tol(nn_optim_lr_at(&o, 0), 0.5, 1e-15);
    ck_assert_double_eq_tol(nn_optim_lr_at(&o, 9), 0.5, 1e-15);
    ck_assert_double_eq_tol(nn_optim_lr_at(&o, 10), 0.05, 1e-15);
    ck_assert_double_eq_tol(nn_optim_lr_at(&o, 25), 0.005, 1e-15);
    o.sched = NN_SCHED_CONSTANT;
    ck_assert_double_eq_tol(nn_optim_lr_at(&o, 25), 0.5, 1e-15);
    nn_net *net = tiny();
    nn_optim s = {.kind = NN_OPT_SGD, .lr = 1};
    nn_optim_init(&s, net);
    net->grads[0] = -INFINITY;
    ck_assert_int_eq(nn_optim_step(&s, net, 1.0), -1);
    ck_assert_int_eq(nn_net_params_finite(net), 0);
    nn_optim_free(&s);
    nn_net_free(net);
}
END_TEST

Suite *suite_optim(void)
{
    Suite *s = suite_create("optim");
    TCase *tc = tcase_create("updates");
    tcase_add_test(tc, test_momentum_three_steps);
    tcase_add_test(tc, test_nesterov_three_steps);
    tcase_add_test(tc, test_adam_three_steps);
    tcase_add_test(tc, test_adaptive_clipping);
    tcase_add_test(tc, test_sgd_l2_decays_weights_only);
    tcase_add_test(tc, test_l2_leaves_gamma_beta_and_biases);
    tcase_add_test(tc, test_clipping);
    tcase_add_test(tc, test_schedule_and_divergence);
    suite_add_tcase(s, tc);
    return s;
}
