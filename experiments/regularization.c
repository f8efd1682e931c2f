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
 * The conditions are the config's arms: the arm with no overrides is the unregularized net; every other
 * arm is a remedy (its `l2` and/or `dropout`), claimed to shrink the train–test gap against it, paired by
 * seed. A cell measures one net's final train and test accuracy, their gap and the mean |correlation|
 * between units of its last hidden layer; on the first arm with dropout, the expectation directly (the
 * mean output of a dropout layer over many masks against its test-time output) and the net read as an
 * ensemble of thinned nets, whose control (the unregularized net's weights thinned at test time only)
 * is measured by whichever of the two arms runs second.
 *
 * `l2` is the decay per weight of the mean loss, λ/n in Nielsen's notation (his
 * C = C0 + (λ/2n)Σw²): he uses λ = 0.1 with n = 1,000 images and λ = 5 with n = 50,000,
 * both l2 = 1e-4; the arm `l2_nielsen` is that value.
 *
 * Settings: experiments/regularization.json (every key: bin/regularization --help). The claims on the first arm with
 * dropout are declared there, judged by the frame from the numbers run() derives; the per-arm claims are made in run().
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    double p_check;
    int masks, probe, ensemble_masks;
    nn_mlp_spec spec; /* a condition's net and optimizer, resolved against the data */
    nn_optim opt;
} settings;

/* Co-adaptation, as the lab measures it: the mean |Pearson correlation| between pairs of units of
 * the last hidden layer over the probe images (evaluation mode, chunks of the net's max_batch);
 * units that are constant over the probe (dead) are left out. */
static double mean_abs_correlation(nn_net *net, const nn_dataset *probe)
{
    nn_mlp_layout lo;
    nn_mlp_layout_of(net, &lo);
    const int layer = lo.act[lo.n_hidden - 1], n = net->layers[layer].n, mb = net->max_batch;
    double *s = nn_calloc((size_t)n, sizeof *s), *ss = nn_calloc((size_t)n * n, sizeof *ss), N = probe->n, sum = 0, pairs = 0;
    for (int i = 0; i < probe->n; i += mb) {
        const int B = nn_min_i(mb, probe->n - i);
        nn_net_forward(net, probe->X + (size_t)i * probe->d, B, NN_EVAL);
        const nn_real *a = nn_net_node_out(net, layer);
        for (int r = 0; r < B; r++)
            for (int u = 0; u < n; u++) {
                const double x = a[(size_t)r * n + u];
                s[u] += x;
                for (int v = u; v < n; v++) ss[(size_t)u * n + v] += x * a[(size_t)r * n + v];
            }
    }
#define COV(u, v) (ss[(size_t)(u) * n + (v)] / N - (s[u] / N) * (s[v] / N)) /* of units u ≤ v over the probe */
    for (int u = 0; u < n; u++)
        for (int v = u + 1; v < n && COV(u, u) > 1e-12; v++)
            if (COV(v, v) > 1e-12) sum += fabs(COV(u, v) / sqrt(COV(u, u) * COV(v, v))), pairs++;
#undef COV
    free(s), free(ss);
    return pairs ? sum / pairs : NAN;
}

/* mean over masks of the first dropout layer's output, over its test-time output (both
 * averaged over every unit and probe image), with the layer's drop probability set to p for
 * the measurement (then restored): at p = 0.5 dividing by the keep probability and by the drop
 * probability give the same scale, so the check uses another p */
static double dropout_expectation(nn_net *net, const nn_dataset *probe, int masks, double p)
{
    int d = 0;
    while (d < net->n_layers && net->layers[d].kind != NN_L_DROPOUT) d++;
    if (d == net->n_layers) return NAN;
    nn_layer *L = &net->layers[d];
    double p_trained = L->p_drop, train_sum = 0, eval_sum = 0;
    L->p_drop = p;
    for (int start = 0; start < probe->n; start += net->max_batch) {
        const int B = nn_min_i(net->max_batch, probe->n - start);
        for (int m = -1; m < masks; m++) { /* m = −1: test time; then the masks (no batch norm here: only they change) */
            nn_net_forward(net, probe->X + (size_t)start * probe->d, B, m < 0 ? NN_EVAL : NN_TRAIN);
            double *sum = m < 0 ? &eval_sum : &train_sum;
            for (size_t k = 0; k < (size_t)B * L->n; k++) *sum += L->out[k];
        }
    }
    L->p_drop = p_trained;
    return (train_sum / masks) / eval_sum;
}

/* Dropout as an ensemble (seed 001): test accuracy (%) of the trained net three ways — out[0] weight
 * scaling (the usual test-time net: every unit on, inverted dropout already scaled in training),
 * out[1] the average of the softmax outputs of `masks` thinned nets (a fresh mask per image and per
 * pass), out[2] one thinned net per image (the first pass alone). */
