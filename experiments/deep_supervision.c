/* deep_supervision — auxiliary classifiers on hidden layers (seed 004; Lee et al. 2015).
 *
 * A deep sigmoid net gets an auxiliary softmax head on every hidden layer and trains on
 * L + Σ_j α_j l_j, where l_j is head j's cross-entropy and α_j decays linearly to 0 over
 * training (so at the end only the main loss L counts). Each head's gradient adds into
 * the trunk at its layer, so early layers receive an error signal that has not passed
 * through every layer above them. Compared with the same net without heads: per epoch,
 * the mean |∂/∂W| of each layer — of the whole objective being trained, and, kept apart,
 * of the main loss L alone — and test accuracy.
 *
 * The arms (config "arms") are the nets compared: the lecture's deep sigmoid net, whose
 * plain version stays at chance (that failure is a claim of its own), and a ReLU net
 * whose plain version trains, where the comparison with heads is fair.
 *
 * Settings: experiments/deep_supervision.json (every key: bin/deep_supervision --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    double decay_epochs; /* α reaches 0 after this many epochs (0 = the whole run) */
} settings;

typedef struct probe {
    int n_dense;            /* hidden dense layers + the output layer */
    int dense[NN_MAX_HIDDEN + 1];
    double *sum, *main_sum; /* (epochs, n_dense) sums of mean |dW| over the epoch's steps: objective, main loss */
    long *steps;            /* (epochs) */
    nn_real *saved;         /* the objective's gradients while the main loss's own are measured */
    double alpha0;
    long decay_steps;
} probe;

static int before_update(nn_train_ctx *ctx, void *user)
{
    probe *p = user;
    nn_net *net = ctx->net;
    int e = ctx->epoch - 1;
    for (int l = 0; l < p->n_dense; l++) {
        nn_grad_stats g;
        nn_stats_grad(net, p->dense[l], &g);
        p->sum[e * p->n_dense + l] += g.w_mean_abs;
    }
    if (net->n_outputs > 1) { /* the main loss's own gradient: the heads' weights set to 0 for one more backward */
        memcpy(p->saved, net->grads, net->n_params * sizeof(nn_real));
        double w[NN_MAX_OUTPUTS];
        for (int j = 1; j < net->n_outputs; j++) w[j] = net->outputs[j].weight, net->outputs[j].weight = 0;
        nn_net_loss(net, net->Y, 1);
        nn_net_zero_grad(net);
        nn_net_backward(net);
        for (int l = 0; l < p->n_dense; l++) {
            nn_grad_stats g;
            nn_stats_grad(net, p->dense[l], &g);
            p->main_sum[e * p->n_dense + l] += g.w_mean_abs;
        }
        for (int j = 1; j < net->n_outputs; j++) net->outputs[j].weight = w[j];
        memcpy(net->grads, p->saved, net->n_params * sizeof(nn_real));
    } else {
        for (int l = 0; l < p->n_dense; l++) p->main_sum[e * p->n_dense + l] = p->sum[e * p->n_dense + l];
    }
    p->steps[e]++;
    return 0;
}

static int after_update(nn_train_ctx *ctx, void *user)
{
    probe *p = user;
    /* α_j for the next step: linear decay from α0 to 0 */
    double f = p->decay_steps > 0 ? 1.0 - (double)ctx->global_step / (double)p->decay_steps : 0;
    double a = p->alpha0 * (f > 0 ? f : 0);
    for (int j = 1; j < ctx->net->n_outputs; j++) ctx->net->outputs[j].weight = a;
    return 0;
}

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{NULL, NULL}}; /* every network key reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"decay_epochs", NN_CFG_REAL, &s->decay_epochs, 0, 1e6, NULL, NULL, 0, 0,
                            "epochs over which α decays linearly to 0 (0 = the whole run)"};
    return n;
}

static const nn_exp_def def = {"deep_supervision", "A deep sigmoid net with and without auxiliary heads on every hidden layer.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* One net of an arm (with or without heads) over the seeds: per-seed layer-1 gradients in
 * epoch 1 (objective and main loss) and final test accuracy; the summaries go into `ao`. */
