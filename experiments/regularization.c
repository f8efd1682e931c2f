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
 * The runs are the arms of the config: the arm with no overrides is the unregularized net;
 * every other arm is a remedy (its `l2` and/or `dropout`), claimed to shrink the train–test
 * gap against it, paired by seed. We record train and test accuracy per epoch, and check
 * the expectation directly on the first arm with dropout: the mean output of a dropout layer
 * over many masks against its test-time output (and what it would be without the 1/q scaling).
 *
 * `l2` is the decay per weight of the mean loss, λ/n in Nielsen's notation (his
 * C = C0 + (λ/2n)Σw²): he uses λ = 0.1 with n = 1,000 images and λ = 5 with n = 50,000,
 * both l2 = 1e-4; the arm `l2_nielsen` is that value.
 *
 * Settings: experiments/regularization.json (every key: bin/regularization --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    double p_check;
    int masks, probe, ensemble_masks;
} settings;

/* Co-adaptation, as the lab measures it: the mean |Pearson correlation| between pairs of units of
 * the last hidden layer over the probe images (evaluation mode, chunks of the net's max_batch);
 * units that are constant over the probe (dead) are left out. s (n), ss (n·n) are scratch. */
static double mean_abs_correlation(nn_net *net, const nn_dataset *probe, double *s, double *ss)
{
    nn_mlp_layout lo;
    nn_mlp_layout_of(net, &lo);
    const int layer = lo.act[lo.n_hidden - 1], n = net->layers[layer].n, mb = net->max_batch;
    memset(s, 0, (size_t)n * sizeof *s), memset(ss, 0, (size_t)n * n * sizeof *ss);
    for (int i = 0; i < probe->n; i += mb) {
        int B = probe->n - i < mb ? probe->n - i : mb;
        nn_net_forward(net, probe->X + (size_t)i * probe->d, B, NN_EVAL);
        const nn_real *a = nn_net_node_out(net, layer);
        for (int r = 0; r < B; r++)
            for (int u = 0; u < n; u++) {
                double x = a[(size_t)r * n + u];
                s[u] += x;
                for (int v = u; v < n; v++) ss[(size_t)u * n + v] += x * a[(size_t)r * n + v];
            }
    }
    const double N = probe->n;
    double sum = 0;
    long pairs = 0;
    for (int u = 0; u < n; u++) {
        double vu = ss[(size_t)u * n + u] / N - (s[u] / N) * (s[u] / N);
        if (!(vu > 1e-12)) continue;
        for (int v = u + 1; v < n; v++) {
            double vv = ss[(size_t)v * n + v] / N - (s[v] / N) * (s[v] / N);
            if (!(vv > 1e-12)) continue;
            double cov = ss[(size_t)u * n + v] / N - (s[u] / N) * (s[v] / N);
            sum += fabs(cov / sqrt(vu * vv)), pairs++;
        }
    }
    return pairs ? sum / (double)pairs : NAN;
}

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
static const nn_cfg_refusal not_honoured[] = {{NULL, NULL}}; /* every network key reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"p_check", NN_CFG_REAL, &s->p_check, 0.01, 0.99, NULL, NULL, 0, 0,
                            "drop probability of the expectation check (not 0.5, where keep and drop conventions agree)"};
    f[n++] = (nn_cfg_field){"masks", NN_CFG_INT, &s->masks, 1, 100000, NULL, NULL, 0, 0, "dropout masks averaged in the expectation check"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 1, 100000, NULL, NULL, 0, 0, "test images in the expectation check"};
    f[n++] = (nn_cfg_field){"ensemble_masks", NN_CFG_INT, &s->ensemble_masks, 1, 10000, NULL, NULL, 0, 0,
                            "thinned nets averaged in the ensemble check (first dropout arm, whole test set)"};
    return n;
}

static const nn_exp_def def = {"regularization", "Overfitting a small training set; L2 weight decay and inverted dropout as arms.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* what an arm's regularization is, in words */
static const char *reg_words(nn_exp *e, const settings *a)
{
    if (a->net.l2 > 0 && a->net.dropout > 0) return nn_exp_str(e, "L2 (λ/n = %g) with dropout (p = %g)", a->net.l2, a->net.dropout);
    if (a->net.l2 > 0) return nn_exp_str(e, "L2 weight decay (λ/n = %g)", a->net.l2);
    if (a->net.dropout > 0) return nn_exp_str(e, "Inverted dropout (p = %g)", a->net.dropout);
    return "No regularization";
}