static int argmax(const double *y, int K)
{
    int best = 0;
    for (int k = 1; k < K; k++) best = y[k] > y[best] ? k : best;
    return best;
}

static void dropout_ensemble(nn_net *net, const nn_dataset *ds, int masks, double out[3])
{
    const int K = nn_net_n_out(net), mb = net->max_batch;
    double *avg = nn_calloc((size_t)mb * K, sizeof *avg);
    long hit[3] = {0, 0, 0};
    for (int at = 0; at < ds->n; at += mb) {
        const int B = nn_min_i(mb, ds->n - at);
        for (int m = -1; m < masks; m++) { /* m = −1: the test-time net; then the thinned nets (no batch norm to disturb) */
            nn_net_forward(net, ds->X + (size_t)at * ds->d, B, m < 0 ? NN_EVAL : NN_TRAIN);
            const nn_real *y = nn_net_output_values(net);
            for (size_t k = 0; k < (size_t)B * K; k++) avg[k] = (m > 0 ? avg[k] : 0) + y[k]; /* m ≤ 0: y itself */
            for (int i = 0; i < B && m <= 0; i++) hit[m < 0 ? 0 : 2] += argmax(avg + (size_t)i * K, K) == ds->y[at + i];
        }
        for (int i = 0; i < B; i++) hit[1] += argmax(avg + (size_t)i * K, K) == ds->y[at + i];
    }
    for (int j = 0; j < 3; j++) out[j] = 100.0 * hit[j] / ds->n;
    free(avg);
}

static const nn_cfg_refusal not_honoured[] = {
    {NULL, NULL}}; /* network keys the program sets itself: none, every one reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"p_check", NN_CFG_REAL, &s->p_check, 0.01, 0.99, NULL, NULL, 0, 0,
                            "drop probability of the expectation check (not 0.5, where keep and drop conventions agree)"};
    f[n++] = (nn_cfg_field){"masks", NN_CFG_INT, &s->masks, 1, 100000,
                            NULL,    NULL,       0,         0, "dropout masks averaged in the expectation check"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 1, 100000, NULL, NULL, 0, 0, "test images in the expectation check"};
    f[n++] = (nn_cfg_field){"ensemble_masks", NN_CFG_INT, &s->ensemble_masks, 1, 10000, NULL, NULL, 0, 0,
                            "thinned nets averaged in the ensemble check (first dropout arm, whole test set)"};
    return n;
}

static const nn_exp_def def = {"regularization",
                               "Overfitting a small training set; L2 weight decay and inverted dropout as arms.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* what an arm's regularization is, in words */
static const char *reg_words(nn_exp *e, const settings *a)
{
    if (a->net.l2 > 0 && a->net.dropout > 0)
        return nn_exp_str(e, "L2 (λ/n = %g) with dropout (p = %g)", a->net.l2, a->net.dropout);
    if (a->net.l2 > 0) return nn_exp_str(e, "L2 weight decay (λ/n = %g)", a->net.l2);
    if (a->net.dropout > 0) return nn_exp_str(e, "Inverted dropout (p = %g)", a->net.dropout);
    return "No regularization";
}

