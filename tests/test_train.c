/* test_train.c — end to end learning, divergence, and no allocation in a step. */
#include "nn_test.h"

#include <math.h>

START_TEST(test_spirals_learned)
{
    /* two interleaved spirals: a small tanh net reaches ≥ 95 % test accuracy */
    nn_split d;
    nn_data_opts o = {.seed = 3, .synth_n = 1000};
    ck_assert_int_eq(nn_data_load("spirals", &o, &d), 0);
    nn_mlp_spec s = {.n_input = 2, .n_output = 2, .n_hidden = 2, .hidden = {32, 32}, .act = {NN_TANH, NN_TANH},
                     .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL_FANIN, 1},
                     .b_init = {NN_INIT_NORMAL, 1}};
    nn_net *net = nn_mlp_build(&s, 10, 1);
    nn_optim opt = {.kind = NN_OPT_MOMENTUM, .lr = 0.03, .momentum = 0.9};
    nn_optim_init(&opt, net);
    nn_train_cfg tc = {.epochs = 60, .batch = 10, .seed = 1, .eval_train = 1};
    nn_history h;
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), 0);
    ck_assert_int_eq(h.diverged, 0);
    ck_assert_int_eq(h.n_epochs, 60);
    double acc = h.ep[59].test_acc;
    ck_assert_msg(acc >= 0.95, "spirals test accuracy %.3f < 0.95", acc);
    ck_assert(h.ep[59].train_loss < h.ep[0].train_loss);
    nn_history_free(&h);
    /* skip_test: the same training without the per-epoch test evaluation (a run that measures its own way):
     * no test numbers, and the training itself untouched by the evaluation */
    nn_net_reinit(net, 1);
    nn_optim_free(&opt);
    nn_optim_init(&opt, net);
    nn_history h2;
    tc.epochs = 2, tc.skip_test = 1;
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h2), 0);
    ck_assert_msg(isnan(h2.ep[0].test_acc) && isnan(h2.ep[1].test_loss), "skip_test measured the test set");
    ck_assert(isfinite(h2.ep[1].train_acc));
    nn_history_free(&h2);
    nn_optim_free(&opt);
    nn_net_free(net);
    nn_split_free(&d);
}
END_TEST

START_TEST(test_divergence_stops_the_run)
{
    /* linear units, quadratic loss, a learning rate far too high: weights blow up */
    nn_split d;
    nn_data_opts o = {.seed = 1, .synth_n = 200};
    ck_assert_int_eq(nn_data_load("blobs", &o, &d), 0);
    nn_mlp_spec s = {.n_input = 2, .n_output = 4, .n_hidden = 2, .hidden = {16, 16}, .act = {NN_LINEAR, NN_LINEAR},
                     .out_act = NN_LINEAR, .loss = NN_LOSS_QUADRATIC, .w_init = {NN_INIT_NORMAL, 1},
                     .b_init = {NN_INIT_ZERO, 0}};
    nn_net *net = nn_mlp_build(&s, 10, 1);
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = 50};
    nn_optim_init(&opt, net);
    nn_train_cfg tc = {.epochs = 50, .batch = 10, .seed = 1};
    nn_history h;
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), 0);
    ck_assert_int_eq(h.diverged, 1);
    ck_assert_int_ge(h.div_epoch, 1);
    ck_assert_int_ge(h.div_step, 1);
    ck_assert(strcmp(h.div_what, "loss") == 0 || strcmp(h.div_what, "parameters") == 0);
    ck_assert_int_lt(h.n_epochs, 50); /* not silently continued */
    nn_history_free(&h);
    nn_optim_free(&opt);
    nn_net_free(net);
    nn_split_free(&d);
}
END_TEST

START_TEST(test_step_allocates_nothing)
{
    nn_mlp_spec s = {.n_input = 2, .n_output = 4, .n_hidden = 3, .hidden = {8, 8, 8},
                     .act = {NN_RELU, NN_TANH, NN_SIGMOID}, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .w_init = {NN_INIT_HE_NORMAL, 1}, .b_init = {NN_INIT_ZERO, 0}, .batchnorm = 1, .bn_eps = 1e-5,
                     .bn_momentum = 0.1, .dropout = 0.2, .residual = 1, .n_heads = 1, .head_at = {2}, .head_alpha = 0.3};
    nn_net *net = nn_mlp_build(&s, 16, 1);
    nn_optim opt = {.kind = NN_OPT_NESTEROV, .lr = 0.1, .momentum = 0.9, .l2 = 1e-3, .clip_norm = 1};
    nn_optim_init(&opt, net);
    nn_real X[32];
    int y[16];
    for (int i = 0; i < 32; i++) X[i] = 0.1 * i;
    for (int i = 0; i < 16; i++) y[i] = i % 4;
    long before = nn_test_allocs;
    nn_test_steps(net, &opt, X, y, 16, 20);
    ck_assert_int_eq(nn_test_allocs - before, 0);
    /* the whole loop: allocation count does not grow with the number of steps */
    nn_split d;
    nn_data_opts o = {.seed = 1, .synth_n = 320};
    nn_data_load("blobs", &o, &d);
    nn_history h;
    long counts[2];
    for (int k = 0; k < 2; k++) {
        nn_train_cfg tc = {.epochs = 1 + 4 * k, .batch = 16, .seed = 1};
        before = nn_test_allocs;
        ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), 0);
        counts[k] = nn_test_allocs - before;
        nn_history_free(&h);
    }
    ck_assert_int_eq(counts[0], counts[1]);
    nn_split_free(&d);
    nn_optim_free(&opt);
    nn_net_free(net);
}
END_TEST