/* Dropout as an ensemble (seed 001): test accuracy (%) of the trained net three ways — out[0] weight
 * scaling (the usual test-time net: every unit on, inverted dropout already scaled in training),
 * out[1] the average of the softmax outputs of `masks` thinned nets (a fresh mask per image and per
 * pass), out[2] one thinned net per image (the first pass alone). */
static int argmax_row(const nn_real *y, int K)
{
    int best = 0;
    for (int k = 1; k < K; k++)
        if (y[k] > y[best]) best = k;
    return best;
}

static void dropout_ensemble(nn_net *net, const nn_dataset *ds, int masks, double out[3])
{
    const int K = nn_net_n_out(net), mb = net->max_batch;
    double *avg = malloc((size_t)mb * K * sizeof *avg);
    long hit[3] = {0, 0, 0};
    for (int at = 0; at < ds->n; at += mb) {
        int B = nn_min_i(mb, ds->n - at);
        const nn_real *X = ds->X + (size_t)at * ds->d;
        nn_net_forward(net, X, B, NN_EVAL);
        const nn_real *y = nn_net_output_values(net);
        for (int i = 0; i < B; i++) hit[0] += argmax_row(y + (size_t)i * K, K) == ds->y[at + i];
        memset(avg, 0, (size_t)B * K * sizeof *avg);
        for (int m = 0; m < masks; m++) {
            nn_net_forward(net, X, B, NN_TRAIN); /* dropout on; this net has no batch norm to disturb */
            y = nn_net_output_values(net);
            for (size_t k = 0; k < (size_t)B * K; k++) avg[k] += y[k];
            if (m == 0)
                for (int i = 0; i < B; i++) hit[2] += argmax_row(y + (size_t)i * K, K) == ds->y[at + i];
        }
        for (int i = 0; i < B; i++) {
            int best = 0;
            for (int k = 1; k < K; k++)
                if (avg[(size_t)i * K + k] > avg[(size_t)i * K + best]) best = k;
            hit[1] += best == ds->y[at + i];
        }
    }
    for (int j = 0; j < 3; j++) out[j] = 100.0 * hit[j] / ds->n;
    free(avg);
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_dataset probe = e.data.test;
    probe.n = nn_min_i(s.probe, probe.n);
    const int S = e.S, A = e.n_arms;
    double **gap_seed = nn_exp_alloc(&e, (size_t)A, sizeof(double *)), *rt = nn_exp_vec(&e);
    double **corr_seed = nn_exp_alloc(&e, (size_t)A, sizeof(double *)), **test_seed = nn_exp_alloc(&e, (size_t)A, sizeof(double *));
    double *ens_ws = nn_exp_vec(&e), *ens_mc = nn_exp_vec(&e), *ens_one = nn_exp_vec(&e); /* the dropout ensemble (first dropout arm) */
    /* the control of the ensemble claim: the unregularized net's trained weights, per seed, thinned at test time only */
    nn_real **base_params = nn_exp_alloc(&e, (size_t)S, sizeof(nn_real *));
    size_t base_n_params = 0;
    int base = -1, checked = -1; /* the arm without overrides; the arm the dropout check ran on */
    const char *cols[] = {"arm", "λ/n (L2)", "p (dropout)", "train accuracy (%)", "test accuracy (%)", "gap (points)"};
    cJSON *table = nn_exp_table(&e, nn_exp_str(&e, "%d training images, %d epochs: final train and test accuracy and their gap "
                                                    "(mean over %d seeds)", e.data.train.n, s.net.epochs, S), 6, cols);
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    for (int v = 0; v < A; v++) {
        const settings *as = e.arm_set[v];
        const char *arm = e.arm_name[v];
        nn_mlp_spec sp;
        nn_optim o;
        if ((rc = nn_exp_netcfg(&e, &as->net, &sp, &o))) return rc;
        if (base < 0 && nn_exp_arm_n_overrides(&e, v) == 0) base = v;
        const int check_here = checked < 0 && sp.dropout > 0;
        if (check_here) checked = v;
        nn_history *h = nn_exp_alloc(&e, (size_t)S, sizeof *h);
        double *tr = nn_exp_vec(&e), *te = nn_exp_vec(&e);
        gap_seed[v] = nn_exp_vec(&e), corr_seed[v] = nn_exp_vec(&e), test_seed[v] = te;
        const int widest = sp.n_hidden > 0 ? sp.hidden[sp.n_hidden - 1] : 0;
        double *cs = nn_exp_alloc(&e, (size_t)widest + 1, sizeof(double)),
               *css = nn_exp_alloc(&e, (size_t)widest * widest + 1, sizeof(double));
        for (int r = 0; r < S; r++) {
            uint64_t seed = (uint64_t)e.seeds[r];
            nn_net *net = nn_exp_build(&sp, as->net.batch, seed);
            o.v = NULL;
            nn_optim_init(&o, net);
            nn_train_cfg tc = {.epochs = as->net.epochs, .batch = as->net.batch, .seed = seed, .eval_train = 1,
                               .label = nn_exp_str(&e, "%s seed %llu", arm, (unsigned long long)seed), .progress = 1};
            nn_exp_train(net, &o, &e.data.train, &e.data.test, &tc, &h[r]);
            tr[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, train_acc));
            te[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
            if (check_here && !h[r].diverged) {
                double ens[3];
                dropout_ensemble(net, &e.data.test, s.ensemble_masks, ens);
                ens_ws[r] = ens[0], ens_mc[r] = ens[1], ens_one[r] = ens[2];
            }
            if (check_here) rt[r] = dropout_expectation(net, &probe, s.masks, s.p_check);
            if (widest > 0 && !h[r].diverged) corr_seed[v][r] = mean_abs_correlation(net, &probe, cs, css);
            gap_seed[v][r] = tr[r] - te[r];
            if (v == base && !h[r].diverged) {
                base_params[r] = nn_exp_alloc(&e, net->n_params, sizeof(nn_real));
                memcpy(base_params[r], net->params, net->n_params * sizeof(nn_real));
                base_n_params = net->n_params;
            }
            nn_exp_add_run(&e, arm, arm, seed, &h[r]);
            nn_optim_free(&o);
            nn_net_free(net);
        }
        double mtr, mte, sd;
        nn_mean_std(tr, S, &mtr, &sd);
        nn_mean_std(te, S, &mte, &sd);
        const char *title = nn_exp_str(&e, "%s: %s", arm, reg_words(&e, as));
        cJSON *ao = cJSON_CreateObject();
        cJSON_AddStringToObject(ao, "name", arm);
        cJSON_AddStringToObject(ao, "title", title);
        cJSON_AddItemToObject(ao, "train_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_acc)));
        cJSON_AddItemToObject(ao, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
        cJSON_AddItemToArray(arms_out, ao);
        nn_exp_row(table, "snnnnn", title, o.l2, sp.dropout, mtr, mte, mtr - mte);
        nn_exp_say(&e, "%-10s train %.2f %%, test %.2f %%, gap %.2f points", arm, mtr, mte, mtr - mte);
        for (int r = 0; r < S; r++) nn_history_free(&h[r]);
    }
    /* every remedy arm against the unregularized one, paired by seed */
    for (int v = 0; v < A; v++) {
        if (v == base) continue;
        const settings *as = e.arm_set[v];
        double *d = nn_exp_vec(&e);
        for (int r = 0; r < S && base >= 0; r++) d[r] = gap_seed[v][r] - gap_seed[base][r];
        nn_claim c = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "shrinks-gap[%s]", e.arm_name[v]),
                      .statement = nn_exp_str(&e, "%s shrinks the train-test accuracy gap of the unregularized net (arm %s)",
                                              reg_words(&e, as), e.arm_name[v]),
                      .source = as->net.dropout > 0 ? "seed 001 (dropout: a powerful regularization scheme), seed 000 (inverted dropout)"
                                                    : "seed 001 (L2 as a Gaussian prior; weight decay)",
                      .quantity = "final gap with the remedy minus gap without (same seed), points", .op = "<", .threshold = 0,
                      .unmeasured = base < 0 ? "no arm without overrides (the unregularized net) ran" : NULL};
        if (base >= 0) { /* the skeptic: the gap shrinks because the remedy fits the training set worse, not because it
                          * generalizes better; the control: its test accuracy is no lower beyond what the test set resolves */
            double *dt = nn_exp_vec(&e), mt, sdt, mb, sdb;
            for (int r = 0; r < S; r++) dt[r] = test_seed[v][r] - test_seed[base][r];
            nn_mean_std(dt, S, &mt, &sdt), nn_mean_std(test_seed[base], S, &mb, &sdb);
            const double res = nn_exp_resolution_pct(&e, mb);
            nn_claim_control(&c, "the gap shrinks only because the training accuracy falls",
                             nn_exp_str(&e, "test accuracy with the remedy − without, mean over seeds (points; the test set "
                                            "resolves %.2f)", res), mt, ">", -res);
            /* a shrink smaller than the test set resolves is unresolved, not a shrink; no shrink at all is not held */
            c.threshold = -res, c.has_zone = 1, c.not_held_at = 0;
            c.rule_note = nn_exp_str(&e, "The threshold is minus what the %d test images resolve at the unregularized net's "
                                         "mean test accuracy (%.3g %%), 2·√(2p(1 − p)/n); a gap that does not shrink at all "
                                         "is not held.", e.data.test.n, mb);
        }
        nn_exp_claim_seeds(&e, &c, d);
        if (as->net.dropout > 0) { /* seed 001: dropout prevents co-adaptation */
            double *dc = nn_exp_vec(&e);
            for (int r = 0; r < S && base >= 0; r++) dc[r] = corr_seed[v][r] - corr_seed[base][r];
            nn_claim cc = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "dropout-less-coadaptation[%s]", e.arm_name[v]),
                           .statement = nn_exp_str(&e, "%s reduces co-adaptation: the units of the last hidden layer are less "
                                                       "correlated with each other than in the unregularized net (arm %s)",
                                                   reg_words(&e, as), e.arm_name[v]),
                           .source = "seed 001 (dropout prevents co-adaptation of units)",
                           .quantity = nn_exp_str(&e, "mean |correlation| between pairs of last-layer units over %d test images, "
                                                      "with the remedy minus without (same seed)", probe.n),
                           .op = "<", .threshold = 0,
                           .unmeasured = base < 0 ? "no arm without overrides (the unregularized net) ran" : NULL,
                           .rule_note = "Units constant over the probe images (dead) are left out of the pairs."};
            nn_exp_require_trained(&e, &cc, nn_exp_str(&e, "the net of arm %s leaves chance (lowest test accuracy over seeds, %%)",
                                                       e.arm_name[v]), nn_exp_worst(&e, test_seed[v]));
            nn_exp_claim_seeds(&e, &cc, dc);
        }
    }
    cJSON *co = cJSON_AddObjectToObject(e.summary, "mean_abs_unit_correlation");
    for (int v = 0; v < A; v++) {
        double m, sd0;
        nn_mean_std(corr_seed[v], S, &m, &sd0);
        cJSON_AddItemToObject(co, e.arm_name[v], nn_json_num(m));
        nn_exp_say(&e, "%-10s mean |correlation| between last-layer units: %.4f", e.arm_name[v], m);
    }
    double ratio = NAN, sd;
    nn_mean_std(rt, S, &ratio, &sd);
    cJSON *ex = cJSON_AddObjectToObject(e.summary, "dropout_expectation");
    cJSON_AddStringToObject(ex, "arm", checked >= 0 ? e.arm_name[checked] : "");
    cJSON_AddItemToObject(ex, "ratio_train_over_test", nn_json_num(ratio));
    cJSON_AddItemToObject(ex, "ratio_without_inverted_scaling", nn_json_num(ratio * (1 - s.p_check)));
    cJSON_AddItemToObject(ex, "ratio_if_scaled_by_drop_probability", nn_json_num(ratio * (1 - s.p_check) / s.p_check));
    cJSON_AddNumberToObject(ex, "p_check", s.p_check);
    cJSON_AddNumberToObject(ex, "masks", s.masks);
    cJSON_AddNumberToObject(ex, "probe", probe.n);
    if (checked >= 0)
        nn_exp_say(&e, "dropout (arm %s): mean output over %d masks / test-time output = %.5f (without the 1/q scaling: %.4f)",
                   e.arm_name[checked], s.masks, ratio, ratio * (1 - s.p_check));
    double *dev = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) dev[r] = fabs(rt[r] - 1);
    /* the overall mean pools probe × units × masks values, so its sampling error is far below
     * 1 %; without the scaling the ratio would be 1 − p, and scaled by 1/p instead of 1/(1 − p)
     * it would be (1 − p)/p (4 at p = 0.2): either fails the 1 % rule */
    nn_claim c3 = {.kind = NN_IDENTITY, .id = "dropout-expectation",
                   .statement = nn_exp_str(&e, "With inverted dropout (drop probability %g) a layer's training-time output equals "
                                               "its test-time output in expectation (mean over masks within 1 %%)", s.p_check),
                   .source = "seed 000 (inverted dropout: scale by 1/p in training to match test time)",
                   .quantity = "|mean output over masks / test-time output - 1|", .op = "<=", .threshold = 0.01,
                   .unmeasured = checked < 0 ? "no arm uses dropout" : NULL,
                   .rule_note = "Measured on the trained net of the first arm with dropout, with its drop probability set to "
                                "p_check for the measurement."};
    nn_exp_claim_seeds(&e, &c3, dev);

    /* dropout approximately averages many thinned nets that share weights (seed 001:433) */
    const char *no_drop = checked < 0 ? "no arm uses dropout" : NULL;
    const char *darm = checked >= 0 ? e.arm_name[checked] : "";
    const double res = nn_exp_resolution_pct(&e, 90);
    double *mc_gain = nn_exp_vec(&e), *ws_dist = nn_exp_vec(&e), m3[3], sd3;
    for (int r = 0; r < S; r++) mc_gain[r] = ens_mc[r] - ens_one[r], ws_dist[r] = fabs(ens_ws[r] - ens_mc[r]);
    nn_mean_std(ens_ws, S, &m3[0], &sd3), nn_mean_std(ens_mc, S, &m3[1], &sd3), nn_mean_std(ens_one, S, &m3[2], &sd3);
    cJSON *eo = cJSON_AddObjectToObject(e.summary, "dropout_ensemble");
    cJSON_AddStringToObject(eo, "arm", darm);
    cJSON_AddNumberToObject(eo, "masks", s.ensemble_masks);
    cJSON_AddItemToObject(eo, "weight_scaling", nn_json_series(ens_ws, S));
    cJSON_AddItemToObject(eo, "mc_average", nn_json_series(ens_mc, S));
    cJSON_AddItemToObject(eo, "one_thinned_net", nn_json_series(ens_one, S));
    if (checked >= 0)
        nn_exp_say(&e, "dropout ensemble (arm %s): weight scaling %.2f %%, average of %d thinned nets %.2f %%, one thinned net "
                       "%.2f %%", darm, m3[0], s.ensemble_masks, m3[1], m3[2]);
    /* the skeptic: averaging noisy predictions beats one noisy prediction in any net, so the gain does not show that
     * dropout trained the thinned nets. The control: one thinned net of the dropout-trained net classifies better than
     * one thinned copy of the unregularized net (its weights, the dropout arm's masks at test time only), seed by seed:
     * the thinned nets themselves were trained. The same average's gain in that copy is recorded beside it. */
    double *untrained_gain = nn_exp_vec(&e), *one_vs_untrained = nn_exp_vec(&e), dgain = NAN;
    if (checked >= 0 && base >= 0 && base != checked) {
        const settings *ds = e.arm_set[checked];
        nn_mlp_spec dsp;
        nn_optim dummy;
        if ((rc = nn_exp_netcfg(&e, &ds->net, &dsp, &dummy))) return rc;
        for (int r = 0; r < S; r++) {
            untrained_gain[r] = one_vs_untrained[r] = NAN;
            nn_net *net = nn_exp_build(&dsp, ds->net.batch, (uint64_t)e.seeds[r]);
            if (base_params[r] && net->n_params == base_n_params) {
                memcpy(net->params, base_params[r], base_n_params * sizeof(nn_real));
                double ens[3];
                dropout_ensemble(net, &e.data.test, s.ensemble_masks, ens);
                untrained_gain[r] = ens[1] - ens[2];
                one_vs_untrained[r] = ens_one[r] - ens[2];
            }
            nn_net_free(net);
        }
        dgain = nn_exp_worst(&e, one_vs_untrained);
        double m_u, m_o, sd_;
        nn_mean_std(untrained_gain, S, &m_u, &sd_), nn_mean_std(one_vs_untrained, S, &m_o, &sd_);
        cJSON_AddItemToObject(eo, "gain_without_dropout_training", nn_json_series(untrained_gain, S));
        cJSON_AddItemToObject(eo, "one_thinned_net_minus_untrained_copy", nn_json_series(one_vs_untrained, S));
        nn_exp_say(&e, "the unregularized net thinned at test time only: one thinned copy is %.2f points below the dropout-trained "
                       "net's; averaging %d of them gains %.2f points", m_o, s.ensemble_masks, m_u);
    }
    nn_claim c4 = {.kind = NN_LECTURE, .id = "dropout-average-beats-one-thinned-net",
                   .statement = nn_exp_str(&e, "Dropout trains many thinned nets that share weights: averaging the outputs of %d "
                                               "of them classifies the test set better than one thinned net (arm %s)",
                                           s.ensemble_masks, darm),
                   .source = "seed 001:433", .quantity = "test accuracy, average of the thinned nets − one thinned net (points)",
                   .op = ">", .threshold = 0, .unmeasured = no_drop};
    nn_claim_control(&c4, "the thinned nets were never trained: averaging noisy copies of any net beats one copy",
                     nn_exp_str(&e, "test accuracy of one thinned net of the dropout-trained net − of one thinned copy of the "
                                    "unregularized net (its weights, drop probability %g at test time only), smallest over "
                                    "seeds (points)", checked >= 0 ? ((const settings *)e.arm_set[checked])->net.dropout : NAN),
                     dgain, ">", 0);
    nn_exp_claim_seeds(&e, &c4, mc_gain);
    nn_claim c5 = {.kind = NN_LECTURE, .id = "weight-scaling-approximates-average",
                   .statement = nn_exp_str(&e, "The test-time net (every unit on, weights scaled) approximates that average: its "
                                               "test accuracy is within what the test set resolves (%.2f points) of the average "
                                               "of %d thinned nets (arm %s)", res, s.ensemble_masks, darm),
                   .source = "seed 001:433; Srivastava et al. 2014 (weight scaling)",
                   .quantity = "|test accuracy, weight scaling − average of the thinned nets| (points)", .op = "<=",
                   .threshold = res, .unmeasured = no_drop,
                   .not_comparative = "an agreement between two predictions of one net, within what the test set resolves"};
    nn_exp_claim_seeds(&e, &c5, ws_dist);
    return nn_exp_finish(&e);
}