typedef struct shared {
    const settings *top;    /* the checks' settings (p_check, masks, ensemble_masks) are the config's, not an arm's */
    nn_dataset probe;       /* the first `probe` test images */
    int base, checked, ctl; /* the arm without overrides, the first with dropout, the later of the two (−1: none) */
    nn_real **base_params;  /* per seed, the unregularized net's trained weights (NULL: diverged) */
    size_t base_n;
} shared;

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    shared *sh = ctx;
    nn_train_cfg tc = {.epochs = s->net.epochs, .batch = s->net.batch, .eval_train = 1,
                       .label = nn_exp_str(e, "%s seed %llu", c->name, (unsigned long long)c->seed)};
    nn_history h;
    nn_net *net = nn_cell_train(e, c, &s->spec, &s->opt, tc, &h);
    const double tr = 100 * nn_exp_final(&h, offsetof(nn_epoch, train_acc)),
                 te = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
    nn_measure(e, c, "train_acc", tr), nn_measure(e, c, "test_acc", te), nn_measure(e, c, "gap", tr - te);
    if (c->cond == sh->checked) { /* the ensemble, then the expectation: the masks are drawn in this order */
        double ens[3] = {NAN, NAN, NAN};
        if (!h.diverged) dropout_ensemble(net, &e->data.test, sh->top->ensemble_masks, ens);
        const double rt = dropout_expectation(net, &sh->probe, sh->top->masks, sh->top->p_check);
        nn_measure(e, c, "ratio_train_over_test", rt), nn_measure(e, c, "expectation_deviation", fabs(rt - 1));
        nn_measure(e, c, "weight_scaling", ens[0]), nn_measure(e, c, "mc_average", ens[1]),
            nn_measure(e, c, "one_thinned_net", ens[2]);
        nn_measure(e, c, "mc_gain", ens[1] - ens[2]), nn_measure(e, c, "weight_scaling_distance", fabs(ens[0] - ens[1]));
    }
    nn_measure(e, c, "mean_abs_unit_correlation",
               s->spec.n_hidden > 0 && !h.diverged ? mean_abs_correlation(net, &sh->probe) : NAN);
    if (c->cond == sh->base && sh->ctl >= 0 && !h.diverged) /* its weights, for the thinned copy */
        sh->base_n = net->n_params,
        sh->base_params[c->r] = memcpy(nn_exp_alloc(e, sh->base_n, sizeof(nn_real)), net->params, sh->base_n * sizeof(nn_real));
    if (c->cond == sh->ctl) { /* the unregularized net's weights in a net built like the dropout arm's, thinned at test only */
        const settings *ds = nn_grid_set(e, sh->checked);
        double gain = NAN, below = NAN, ens[3];
        nn_net *copy = nn_exp_build(&ds->spec, ds->net.batch, c->seed);
        if (sh->base_params[c->r] && copy->n_params == sh->base_n) {
            memcpy(copy->params, sh->base_params[c->r], sh->base_n * sizeof(nn_real));
            dropout_ensemble(copy, &e->data.test, sh->top->ensemble_masks, ens);
            gain = ens[1] - ens[2], below = nn_grid_values(e, sh->checked, "one_thinned_net")[c->r] - ens[2];
        }
        nn_net_free(copy), nn_measure(e, c, "gain_without_dropout_training", gain);
        nn_measure(e, c, "one_thinned_net_minus_untrained_copy", below);
    }
    nn_history_free(&h), nn_net_free(net);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    shared sh = {.top = s, .probe = e->data.test, .base = -1, .checked = -1, .ctl = -1,
                 .base_params = nn_exp_alloc(e, (size_t)e->S, sizeof(nn_real *))};
    sh.probe.n = nn_min_i(s->probe, sh.probe.n);
    for (int a = 0; a < e->n_arms; a++) {
        settings as = *(const settings *)e->arm_set[a];
        if ((rc = nn_exp_netcfg(e, &as.net, &as.spec, &as.opt))) return rc;
        if (sh.base < 0 && nn_exp_arm_n_overrides(e, a) == 0) sh.base = a;
        if (sh.checked < 0 && as.spec.dropout > 0) sh.checked = a;
        nn_grid_condition(e, e->arm_name[a], nn_exp_str(e, "%s: %s", e->arm_name[a], reg_words(e, &as)), &as, "arms", a);
    }
    const int base = sh.base, checked = sh.checked;
    if (base >= 0 && checked >= 0 && base != checked) sh.ctl = base > checked ? base : checked;
    nn_grid_seedwise(e, "the thinned copy of the unregularized net is built from that net's trained weights");
    if ((rc = nn_grid_run(e, cell, &sh)) >= 0) return rc;

    const char *cols[] = {"arm", "λ/n (L2)", "p (dropout)", "train accuracy (%)", "test accuracy (%)", "gap (points)"};
    cJSON *table = nn_exp_table(
        e,
        nn_exp_str(e, "%d training images, %d epochs: final train and test accuracy and their gap (mean over %d seeds)",
                   e->data.train.n, s->net.epochs, e->S),
        6, cols);
    for (int a = 0; a < e->n_arms; a++) {
        const settings *as = nn_grid_set(e, a);
        double mtr, mte, sd;
        nn_grid_mean_std(e, a, "train_acc", &mtr, &sd), nn_grid_mean_std(e, a, "test_acc", &mte, &sd);
        nn_exp_row(table, "snnnnn", nn_grid_label(e, a), as->opt.l2, as->spec.dropout, mtr, mte, mtr - mte);
    }
    /* every remedy arm against the unregularized one, paired by seed: in C, as the format cannot say them — the statement
     * names the remedy in words the arm's settings choose (reg_words), the source depends on its dropout, co-adaptation is
     * claimed only for arms with dropout, and the threshold, its control and its note exist only when that arm ran */
    const char *no_base = base < 0 ? "no arm without overrides (the unregularized net) ran" : NULL;
    for (int v = 0; v < e->n_arms; v++) {
        if (v == base) continue;
        const settings *as = nn_grid_set(e, v);
        nn_claim c = {.kind = NN_LECTURE,
                      .id = nn_exp_str(e, "shrinks-gap[%s]", e->arm_name[v]),
                      .statement = nn_exp_str(e, "%s shrinks the train-test accuracy gap of the unregularized net (arm %s)",
                                              reg_words(e, as), e->arm_name[v]),
                      .source = as->net.dropout > 0
                                    ? "seed 001 (dropout: a powerful regularization scheme), seed 000 (inverted dropout)"
                                    : "seed 001 (L2 as a Gaussian prior; weight decay)",
                      .quantity = "final gap with the remedy minus gap without (same seed), points",
                      .op = "<",
                      .threshold = 0,
                      .unmeasured = no_base};
        if (base >= 0) { /* the skeptic: the gap shrinks because the remedy fits the training set worse, not because it
                          * generalizes better; the control: its test accuracy is no lower beyond what the test set resolves */
            double mt, mb, sd;
            nn_mean_std(nn_grid_diff(e, "test_acc", v, base), e->S, &mt, &sd), nn_grid_mean_std(e, base, "test_acc", &mb, &sd);
            const double res = nn_exp_resolution_pct(e, mb);
            nn_claim_control(&c, "the gap shrinks only because the training accuracy falls",
                             nn_exp_str(e,
                                        "test accuracy with the remedy − "
                                        "without, mean over seeds (points; the test set resolves %.2f)",
                                        res),
                             mt, ">", -res);
            /* a shrink smaller than the test set resolves is unresolved, not a shrink; no shrink at all is not held */
            c.threshold = -res, c.has_zone = 1, c.not_held_at = 0;
            c.rule_note =
                nn_exp_str(e,
                           "The threshold is minus what the %d test images resolve at the unregularized net's mean test accuracy "
                           "(%.3g %%), 2·√(2p(1 − p)/n); a gap that does not shrink at all is not held.",
                           e->data.test.n, mb);
        }
        nn_exp_claim_seeds(e, &c, base >= 0 ? nn_grid_diff(e, "gap", v, base) : NULL);
        if (as->net.dropout > 0) { /* seed 001: dropout prevents co-adaptation */
            nn_claim cc = {.kind = NN_LECTURE,
                           .id = nn_exp_str(e, "dropout-less-coadaptation[%s]", e->arm_name[v]),
                           .statement = nn_exp_str(
                               e,
                               "%s reduces co-adaptation: the units of the last hidden layer are less correlated with each "
                               "other than in the unregularized net (arm %s)",
                               reg_words(e, as), e->arm_name[v]),
                           .source = "seed 001 (dropout prevents co-adaptation of units)",
                           .op = "<",
                           .threshold = 0,
                           .unmeasured = no_base,
                           .quantity = nn_exp_str(
                               e,
                               "mean |correlation| between pairs of last-layer units over %d test images, with the remedy "
                               "minus without (same seed)",
                               sh.probe.n),
                           .rule_note = "Units constant over the probe images (dead) are left out of the pairs."};
            nn_exp_require_trained(
                e, &cc, nn_exp_str(e, "the net of arm %s leaves chance (lowest test accuracy over seeds, %%)", e->arm_name[v]),
                nn_exp_worst(e, nn_grid_values(e, v, "test_acc")));
            nn_exp_claim_seeds(e, &cc, base >= 0 ? nn_grid_diff(e, "mean_abs_unit_correlation", v, base) : NULL);
        }
    }
    double ratio = NAN, sd; /* the expectation as it would be without the 1/q scaling, and scaled by 1/p instead */
    if (checked >= 0) nn_grid_mean_std(e, checked, "ratio_train_over_test", &ratio, &sd);
    nn_grid_derived(e, "ratio_without_inverted_scaling", ratio * (1 - s->p_check));
    nn_grid_derived(e, "ratio_if_scaled_by_drop_probability", ratio * (1 - s->p_check) / s->p_check);
    /* the overall mean pools probe × units × masks values, so its sampling error is far below 1 %; without the scaling the
     * ratio would be 1 − p, and scaled by 1/p instead of 1/(1 − p) it would be (1 − p)/p (4 at p = 0.2): either fails the 1 %
     * rule of dropout-expectation. The numbers the claims of experiments/regularization.json read: the arm they are made on (the
     * first with dropout; −1: none), the arm whose cell measured the thinned copy of the unregularized net (the control of
     * dropout-average-beats-one-thinned-net: averaging noisy predictions beats one in any net, so one thinned net of the
     * dropout-trained net must beat one thinned copy of a net never trained with dropout), the dropout arm's drop
     * probability, and what the test set resolves near 90 % (the tolerance of weight-scaling-approximates-average) */
    nn_grid_derived(e, "dropout_arm", checked), nn_grid_derived(e, "thinned_copy_arm", sh.ctl);
    nn_grid_derived(e, "dropout_arm_p", checked >= 0 ? ((const settings *)nn_grid_set(e, checked))->net.dropout : NAN);
    nn_grid_derived(e, "resolution_at_90", nn_exp_resolution_pct(e, 90));
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