START_TEST(test_bad_training_config)
{
    nn_split d;
    nn_data_opts o = {.seed = 1, .synth_n = 50};
    nn_data_load("spirals", &o, &d);
    nn_mlp_spec s = {.n_input = 2, .n_output = 2, .n_hidden = 0, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                     .w_init = {NN_INIT_ZERO, 0}, .b_init = {NN_INIT_ZERO, 0}};
    nn_net *net = nn_mlp_build(&s, 8, 1);
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = 0.1};
    nn_optim_init(&opt, net);
    nn_history h;
    nn_train_cfg tc = {.epochs = 1, .batch = 9, .seed = 1};
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "exceeds the network's max_batch 8"));
    nn_optim_free(&opt);
    nn_net_free(net);
    nn_split_free(&d);
}
END_TEST

/* Batch norm and a last mini-batch of one sample (11 samples, batch 10): that sample is left out of the epoch
 * instead of an abort on its undefined batch variance; a mini-batch size of 1 is refused with a message. */
START_TEST(test_batchnorm_last_batch_of_one)
{
    nn_split d;
    nn_data_opts o = {.seed = 1, .synth_n = 11};
    nn_data_load("spirals", &o, &d);
    ck_assert_int_eq(d.train.n, 11);
    nn_mlp_spec s = {.n_input = 2, .n_output = 2, .n_hidden = 1, .hidden = {8}, .act = {NN_TANH}, .out_act = NN_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL_FANIN, 1}, .b_init = {NN_INIT_ZERO, 0},
                     .batchnorm = 1, .bn_eps = 1e-5, .bn_momentum = 0.1};
    nn_net *net = nn_mlp_build(&s, 10, 1);
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = 0.1};
    nn_optim_init(&opt, net);
    nn_history h;
    nn_train_cfg tc = {.epochs = 3, .batch = 10, .seed = 1};
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), 0);
    ck_assert_int_eq(h.steps, 3); /* one step of 10 per epoch */
    ck_assert(!h.diverged && isfinite(h.ep[2].train_loss));
    nn_history_free(&h);
    tc.batch = 1;
    ck_assert_int_eq(nn_train(net, &opt, &d.train, &d.test, &tc, &h), -1);
    ck_assert_ptr_nonnull(strstr(nn_error(), "batch norm needs mini-batches of at least 2 samples"));
    /* 12 samples: the last mini-batch holds 2, every sample is used */
    nn_split d12;
    nn_data_opts o12 = {.seed = 1, .synth_n = 12};
    nn_data_load("spirals", &o12, &d12);
    tc.batch = 10;
    ck_assert_int_eq(nn_train(net, &opt, &d12.train, &d12.test, &tc, &h), 0);
    ck_assert_int_eq(h.steps, 6);
    nn_history_free(&h);
    nn_optim_free(&opt);
    nn_net_free(net);
    nn_split_free(&d), nn_split_free(&d12);
}
END_TEST

START_TEST(test_dropout_scale_any_rate)
{
    /* inverted dropout at p = 0.2 (not 0.5, where 1/p = 1/(1 − p)): each unit is 0 or its input / 0.8,
     * and about a fifth are 0 */
    nn_mlp_spec s = {.n_input = 4, .n_output = 2, .n_hidden = 1, .hidden = {100}, .act = {NN_LINEAR}, .out_act = NN_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL_FANIN, 1}, .b_init = {NN_INIT_NORMAL, 1},
                     .dropout = 0.2};
    nn_net *net = nn_mlp_build(&s, 20, 7);
    nn_real X[80];
    for (int i = 0; i < 80; i++) X[i] = (nn_real)(0.1 * (i % 13) - 0.4);
    nn_net_forward(net, X, 20, NN_TRAIN);
    int found = 0, zero = 0, kept = 0;
    for (int l = 0; l < net->n_layers; l++) {
        const nn_layer *L = &net->layers[l];
        if (L->kind != NN_L_DROPOUT) continue;
        found = 1;
        const nn_real *in = net->layers[L->in].out;
        for (int i = 0; i < 20 * L->n; i++) {
            if (L->out[i] == 0 && in[i] != 0) zero++;
            else {
                ck_assert_msg(fabs(L->out[i] - in[i] / 0.8) <= 1e-12 * (1 + fabs(in[i])), "kept unit %d: %g, input %g / 0.8 = %g",
                              i, (double)L->out[i], (double)in[i], (double)(in[i] / 0.8));
                kept++;
            }
        }
    }
    ck_assert(found);
    double frac = (double)zero / (zero + kept);
    ck_assert_msg(frac > 0.15 && frac < 0.25, "dropped %.3f of the units, expected about 0.2", frac);
    nn_net_forward(net, X, 20, NN_EVAL); /* evaluation: the identity */
    for (int l = 0; l < net->n_layers; l++)
        if (net->layers[l].kind == NN_L_DROPOUT)
            for (int i = 0; i < 20 * net->layers[l].n; i++)
                ck_assert(net->layers[l].out[i] == net->layers[net->layers[l].in].out[i]);
    nn_net_free(net);
}
END_TEST

