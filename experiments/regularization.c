/* regularization — overfitting a small training set, and two remedies (seeds 000, 001).
 *
 * A wide net trained on only the first `n_train` images memorizes them: training accuracy
 * goes to 100 % while test accuracy stalls, and the gap between the two is overfitting.
 * Two remedies from the lectures:
 *   L2 weight decay — the penalty (λ/2)‖w‖² (seed 001: a Gaussian prior on the weights),
 *     so every step shrinks the weights: w ← (1 − ηλ) w − η ∂L/∂w;
 *   inverted dropout — during training each hidden unit is kept with probability q = 1 − p
 *     and scaled by 1/q (seed 000), so its expected output equals its output without
 *     dropout, and at test time the full net is used unchanged.
 * We train with none, L2, dropout and both, record train and test accuracy per epoch, and
 * check the expectation directly: the mean output of a dropout layer over many masks
 * against its test-time output (and what the mean would be without the 1/q scaling).
 *
 * Settings: experiments/regularization.json (every key: bin/regularization --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    double lambda, p_drop, p_check;
    int masks, probe;
} settings;

/* mean over masks of the first dropout layer's output, over its test-time output (both
 * averaged over every unit and probe image), with the layer's drop probability set to p for
 * the measurement (then restored): at p = 0.5 dividing by the keep probability and by the drop
 * probability give the same scale, so the check uses another p */
static double dropout_expectation(nn_net *net, const nn_dataset *probe, int masks, double p)
{
    int d = -1;
    for (int i = 0; i < net->n_layers && d < 0; i++)
        if (net->layers[i].kind == NN_L_DROPOUT) d = i;
    if (d < 0) return NAN;
    nn_layer *L = &net->layers[d];
    double p_trained = L->p_drop;
    L->p_drop = p;
    double train_sum = 0, eval_sum = 0;
    for (int start = 0; start < probe->n; start += net->max_batch) {
        int B = nn_min_i(net->max_batch, probe->n - start);
        const nn_real *X = probe->X + (size_t)start * probe->d;
        nn_net_forward(net, X, B, NN_EVAL);
        for (size_t k = 0; k < (size_t)B * L->n; k++) eval_sum += L->out[k];
        for (int m = 0; m < masks; m++) {
            nn_net_forward(net, X, B, NN_TRAIN); /* no batch norm here: only the masks change */
            for (size_t k = 0; k < (size_t)B * L->n; k++) train_sum += L->out[k];
        }
    }
    L->p_drop = p_trained;
    return (train_sum / masks) / eval_sum;
}

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"l2", "the program sets L2 per run from 'lambda'"}, {"dropout", "the program sets dropout per run from 'p_drop'"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"lambda", NN_CFG_REAL, &s->lambda, 0, 1e3, NULL, NULL, 0, 0, "L2 weight decay λ of the L2 runs"};
    f[n++] = (nn_cfg_field){"p_drop", NN_CFG_REAL, &s->p_drop, 1e-3, 0.95, NULL, NULL, 0, 0,
                            "dropout probability of the dropout runs (hidden layers)"};
    f[n++] = (nn_cfg_field){"p_check", NN_CFG_REAL, &s->p_check, 0.01, 0.99, NULL, NULL, 0, 0,
                            "drop probability of the expectation check (not 0.5, where keep and drop conventions agree)"};
    f[n++] = (nn_cfg_field){"masks", NN_CFG_INT, &s->masks, 1, 100000, NULL, NULL, 0, 0, "dropout masks averaged in the expectation check"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 1, 100000, NULL, NULL, 0, 0, "test images in the expectation check"};
    return n;
}

