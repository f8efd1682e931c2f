/* residual — plain against residual deep nets (seed 003: deeper plain nets degrade).
 *
 * He et al. observed that beyond some depth a plain network's *training* error gets worse
 * as layers are added — not overfitting, an optimization failure — even with batch norm.
 * A residual block lets each layer learn a correction to its input instead of a whole new
 * function. The library builds a one-layer pre-activation block (lib/nn_net.c, after He et
 * al.'s "identity mappings" paper, whose branch has two such stages):
 * h_k = h_{k−1} + W·ReLU(BN(h_{k−1})), so the identity is the default and the backward pass
 * has a path around every block: ∂h_k/∂h_{k−1} = I + ∂F/∂h. After the last block one more
 * BN and ReLU precede the output layer.
 * For each depth (number of hidden layers of equal width) we train a plain and a residual
 * net for the same budget and measure the training loss at the end.
 *
 * Settings: experiments/residual.json (every key: bin/residual --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int depths[16], n_depths;
    int width;
} settings;

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"hidden", "the program builds its nets from 'depths' and 'width'"}, {"residual", "the program builds both plain and residual nets"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"depths", NN_CFG_INT_LIST, s->depths, 1, NN_MAX_HIDDEN, NULL, &s->n_depths, 16, 2,
                            "numbers of hidden layers to compare (all of width 'width')"};
    f[n++] = (nn_cfg_field){"width", NN_CFG_INT, &s->width, 1, 100000, NULL, NULL, 0, 0, "units per hidden layer"};
    return n;
}

static const nn_exp_def def = {"residual", "Plain against residual deep nets: training loss after a fixed budget, per depth.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    /* hidden and residual are refused keys (the program builds both kinds of net from depths and width) */
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_optim opt;
    nn_mlp_spec base;
    s.net.hidden[0] = s.width, s.net.n_hidden = 1; /* a template; the depth is set per run */
    if ((rc = nn_exp_netcfg(&e, &s.net, &base, &opt))) return rc;
    const int S = s.common.seeds, D = s.n_depths;
    const char *kinds[2] = {"plain", "residual"};
    double loss[2][16], lsd[2][16], acc[2][16];
    double *tl_first[2], *tl_last[2]; /* per seed: training loss of the shallowest and the deepest net */
    double *ta_first[2], *ta_last[2]; /* … and their test accuracy (%) */
    for (int k = 0; k < 2; k++)
        for (int di = 0; di < D; di++) {
            nn_mlp_spec sp = base;
            sp.n_hidden = s.depths[di];
            for (int l = 0; l < sp.n_hidden; l++) sp.hidden[l] = s.width, sp.act[l] = base.act[0];
            sp.residual = k;
            double *tl = nn_exp_vec(&e), *ta = nn_exp_vec(&e);
            if (di == 0) tl_first[k] = tl, ta_first[k] = ta;
            if (di == D - 1) tl_last[k] = tl, ta_last[k] = ta;
            for (int r = 0; r < S; r++) {
                uint64_t seed = (uint64_t)e.seeds[r];
                nn_net *net = nn_exp_build(&sp, s.net.batch, seed);
                nn_optim o = opt;
                o.v = NULL;
                nn_optim_init(&o, net);
                char label[64];
                snprintf(label, sizeof label, "%s depth %d seed %llu", kinds[k], sp.n_hidden, (unsigned long long)seed);
                nn_train_cfg tc = {.epochs = s.net.epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
                nn_history h;
                nn_exp_train(net, &o, &e.data.train, &e.data.test, &tc, &h);
                /* the training loss the net ends with, over the whole training set (test-time mode) */
                if (h.diverged) tl[r] = NAN, ta[r] = NAN;
                else nn_evaluate(net, &e.data.train, 0, NN_EVAL, &tl[r], NULL), ta[r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
                snprintf(label, sizeof label, "%s-%d", kinds[k], sp.n_hidden);
                cJSON *run = nn_exp_add_run(&e, kinds[k], label, seed, &h);
                cJSON_AddNumberToObject(run, "depth", sp.n_hidden);
                cJSON_AddItemToObject(run, "final_train_loss", nn_json_num(tl[r]));
                nn_history_free(&h);
                nn_optim_free(&o);
                nn_net_free(net);
            }
            double sd;
            nn_mean_std(tl, S, &loss[k][di], &lsd[k][di]);
            nn_mean_std(ta, S, &acc[k][di], &sd);
            nn_exp_say(&e, "%-8s depth %2d: training loss %.4f ± %.4f, test accuracy %.2f %%", kinds[k], s.depths[di],
                       loss[k][di], lsd[k][di], acc[k][di]);
        }
    char cap[200];
    snprintf(cap, sizeof cap, "Training loss after %d epochs (whole training set, mean ± std over %d seeds) and test accuracy, "
             "width %d, ReLU%s", s.net.epochs, S, s.width, s.net.batchnorm ? " + batch norm" : "");
    const char *cols[] = {"hidden layers", "plain: training loss", "residual: training loss", "plain: test (%)", "residual: test (%)"};
    cJSON *table = nn_exp_table(&e, cap, 5, cols);
    for (int di = 0; di < D; di++) {
        char a[48], b[48];
        snprintf(a, sizeof a, "%.4f ± %.4f", loss[0][di], lsd[0][di]);
        snprintf(b, sizeof b, "%.4f ± %.4f", loss[1][di], lsd[1][di]);
        nn_exp_row(table, "issnn", s.depths[di], a, b, acc[0][di], acc[1][di]);
    }
    cJSON *sum = cJSON_AddObjectToObject(e.summary, "train_loss");
    cJSON_AddItemToObject(sum, "depth", cJSON_CreateIntArray(s.depths, D));
    for (int k = 0; k < 2; k++) {
        cJSON *o = cJSON_AddObjectToObject(sum, kinds[k]);
        cJSON_AddItemToObject(o, "mean", nn_json_series(loss[k], D));
        cJSON_AddItemToObject(o, "std", nn_json_series(lsd[k], D));
    }
    /* per seed: the deepest net's final training loss over the shallowest one's (same seed) */
    double *ratio[2];
    for (int k = 0; k < 2; k++) {
        ratio[k] = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) ratio[k][r] = tl_last[k][r] / tl_first[k][r];
    }
    cJSON *ts = cJSON_AddObjectToObject(e.summary, "deepest_over_shallowest_train_loss");
    for (int k = 0; k < 2; k++) cJSON_AddItemToObject(ts, kinds[k], nn_json_series(ratio[k], S));
    const char *why = "'Worse' means more than 10 % above the shallowest net's loss, and 'not worse' no more than that: "
                      "one line for both claims; plain nets here end up to several times higher.";
    const char *unmeasured = D < 2 ? "'depths' lists one depth: nothing to compare" : NULL;
    nn_claim c1 = {.kind = NN_LECTURE, .id = "plain-degrades",
                   .statement = nn_exp_str(&e, "Beyond some depth the plain net's training loss gets worse with depth: the "
                                               "%d-layer plain net ends with a training loss more than 10 %% above the "
                                               "%d-layer one's", s.depths[D - 1], s.depths[0]),
                   .source = "seed 003 (deeper plain nets degrade; He et al. 2016)",
                   .quantity = "final training loss, deepest / shallowest plain net (same seed)", .op = ">", .threshold = 1.1,
                   .unmeasured = unmeasured, .rule_note = why};
    nn_exp_require_trained(&e, &c1, nn_exp_str(&e, "the %d-layer plain net leaves chance: it is degraded, not broken (lowest "
                                                   "test accuracy over seeds, %%; a diverged seed counts as not trained)",
                                               s.depths[D - 1]), nn_exp_worst(&e, ta_last[0]));
    nn_exp_claim_seeds(&e, &c1, ratio[0]);
    nn_claim c2 = {.kind = NN_LECTURE, .id = "residual-does-not",
                   .statement = nn_exp_str(&e, "The residual net's training loss does not get worse with depth: the %d-layer "
                                               "residual net ends no more than 10 %% above the %d-layer one",
                                           s.depths[D - 1], s.depths[0]),
                   .source = "seed 003 (residual connections)",
                   .quantity = "final training loss, deepest / shallowest residual net (same seed)", .op = "<=", .threshold = 1.1,
                   .unmeasured = unmeasured, .rule_note = why};
    nn_exp_require_trained(&e, &c2, nn_exp_str(&e, "the %d-layer residual net leaves chance (lowest test accuracy over seeds, "
                                                   "%%): two nets that learned nothing would end alike", s.depths[0]),
                           nn_exp_worst(&e, ta_first[1]));
    nn_exp_claim_seeds(&e, &c2, ratio[1]);
    return nn_exp_finish(&e);
}