/* spirals, a small tanh net: parameters after `epochs` epochs of training with the optimizer o */
static nn_real *train_params(nn_optim o, int epochs, double dropout, int bn, int check_eval, size_t *n_params)
{
    nn_split d;
    nn_data_opts dopt = {.seed = 2, .synth_n = 200};
    nn_data_load("spirals", &dopt, &d);
    nn_mlp_spec s = {.n_input = 2, .n_output = 2, .n_hidden = 1, .hidden = {16}, .act = {NN_TANH}, .out_act = NN_SOFTMAX,
                     .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL_FANIN, 1}, .b_init = {NN_INIT_ZERO, 0},
                     .dropout = dropout, .batchnorm = bn, .bn_eps = 1e-5, .bn_momentum = 0.1};
    nn_net *net = nn_mlp_build(&s, 10, 3);
    nn_optim_init(&o, net);
    nn_train_cfg tc = {.epochs = epochs, .batch = 10, .seed = 5};
    nn_history h;
    ck_assert_int_eq(nn_train(net, &o, &d.train, &d.test, &tc, &h), 0);
    nn_real *p = malloc(net->n_params * sizeof(nn_real));
    memcpy(p, net->params, net->n_params * sizeof(nn_real));
    *n_params = net->n_params;
    if (check_eval) { /* the test accuracy of the last epoch, and the same set evaluated now in evaluation mode */
        double acc;
        nn_evaluate(net, &d.test, 0, NN_EVAL, NULL, &acc);
        ck_assert_msg(acc == h.ep[h.n_epochs - 1].test_acc, "the history's test accuracy %.6f is not the evaluation-mode "
                      "accuracy %.6f of the same net", h.ep[h.n_epochs - 1].test_acc, acc);
    }
    nn_history_free(&h);
    nn_optim_free(&o);
    nn_net_free(net);
    nn_split_free(&d);
    return p;
}

START_TEST(test_step_schedule_applies)
{
    /* a step schedule that divides the rate by 10^9 after the first epoch: three epochs end where one
     * ends (to 1e-6), while the constant rate keeps moving the parameters */
    nn_optim step = {.kind = NN_OPT_SGD, .lr = 0.1, .sched = NN_SCHED_STEP, .step_epochs = 1, .gamma = 1e-9};
    size_t n;
    nn_real *one = train_params(step, 1, 0, 0, 0, &n), *three = train_params(step, 3, 0, 0, 0, &n);
    nn_optim flat = {.kind = NN_OPT_SGD, .lr = 0.1};
    nn_real *three_flat = train_params(flat, 3, 0, 0, 0, &n);
    double d_step = 0, d_flat = 0;
    for (size_t i = 0; i < n; i++)
        d_step = fmax(d_step, fabs(three[i] - one[i])), d_flat = fmax(d_flat, fabs(three_flat[i] - one[i]));
    ck_assert_msg(d_step < 1e-6, "with the rate cut 10^9-fold after epoch 1, epochs 2-3 still moved a parameter by %g", d_step);
    ck_assert_msg(d_flat > 1e-2, "the constant rate moved the parameters by only %g in epochs 2-3", d_flat);
    free(one), free(three), free(three_flat);
}
END_TEST

START_TEST(test_test_accuracy_in_evaluation_mode)
{
    /* with dropout and batch norm, the history's test accuracy is the evaluation-mode accuracy (running
     * statistics, no dropout) of the trained net: train_params compares the two */
    size_t n;
    nn_optim o = {.kind = NN_OPT_SGD, .lr = 0.1};
    free(train_params(o, 2, 0.5, 1, 1, &n));
}
END_TEST

Suite *suite_train(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("loop");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_spirals_learned);
    tcase_add_test(tc, test_divergence_stops_the_run);
    tcase_add_test(tc, test_step_allocates_nothing);
    tcase_add_test(tc, test_bad_training_config);
    tcase_add_test(tc, test_batchnorm_last_batch_of_one);
    tcase_add_test(tc, test_dropout_scale_any_rate);
    tcase_add_test(tc, test_step_schedule_applies);
    tcase_add_test(tc, test_test_accuracy_in_evaluation_mode);
    suite_add_tcase(s, tc);
    return s;
}