static const nn_exp_def def = {"regularization", "Overfitting a small training set; L2 weight decay and inverted dropout.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    /* l2 and dropout are refused keys: the program switches them per run from lambda and p_drop */
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_mlp_spec base;
    nn_optim opt;
    if ((rc = nn_exp_netcfg(&e, &s.net, &base, &opt))) return rc;
    nn_dataset probe = e.data.test;
    probe.n = nn_min_i(s.probe, probe.n);
    const int S = s.common.seeds, E = s.net.epochs;
    const char *keys[4] = {"none", "l2", "dropout", "both"};
    double gap[4], ratio = NAN, *gap_seed[4], *rt = nn_exp_vec(&e);
    char cap[200];
    snprintf(cap, sizeof cap, "%d training images, %d epochs: final train and test accuracy and their gap (mean over %d seeds)",
             e.data.train.n, E, S);
    const char *cols[] = {"regularization", "λ", "p (dropout)", "train accuracy (%)", "test accuracy (%)", "gap (points)"};
    cJSON *table = nn_exp_table(&e, cap, 6, cols);
    cJSON *curves = cJSON_AddObjectToObject(e.summary, "curves");
    for (int v = 0; v < 4; v++) {
        nn_mlp_spec sp = base;
        nn_optim o = opt;
        if (v == 1 || v == 3) o.l2 = s.lambda;
        if (v == 2 || v == 3) sp.dropout = s.p_drop;
        nn_history *h = nn_calloc((size_t)S, sizeof *h);
        double *tr = nn_exp_vec(&e), *te = nn_exp_vec(&e);
        gap_seed[v] = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) {
            uint64_t seed = (uint64_t)(s.common.seed + r);
            nn_net *net = nn_mlp_build(&sp, s.net.batch, seed);
            o.v = NULL;
            nn_optim_init(&o, net);
            char label[64];
            snprintf(label, sizeof label, "%s seed %llu", keys[v], (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = E, .batch = s.net.batch, .seed = seed, .eval_train = 1, .label = label, .progress = 1};
            nn_train(net, &o, &e.data.train, &e.data.test, &tc, &h[r]);
            tr[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, train_acc));
            te[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
            if (v == 2) rt[r] = dropout_expectation(net, &probe, s.masks, s.p_check);
            gap_seed[v][r] = tr[r] - te[r];
            nn_exp_add_run(&e, keys[v], keys[v], seed, &h[r]);
            nn_optim_free(&o);
            nn_net_free(net);
        }
        double mtr, mte, sd;
        nn_mean_std(tr, S, &mtr, &sd);
        nn_mean_std(te, S, &mte, &sd);
        gap[v] = mtr - mte;
        if (v == 2) nn_mean_std(rt, S, &ratio, &sd);
        cJSON *c = cJSON_AddObjectToObject(curves, keys[v]);
        cJSON_AddItemToObject(c, "train_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_acc)));
        cJSON_AddItemToObject(c, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
        nn_exp_row(table, "snnnnn", keys[v], o.l2, sp.dropout, mtr, mte, gap[v]);
        nn_exp_say(&e, "%-8s train %.2f %%, test %.2f %%, gap %.2f points", keys[v], mtr, mte, gap[v]);
        for (int r = 0; r < S; r++) nn_history_free(&h[r]);
        free(h);
    }
    cJSON *ex = cJSON_AddObjectToObject(e.summary, "dropout_expectation");
    cJSON_AddItemToObject(ex, "ratio_train_over_test", nn_json_num(ratio));
    cJSON_AddItemToObject(ex, "ratio_without_inverted_scaling", nn_json_num(ratio * (1 - s.p_check)));
    cJSON_AddItemToObject(ex, "ratio_if_scaled_by_drop_probability", nn_json_num(ratio * (1 - s.p_check) / s.p_check));
    cJSON_AddNumberToObject(ex, "p_check", s.p_check);
    cJSON_AddNumberToObject(ex, "masks", s.masks);
    cJSON_AddNumberToObject(ex, "probe", probe.n);
    nn_exp_say(&e, "dropout: mean output over %d masks / test-time output = %.5f (without the 1/q scaling: %.4f)", s.masks,
               ratio, ratio * (1 - s.p_check));
    double *d_l2 = nn_exp_vec(&e), *d_do = nn_exp_vec(&e), *dev = nn_exp_vec(&e);
    for (int r = 0; r < S; r++)
        d_l2[r] = gap_seed[1][r] - gap_seed[0][r], d_do[r] = gap_seed[2][r] - gap_seed[0][r], dev[r] = fabs(rt[r] - 1);
    nn_claim c1 = {.id = "l2-shrinks-gap", .statement = nn_exp_str(&e, "L2 weight decay (λ = %g) shrinks the train-test accuracy gap", s.lambda),
                   .source = "seed 001 (L2 as a Gaussian prior), seed 000 (weight decay)",
                   .quantity = "final gap with L2 minus gap without (same seed), points", .op = "<", .threshold = 0};
    nn_exp_claim_seeds(&e, &c1, d_l2);
    nn_claim c2 = {.id = "dropout-shrinks-gap",
                   .statement = nn_exp_str(&e, "Inverted dropout (p = %g) shrinks the train-test accuracy gap", s.p_drop),
                   .source = "seed 001 (dropout masks), seed 000 (inverted dropout)",
                   .quantity = "final gap with dropout minus gap without (same seed), points", .op = "<", .threshold = 0};
    nn_exp_claim_seeds(&e, &c2, d_do);
    /* the overall mean pools probe × units × masks values, so its sampling error is far below
     * 1 %; without the scaling the ratio would be 1 − p, and scaled by 1/p instead of 1/(1 − p)
     * it would be (1 − p)/p (4 at p = 0.2): either fails the 1 % rule */
    nn_claim c3 = {.id = "dropout-expectation",
                   .statement = nn_exp_str(&e, "With inverted dropout (drop probability %g) a layer's training-time output equals "
                                               "its test-time output in expectation (mean over masks within 1 %%)", s.p_check),
                   .source = "seed 000 (inverted dropout: scale by 1/p in training to match test time)",
                   .quantity = "|mean output over masks / test-time output - 1|", .op = "<=", .threshold = 0.01};
    nn_exp_claim_seeds(&e, &c3, dev);
    return nn_exp_finish(&e);
}