typedef struct variant_out {
    double *l1_obj, *l1_main, *final_acc; /* per seed */
} variant_out;

static int run_variant(nn_exp *e, const settings *as, const nn_mlp_spec *sp, const nn_optim *opt, const char *arm, int v,
                       cJSON *ao, variant_out *out)
{
    static const char *const names[2] = {"plain", "heads"};
    const int S = e->S, E = as->net.epochs, K = sp->n_hidden;
    const long per_epoch = (e->data.train.n + as->net.batch - 1) / as->net.batch;
    nn_history *h = nn_exp_alloc(e, (size_t)S, sizeof *h);
    /* [seed·(K+1) + layer][epoch], objective and main loss */
    double **obj = nn_exp_alloc(e, (size_t)S * (K + 1), sizeof(double *)), **mainl = nn_exp_alloc(e, (size_t)S * (K + 1), sizeof(double *));
    out->l1_obj = nn_exp_vec(e), out->l1_main = nn_exp_vec(e);
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)e->seeds[r];
        nn_net *net = nn_mlp_build(sp, as->net.batch, seed);
        nn_optim o = *opt;
        o.v = NULL;
        nn_optim_init(&o, net);
        probe p = {.n_dense = K + 1, .alpha0 = as->net.head_alpha,
                   .decay_steps = (long)((as->decay_epochs > 0 ? as->decay_epochs : E) * per_epoch)};
        for (int l = 0; l < K; l++) p.dense[l] = net->hidden_dense[l];
        p.dense[K] = net->out_dense;
        p.sum = nn_calloc((size_t)E * (K + 1), sizeof(double));
        p.main_sum = nn_calloc((size_t)E * (K + 1), sizeof(double));
        p.steps = nn_calloc((size_t)E, sizeof(long));
        p.saved = nn_calloc(net->n_params, sizeof(nn_real));
        const char *label = nn_exp_str(e, "%s %s seed %llu", arm, names[v], (unsigned long long)seed);
        nn_train_cfg tc = {.epochs = E, .batch = as->net.batch, .seed = seed, .before_update = before_update,
                           .after_update = after_update, .user = &p, .label = label, .progress = 1};
        nn_train(net, &o, &e->data.train, &e->data.test, &tc, &h[r]);
        cJSON *run = nn_exp_add_run(e, arm, nn_exp_str(e, "%s-%s", arm, names[v]), seed, &h[r]);
        cJSON *ga = cJSON_AddArrayToObject(run, "mean_abs_grad_per_layer"), *gm = cJSON_AddArrayToObject(run, "main_loss_grad_per_layer");
        for (int l = 0; l <= K; l++) {
            double *a = obj[r * (K + 1) + l] = nn_exp_alloc(e, (size_t)E, sizeof(double));
            double *b = mainl[r * (K + 1) + l] = nn_exp_alloc(e, (size_t)E, sizeof(double));
            for (int ep = 0; ep < E; ep++) {
                a[ep] = p.steps[ep] ? p.sum[ep * (K + 1) + l] / p.steps[ep] : NAN;
                b[ep] = p.steps[ep] ? p.main_sum[ep * (K + 1) + l] / p.steps[ep] : NAN;
            }
            cJSON_AddItemToArray(ga, nn_json_series(a, E));
            cJSON_AddItemToArray(gm, nn_json_series(b, E));
        }
        out->l1_obj[r] = obj[r * (K + 1)][0], out->l1_main[r] = mainl[r * (K + 1)][0];
        if (h[r].diverged) nn_exp_say(e, "%s diverged at epoch %d, step %ld", label, h[r].div_epoch, h[r].div_step);
        free(p.sum), free(p.main_sum), free(p.steps), free(p.saved);
        nn_optim_free(&o);
        nn_net_free(net);
    }
    out->final_acc = nn_exp_final_vec(e, h, offsetof(nn_epoch, test_acc), 100);
    cJSON *vo = cJSON_AddObjectToObject(ao, names[v]);
    cJSON *gl = cJSON_AddArrayToObject(vo, "mean_abs_grad");
    double first[NN_MAX_HIDDEN + 1], last[NN_MAX_HIDDEN + 1], mfirst[NN_MAX_HIDDEN + 1], sd;
    double *col = nn_exp_vec(e);
    double **rows = nn_exp_alloc(e, (size_t)S, sizeof(double *));
    for (int l = 0; l <= K; l++) {
        for (int r = 0; r < S; r++) rows[r] = obj[r * (K + 1) + l];
        cJSON_AddItemToArray(gl, nn_json_mean_std(rows, S, E));
        for (int r = 0; r < S; r++) col[r] = rows[r][0];
        nn_mean_std(col, S, &first[l], &sd);
        for (int r = 0; r < S; r++) col[r] = rows[r][E - 1];
        nn_mean_std(col, S, &last[l], &sd);
        for (int r = 0; r < S; r++) col[r] = mainl[r * (K + 1) + l][0];
        nn_mean_std(col, S, &mfirst[l], &sd);
    }
    cJSON_AddItemToObject(vo, "first_epoch", nn_json_series(first, K + 1));
    cJSON_AddItemToObject(vo, "last_epoch", nn_json_series(last, K + 1));
    cJSON_AddItemToObject(vo, "main_loss_first_epoch", nn_json_series(mfirst, K + 1));
    cJSON_AddItemToObject(vo, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
    double m;
    int k = nn_mean_std_n(out->final_acc, S, &m, &sd);
    cJSON_AddItemToObject(vo, "final_test_acc", nn_json_num(m));
    cJSON_AddItemToObject(vo, "final_test_acc_std", nn_json_num(sd));
    cJSON_AddNumberToObject(vo, "seeds_averaged", k);
    nn_exp_say(e, "%s, %-5s: layer-1 mean |dW| in epoch 1 = %.3g (main loss alone %.3g), final test accuracy %.2f %% over %d of %d seeds",
               arm, names[v], first[0], mfirst[0], m, k, S);
    for (int r = 0; r < S; r++) nn_history_free(&h[r]);
    return 0;
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    const int S = e.S, A = e.n_arms;
    const char *src = "seed 004 (deep supervision, mean |gradient| per layer on MNIST)";
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    cJSON *table = NULL;
    for (int a = 0; a < A; a++) {
        const settings *as = e.arm_set[a];
        const char *arm = e.arm_name[a];
        nn_mlp_spec with;
        nn_optim opt;
        if ((rc = nn_exp_netcfg(&e, &as->net, &with, &opt))) return rc;
        if (with.n_heads == 0) return nn_exp_fail(&e, 2, "arm '%s': 'heads' is empty: nothing to compare", arm);
        nn_mlp_spec plain = with;
        plain.n_heads = 0;
        const int K = with.n_hidden;
        const char *act = nn_act_name(with.act[0]);
        const char *title = nn_exp_str(&e, "%s: %d x %d %s, %s, %s η = %g", arm, K, with.hidden[0], act, as->net.init,
                                       as->net.optimizer, as->net.lr);
        cJSON *ao = cJSON_CreateObject();
        cJSON_AddStringToObject(ao, "name", arm);
        cJSON_AddStringToObject(ao, "title", title);
        cJSON_AddNumberToObject(ao, "hidden_layers", K);
        cJSON_AddItemToArray(arms_out, ao);
        variant_out vo[2];
        run_variant(&e, as, &plain, &opt, arm, 0, ao, &vo[0]);
        run_variant(&e, as, &with, &opt, arm, 1, ao, &vo[1]);
        if (!table) {
            const char *cols[] = {"arm", "net", "layer-1 mean |∂/∂W| of the objective, epoch 1", "of the main loss alone",
                                  "final test accuracy (%)"};
            table = nn_exp_table(&e, nn_exp_str(&e, "Mean |∂/∂W| of the first hidden layer in epoch 1 and final test accuracy "
                                                   "(mean over %d seeds)", S), 5, cols);
        }
        for (int v = 0; v < 2; v++) {
            double g, gm, f, sd;
            nn_mean_std(vo[v].l1_obj, S, &g, &sd);
            nn_mean_std(vo[v].l1_main, S, &gm, &sd);
            int k = nn_mean_std_n(vo[v].final_acc, S, &f, &sd);
            nn_exp_row(table, "sssss", title, v ? "with heads" : "without heads", nn_exp_str(&e, "%.3g", g),
                       nn_exp_str(&e, "%.3g", gm),
                       k < S ? nn_exp_str(&e, "%.2f (%d of %d seeds)", f, k, S) : nn_exp_str(&e, "%.2f", f));
        }
        /* paired by seed; the comparisons need a plain net that trains: a baseline stuck at
         * chance makes any comparison with it say nothing about the heads */
        double *ratio = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) ratio[r] = vo[1].l1_obj[r] / vo[0].l1_obj[r];
        const char *plain_what = nn_exp_str(&e, "the plain %d-layer %s net (no heads)", K, act);
        if (with.act[0] == NN_SIGMOID)
            nn_exp_claim_stalls(&e, nn_exp_str(&e, "plain-deep-sigmoid-stalls[%s]", arm),
                                nn_exp_str(&e, "Without heads, the %d-layer sigmoid net (%s, η = %g, %d epochs) stays at chance: "
                                               "its early layers receive almost no gradient", K, as->net.init, as->net.lr,
                                           as->net.epochs),
                                "seed 004 (deep supervision: the vanishing gradient it addresses)", vo[0].final_acc);
        nn_claim c1 = {.id = nn_exp_str(&e, "heads-feed-first-layer[%s]", arm),
                       .statement = nn_exp_str(&e, "With auxiliary heads the first layer's mean |gradient| of the training "
                                                   "objective is at least 2x larger early in training (epoch 1), %s net",
                                               act),
                       .source = src,
                       .quantity = "layer-1 mean |dW| of the trained objective in epoch 1, heads / plain (same seed)", .op = ">=",
                       .threshold = 2,
                       .rule_note = "The objective's gradient includes the heads' own (Lee et al.'s measure); the main loss's "
                                    "share is recorded beside it."};
        nn_exp_require_trained(&e, &c1, nn_exp_str(&e, "%s leaves chance (lowest test accuracy over seeds, %%)", plain_what),
                               nn_exp_worst(&e, vo[0].final_acc));
        nn_exp_claim_seeds(&e, &c1, ratio);
        /* "no worse" up to what the test set can resolve: two standard errors of the difference
         * between two nets' accuracies p on n_test images, 2·sqrt(2p(1 − p)/n) (p: the plain net's
         * mean; about 1.4 points at 95 % on 1,994 images) */
        double pm, psd;
        nn_mean_std(vo[0].final_acc, S, &pm, &psd);
        const double p = fmin(fmax(pm / 100, 0.01), 0.99), tol = 100 * 2 * sqrt(2 * p * (1 - p) / e.data.test.n);
        nn_claim c2 = {.id = nn_exp_str(&e, "heads-no-worse[%s]", arm),
                       .statement = nn_exp_str(&e, "Final test accuracy with heads is no worse than without, %s net (by no more "
                                                   "than the %d test images resolve: %.2f points)", act, e.data.test.n, tol),
                       .source = "seed 004; Lee et al. 2015", .quantity = "final test accuracy, heads minus plain (same seed), points",
                       .op = ">=", .threshold = -tol,
                       .rule_note = "The tolerance is two standard errors of a difference of two accuracies p on n test images, "
                                    "2 sqrt(2p(1 - p)/n), with p the plain net's mean accuracy: a smaller difference is within "
                                    "the test set's sampling noise."};
        nn_exp_claim_gain(&e, &c2, vo[1].final_acc, vo[0].final_acc, plain_what);
    }
    return nn_exp_finish(&e);
}
