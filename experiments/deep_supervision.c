/* deep_supervision — auxiliary classifiers on hidden layers (seed 004; Lee et al. 2015).
 *
 * A deep sigmoid net gets an auxiliary softmax head on every hidden layer and trains on
 * L + Σ_j α_j l_j, where l_j is head j's cross-entropy and α_j decays linearly to 0 over
 * training (so at the end only the main loss L counts). Each head's gradient adds into
 * the trunk at its layer, so early layers receive an error signal that has not passed
 * through every layer above them. Compared with the same net without heads: per epoch,
 * the mean |∂/∂W| of each layer (of the objective being trained) and test accuracy.
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
    double *sum;            /* (epochs, n_dense) sums of mean |dW| over the epoch's steps */
    long *steps;            /* (epochs) */
    double alpha0;
    long decay_steps;
} probe;

static int before_update(nn_train_ctx *ctx, void *user)
{
    probe *p = user;
    int e = ctx->epoch - 1;
    for (int l = 0; l < p->n_dense; l++) {
        nn_grad_stats g;
        nn_stats_grad(ctx->net, p->dense[l], &g);
        p->sum[e * p->n_dense + l] += g.w_mean_abs;
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

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_mlp_spec with;
    nn_optim opt;
    if ((rc = nn_exp_netcfg(&e, &s.net, &with, &opt))) return rc;
    if (with.n_heads == 0)
        return nn_exp_fail(&e, 2, "'heads' is empty: nothing to compare");
    nn_mlp_spec plain = with;
    plain.n_heads = 0;
    const int S = s.common.seeds, E = s.net.epochs, K = with.n_hidden;
    const long per_epoch = (e.data.train.n + s.net.batch - 1) / s.net.batch;
    const char *names[2] = {"plain", "heads"};
    double first_layer_e1[2] = {NAN, NAN}, final_acc[2] = {NAN, NAN};
    double *l1e1[2] = {nn_exp_vec(&e), nn_exp_vec(&e)}, *fin_seed[2]; /* per seed */
    char cap[200];
    snprintf(cap, sizeof cap, "Mean |∂/∂W| of the first hidden layer in epoch 1 and final test accuracy after %d epochs "
             "(mean over %d seeds)", E, S);
    const char *cols[] = {"net", "layer-1 mean |∂/∂W|, epoch 1", "output layer, epoch 1", "final test accuracy (%)"};
    cJSON *table = nn_exp_table(&e, cap, 4, cols);
    cJSON *grad = cJSON_AddObjectToObject(e.summary, "mean_abs_grad");
    cJSON *accs = cJSON_AddObjectToObject(e.summary, "test_acc");
    cJSON *fin = cJSON_AddObjectToObject(e.summary, "final_test_acc");
    for (int v = 0; v < 2; v++) {
        const nn_mlp_spec *sp = v ? &with : &plain;
        nn_history *h = nn_calloc((size_t)S, sizeof *h);
        double **per_layer = nn_calloc((size_t)S * (K + 1), sizeof(double *)); /* [seed·(K+1) + layer][epoch] */
        for (int r = 0; r < S; r++) {
            uint64_t seed = (uint64_t)(s.common.seed + r);
            nn_net *net = nn_mlp_build(sp, s.net.batch, seed);
            nn_optim o = opt;
            o.v = NULL;
            nn_optim_init(&o, net);
            probe p = {.n_dense = K + 1, .alpha0 = s.net.head_alpha,
                       .decay_steps = (long)((s.decay_epochs > 0 ? s.decay_epochs : E) * per_epoch)};
            for (int l = 0; l < K; l++) p.dense[l] = net->hidden_dense[l];
            p.dense[K] = net->out_dense;
            p.sum = nn_calloc((size_t)E * (K + 1), sizeof(double));
            p.steps = nn_calloc((size_t)E, sizeof(long));
            char label[64];
            snprintf(label, sizeof label, "%s seed %llu", names[v], (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = E, .batch = s.net.batch, .seed = seed, .before_update = before_update,
                               .after_update = after_update, .user = &p, .label = label, .progress = 1};
            nn_train(net, &o, &e.data.train, &e.data.test, &tc, &h[r]);
            cJSON *run = nn_exp_add_run(&e, names[v], names[v], seed, &h[r]);
            cJSON *ga = cJSON_AddArrayToObject(run, "mean_abs_grad_per_layer");
            for (int l = 0; l <= K; l++) {
                per_layer[r * (K + 1) + l] = nn_calloc((size_t)E, sizeof(double));
                for (int ep = 0; ep < E; ep++)
                    per_layer[r * (K + 1) + l][ep] = p.steps[ep] ? p.sum[ep * (K + 1) + l] / p.steps[ep] : NAN;
                cJSON_AddItemToArray(ga, nn_json_series(per_layer[r * (K + 1) + l], E));
            }
            if (h[r].diverged)
                nn_exp_say(&e, "%s diverged at epoch %d, step %ld", label, h[r].div_epoch, h[r].div_step);
            free(p.sum), free(p.steps);
            nn_optim_free(&o);
            nn_net_free(net);
        }
        cJSON *gl = cJSON_AddArrayToObject(grad, names[v]);
        double first[NN_MAX_HIDDEN + 1], last[NN_MAX_HIDDEN + 1], sd;
        double *col = nn_exp_alloc(&e, (size_t)S, sizeof(double));
        double **rows = nn_exp_alloc(&e, (size_t)S, sizeof(double *));
        for (int l = 0; l <= K; l++) {
            for (int r = 0; r < S; r++) rows[r] = per_layer[r * (K + 1) + l];
            cJSON_AddItemToArray(gl, nn_json_mean_std(rows, S, E));
            for (int r = 0; r < S; r++) col[r] = rows[r][0];
            nn_mean_std(col, S, &first[l], &sd);
            for (int r = 0; r < S; r++) col[r] = rows[r][E - 1];
            nn_mean_std(col, S, &last[l], &sd);
        }
        cJSON *prof = cJSON_GetObjectItem(e.summary, "layer_profile");
        if (!prof) prof = cJSON_AddObjectToObject(e.summary, "layer_profile");
        cJSON *pv = cJSON_AddObjectToObject(prof, names[v]);
        cJSON_AddItemToObject(pv, "first_epoch", nn_json_series(first, K + 1));
        cJSON_AddItemToObject(pv, "last_epoch", nn_json_series(last, K + 1));
        for (int r = 0; r < S; r++) l1e1[v][r] = per_layer[r * (K + 1)][0];
        nn_mean_std(l1e1[v], S, &first_layer_e1[v], &sd);
        fin_seed[v] = nn_exp_final_vec(&e, h, offsetof(nn_epoch, test_acc), 100);
        nn_mean_std(fin_seed[v], S, &final_acc[v], &sd);
        nn_exp_row(table, "snnn", v ? "with heads" : "without heads", first[0], first[K], final_acc[v]);
        cJSON *fo = cJSON_AddObjectToObject(fin, names[v]);
        cJSON_AddItemToObject(fo, "mean", nn_json_num(final_acc[v]));
        cJSON_AddItemToObject(fo, "std", nn_json_num(sd));
        cJSON_AddItemToObject(accs, names[v], nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
        nn_exp_say(&e, "%-5s: layer-1 mean |dW| in epoch 1 = %.3g, final test accuracy %.2f %%", names[v], first_layer_e1[v],
                   final_acc[v]);
        for (int i = 0; i < S * (K + 1); i++) free(per_layer[i]);
        free(per_layer);
        for (int r = 0; r < S; r++) nn_history_free(&h[r]);
        free(h);
    }
    /* paired by seed; both claims compare with the plain net, so the plain net must train: a
     * baseline stuck at chance makes any comparison with it say nothing about the heads */
    double *ratio = nn_exp_vec(&e), *gain = nn_exp_vec(&e), plain_min = INFINITY;
    for (int r = 0; r < S; r++) {
        ratio[r] = l1e1[1][r] / l1e1[0][r];
        gain[r] = fin_seed[1][r] - fin_seed[0][r];
        plain_min = isnan(fin_seed[0][r]) ? -INFINITY : fmin(plain_min, fin_seed[0][r]);
    }
    const char *pre = nn_exp_str(&e, "the plain %d-layer net (no heads) leaves chance (lowest final test accuracy over seeds, %%)", K);
    nn_claim c1 = {.id = "heads-feed-first-layer",
                   .statement = "With auxiliary heads the first layer's mean |gradient| is at least 2x larger early in training "
                                "(epoch 1)",
                   .source = "seed 004 (deep supervision, mean |gradient| per layer on MNIST)",
                   .quantity = "layer-1 mean |dW| of the trained objective in epoch 1, heads / plain (same seed)", .op = ">=",
                   .threshold = 2};
    nn_exp_require_trained(&e, &c1, pre, plain_min);
    nn_exp_claim_seeds(&e, &c1, ratio);
    nn_claim c2 = {.id = "heads-no-worse", .statement = "Final test accuracy with heads is no worse than without by more than 0.5 points",
                   .source = "seed 004; Lee et al. 2015", .quantity = "final test accuracy, heads minus plain (same seed), points",
                   .op = ">=", .threshold = -0.5};
    nn_exp_require_trained(&e, &c2, pre, plain_min);
    nn_exp_claim_seeds(&e, &c2, gain);
    return nn_exp_finish(&e);
}
