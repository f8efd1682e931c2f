/* batchnorm — batch normalization on Ioffe & Szegedy's MNIST net (seeds 000, 002, 003, 004).
 *
 * Three hidden layers of 100 sigmoid units, mini-batches of 60, plain SGD, with and
 * without batch norm before each sigmoid. From a small Gaussian init (σ = 0.01; the paper
 * gives neither σ nor the rate) the net without BN barely moves at first: every layer
 * scales the signal down. With BN each layer's input is re-centred and re-scaled per
 * mini-batch, so the sigmoid works in its sensitive range from the first step. We record
 * test accuracy every few steps, the 15th/50th/85th percentiles of one last-layer unit's
 * sigmoid input (the paper's figure 1b/c) on fixed training images, a run at 5× the rate,
 * and test accuracy with the running averages against batch statistics at test time.
 *
 * Settings: experiments/batchnorm.json (every key: bin/batchnorm --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    int steps, eval_every, probe, unit;
    double lr_factor;
    char inits[4][NN_STR];
    int n_inits;
} settings;

typedef struct tracker {
    const settings *s;
    const nn_dataset *test, *probe;
    int bn;
    int n;                      /* evaluation points so far */
    double *step, *acc, *acc_batch, *p15, *p50, *p85;
    nn_real *col, *scratch;     /* probe values of the unit, and sort space */
    int input_layer;            /* the layer whose output is the unit's sigmoid input */
} tracker;

static void measure(nn_net *net, tracker *t, long step)
{
    int i = t->n++;
    t->step[i] = (double)step;
    nn_evaluate(net, t->test, 0, NN_EVAL, NULL, &t->acc[i]);
    t->acc_batch[i] = NAN;
    if (t->bn) nn_evaluate(net, t->test, 0, NN_EVAL_BATCHSTATS, NULL, &t->acc_batch[i]);
    /* the unit's sigmoid input over the probe images, as the net computes it at test time */
    const nn_layer *L = &net->layers[t->input_layer];
    for (int start = 0; start < t->probe->n; start += net->max_batch) {
        int B = nn_min_i(net->max_batch, t->probe->n - start);
        nn_net_forward(net, t->probe->X + (size_t)start * t->probe->d, B, NN_EVAL);
        for (int r = 0; r < B; r++) t->col[start + r] = L->out[(size_t)r * L->n + t->s->unit];
    }
    nn_value_stats st;
    nn_stats_values(t->col, t->probe->n, NN_ACT_COUNT, t->scratch, &st);
    t->p15[i] = st.p15, t->p50[i] = st.p50, t->p85[i] = st.p85;
}

static int after_update(nn_train_ctx *ctx, void *user)
{
    tracker *t = user;
    if (ctx->global_step % t->s->eval_every == 0) measure(ctx->net, t, ctx->global_step);
    return ctx->global_step >= t->s->steps; /* stop at the step budget */
}

/* steps until a curve first reaches `target` (NaN if never) */
static double steps_to(const double *step, const double *acc, int n, double target)
{
    for (int i = 0; i < n; i++)
        if (acc[i] >= target) return step[i];
    return NAN;
}

/* mean over the three percentiles of their range over training (after step 0) */
static double drift(const tracker *t)
{
    const double *p[3] = {t->p15, t->p50, t->p85};
    double sum = 0;
    for (int q = 0; q < 3; q++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 1; i < t->n; i++) lo = fmin(lo, p[q][i]), hi = fmax(hi, p[q][i]);
        sum += hi - lo;
    }
    return sum / 3;
}

/* the same with each evaluation point's percentiles divided by that point's spread p85 − p15: a drift that is only
 * the input's scale growing (every percentile times one factor) gives 0 */
static double drift_scale_free(const tracker *t)
{
    const double *p[3] = {t->p15, t->p50, t->p85};
    double sum = 0;
    for (int q = 0; q < 3; q++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 1; i < t->n; i++) {
            const double spread = t->p85[i] - t->p15[i];
            if (!(spread > 0)) continue; /* all probe values equal: no scale to divide by */
            const double x = p[q][i] / spread;
            lo = fmin(lo, x), hi = fmax(hi, x);
        }
        if (!(hi >= lo)) return NAN;
        sum += hi - lo;
    }
    return sum / 3;
}

/* Test accuracy one example at a time (batches of one), with the running averages (NN_EVAL) or with
 * the example's own batch statistics (NN_EVAL_BATCHSTATS: its mean is itself, its variance 0, so
 * every normalized input is 0 and every example gets the same output). */
static double accuracy_one_by_one(nn_net *net, const nn_dataset *test, nn_mode mode)
{
    long right = 0;
    for (int i = 0; i < test->n; i++) {
        nn_net_forward(net, test->X + (size_t)i * test->d, 1, mode);
        right += nn_predict_row(net, 0) == test->y[i];
    }
    return test->n ? (double)right / test->n : NAN;
}

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"batchnorm", "the program runs every init with and without batch norm"}, {"init", "the 'inits' list sets the weight init of each pair of runs"}, {"init_scale", "the 'inits' list carries the scale (e.g. normal:0.01)"}, {"epochs", "the budget is 'steps' (mini-batches), not epochs"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"steps", NN_CFG_INT, &s->steps, 1, 100000000, NULL, NULL, 0, 0, "training steps (mini-batches)"};
    f[n++] = (nn_cfg_field){"eval_every", NN_CFG_INT, &s->eval_every, 1, 1000000, NULL, NULL, 0, 0, "steps between measurements"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 10, 100000, NULL, NULL, 0, 0,
                            "training images the sigmoid-input percentiles are taken over"};
    f[n++] = (nn_cfg_field){"unit", NN_CFG_INT, &s->unit, 0, 100000, NULL, NULL, 0, 0, "which last-hidden-layer unit to follow"};
    f[n++] = (nn_cfg_field){"lr_factor", NN_CFG_REAL, &s->lr_factor, 1, 1000, NULL, NULL, 0, 0, "the higher-rate runs use lr × this"};
    f[n++] = (nn_cfg_field){"inits", NN_CFG_STR_LIST, s->inits, 0, 0, NULL, &s->n_inits, 4, 1,
                            "weight inits NAME[:SCALE]; the first is the one the claims use"};
    return n;
}

static const nn_exp_def def = {"batchnorm", "Ioffe & Szegedy's MNIST net with and without batch norm.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_mlp_spec base;
    nn_optim opt;
    if ((rc = nn_exp_netcfg(&e, &s.net, &base, &opt))) return rc;
    if (s.unit >= base.hidden[base.n_hidden - 1] || base.n_hidden < 1)
        return nn_exp_fail(&e, 2, "'unit' %d is not in the last hidden layer (%d units)", s.unit,
                base.n_hidden ? base.hidden[base.n_hidden - 1] : 0);
    nn_dataset probe = e.data.train;
    probe.n = nn_min_i(s.probe, probe.n);
    const int S = s.common.seeds, M = s.steps / s.eval_every + 2;
    const long per_epoch = (e.data.train.n + s.net.batch - 1) / s.net.batch;
    cJSON *curves = cJSON_AddArrayToObject(e.summary, "curves");
    char cap[200];
    snprintf(cap, sizeof cap, "After %d steps (mean over %d seeds): test accuracy with running averages and with batch "
             "statistics, and the drift of one last-layer sigmoid's input percentiles", s.steps, S);
    const char *cols[] = {"init", "batch norm", "η", "test accuracy (%)", "with batch statistics (%)", "percentile drift"};
    cJSON *rows = nn_exp_table(&e, cap, 6, cols);
    for (int ii = 0; ii < s.n_inits; ii++) {
        nn_init wi;
        char nm[NN_STR];
        snprintf(nm, sizeof nm, "%s", s.inits[ii]);
        char *colon = strchr(nm, ':');
        double scale = colon ? strtod(colon + 1, NULL) : 1;
        if (colon) *colon = '\0';
        if (nn_init_parse(nm, &wi.kind) || !(scale >= 0))
            return nn_exp_fail(&e, 2, "'inits': %s", nn_error());
        wi.scale = scale;
        /* the four runs per init: without/with BN at the base rate and at lr × lr_factor */
        for (int lrk = 0; lrk < 2; lrk++) {
            double acc_end[2] = {0, 0}, drifts[2] = {0, 0};
            double *mean_curve[2] = {nn_exp_alloc(&e, (size_t)M, sizeof(double)), nn_exp_alloc(&e, (size_t)M, sizeof(double))};
            double *steps_axis = nn_exp_alloc(&e, (size_t)M, sizeof(double));
            tracker *pair[2]; /* the plain and BN runs of this init and rate, per seed */
            double lr_run = 0, *one_run = nn_exp_vec(&e), *one_batch = nn_exp_vec(&e);
            int npts = 0;
            for (int bn = 0; bn < 2; bn++) {
                nn_mlp_spec sp = base;
                sp.batchnorm = bn;
                sp.w_init = wi;
                nn_optim o = opt;
                o.lr = opt.lr * (lrk ? s.lr_factor : 1);
                char group[96];
                snprintf(group, sizeof group, "%s-%s-lr%g", s.inits[ii], bn ? "bn" : "plain", o.lr);
                double **acc_runs = nn_exp_alloc(&e, (size_t)S, sizeof(double *)),
                       **batch_runs = nn_exp_alloc(&e, (size_t)S, sizeof(double *)), **p_runs[3];
                for (int q = 0; q < 3; q++) p_runs[q] = nn_exp_alloc(&e, (size_t)S, sizeof(double *));
                tracker *tr = pair[bn] = nn_exp_alloc(&e, (size_t)S, sizeof(tracker));
                lr_run = o.lr;
                for (int r = 0; r < S; r++) {
                    uint64_t seed = e.seeds[r];
                    nn_net *net = nn_exp_build(&sp, s.net.batch, seed);
                    o.v = NULL;
                    nn_optim_init(&o, net);
                    tracker *t = &tr[r];
                    *t = (tracker){.s = &s, .test = &e.data.test, .probe = &probe, .bn = bn};
                    t->step = nn_exp_alloc(&e, (size_t)M, sizeof(double)), t->acc = nn_exp_alloc(&e, (size_t)M, sizeof(double));
                    t->acc_batch = nn_exp_alloc(&e, (size_t)M, sizeof(double));
                    t->p15 = nn_exp_alloc(&e, (size_t)M, sizeof(double)), t->p50 = nn_exp_alloc(&e, (size_t)M, sizeof(double));
                    t->p85 = nn_exp_alloc(&e, (size_t)M, sizeof(double));
                    t->col = nn_exp_alloc(&e, (size_t)probe.n, sizeof(nn_real));
                    t->scratch = nn_exp_alloc(&e, (size_t)probe.n, sizeof(nn_real));
                    /* the unit's sigmoid input: the layer just below the last hidden sigmoid */
                    nn_mlp_layout lo;
                    nn_mlp_layout_of(net, &lo);
                    t->input_layer = net->layers[lo.act[base.n_hidden - 1]].in;
                    measure(net, t, 0);
                    nn_train_cfg tc = {.epochs = (int)((s.steps + per_epoch - 1) / per_epoch), .batch = s.net.batch,
                                       .seed = seed, .after_update = after_update, .user = t, .label = group,
                                       .progress = 1};
                    nn_history h;
                    nn_exp_train(net, &o, &e.data.train, NULL, &tc, &h);
                    if (bn && !h.diverged) {
                        one_run[r] = 100 * accuracy_one_by_one(net, &e.data.test, NN_EVAL);
                        one_batch[r] = 100 * accuracy_one_by_one(net, &e.data.test, NN_EVAL_BATCHSTATS);
                    }
                    cJSON *run = nn_exp_add_run(&e, group, group, seed, &h);
                    if (bn) {
                        cJSON_AddItemToObject(run, "test_acc_one_by_one_running", nn_json_num(one_run[r]));
                        cJSON_AddItemToObject(run, "test_acc_one_by_one_batch_stats", nn_json_num(one_batch[r]));
                    }
                    cJSON_AddItemToObject(run, "step", nn_json_series(t->step, t->n));
                    cJSON_AddItemToObject(run, "test_acc", nn_json_series(t->acc, t->n));
                    if (bn) cJSON_AddItemToObject(run, "test_acc_batch_stats", nn_json_series(t->acc_batch, t->n));
                    acc_runs[r] = t->acc, batch_runs[r] = t->acc_batch;
                    p_runs[0][r] = t->p15, p_runs[1][r] = t->p50, p_runs[2][r] = t->p85;
                    npts = t->n;
                    drifts[bn] += drift(t) / S;
                    if (h.diverged)
                        nn_exp_say(&e, "%s seed %llu diverged at step %ld of epoch %d", group, (unsigned long long)seed,
                                   h.div_step, h.div_epoch);
                    nn_history_free(&h);
                    nn_optim_free(&o);
                    nn_net_free(net);
                }
                memcpy(steps_axis, tr[0].step, (size_t)npts * sizeof(double));
                cJSON *c = cJSON_CreateObject();
                cJSON_AddStringToObject(c, "label", group);
                cJSON_AddStringToObject(c, "init", s.inits[ii]);
                cJSON_AddBoolToObject(c, "batchnorm", bn);
                cJSON_AddItemToObject(c, "lr", nn_json_num(o.lr));
                cJSON_AddItemToObject(c, "step", nn_json_series(steps_axis, npts));
                cJSON_AddItemToObject(c, "test_acc", nn_json_mean_std(acc_runs, S, npts));
                if (bn) cJSON_AddItemToObject(c, "test_acc_batch_stats", nn_json_mean_std(batch_runs, S, npts));
                cJSON *pc = cJSON_AddObjectToObject(c, "unit_input_percentiles");
                cJSON_AddItemToObject(pc, "p15", nn_json_mean_std(p_runs[0], S, npts));
                cJSON_AddItemToObject(pc, "p50", nn_json_mean_std(p_runs[1], S, npts));
                cJSON_AddItemToObject(pc, "p85", nn_json_mean_std(p_runs[2], S, npts));
                cJSON_AddItemToObject(c, "percentile_drift", nn_json_num(drifts[bn]));
                cJSON_AddItemToArray(curves, c);
                for (int i = 0; i < npts; i++) {
                    double m = 0;
                    for (int r = 0; r < S; r++) m += acc_runs[r][i] / S;
                    mean_curve[bn][i] = m;
                }
                acc_end[bn] = mean_curve[bn][npts - 1];
                double bs = NAN;
                if (bn) {
                    double m = 0;
                    for (int r = 0; r < S; r++) m += batch_runs[r][npts - 1] / S;
                    bs = m;
                }
                cJSON_AddItemToObject(c, "final_test_acc", nn_json_num(acc_end[bn]));
                cJSON_AddItemToObject(c, "final_test_acc_batch_stats", nn_json_num(bs));
                nn_exp_row(rows, "ssnnnn", s.inits[ii], bn ? "yes" : "no", o.lr, 100 * acc_end[bn], 100 * bs, drifts[bn]);
                nn_exp_say(&e, "%-30s final test accuracy %.2f %%%s, percentile drift %.3f", group, 100 * acc_end[bn],
                           bn ? "" : " (no BN)", drifts[bn]);
            }
            /* the claims at this init and rate, paired by seed */
            double *ratio = nn_exp_vec(&e), *dr = nn_exp_vec(&e), *dsf = nn_exp_vec(&e), plain_min = INFINITY;
            for (int r = 0; r < S; r++) {
                const tracker *p0 = &pair[0][r], *p1 = &pair[1][r];
                double target = p0->acc[p0->n - 1];
                plain_min = fmin(plain_min, 100 * target);
                double reach = steps_to(p1->step, p1->acc, p1->n, target);
                ratio[r] = isnan(reach) ? 2 : reach / p1->step[p1->n - 1];
                dr[r] = drift(p1) / drift(p0);
                dsf[r] = drift_scale_free(p1) / drift_scale_free(p0);
            }
            const double sf_worst = nn_exp_worst_high(&e, dsf); /* a seed without a measurement fails it */
            const char *cond = nn_exp_str(&e, "init %s, η = %g", s.inits[ii], lr_run);
            nn_claim cf = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "bn-faster[%s, lr %g]", s.inits[ii], lr_run),
                           .statement = nn_exp_str(&e, "With batch norm the net reaches the no-BN net's final test accuracy in "
                                                       "at most half the steps (%s)", cond),
                           .source = "Ioffe & Szegedy 2015 (via seeds 003, 004: batch norm speeds up training)",
                           .quantity = "steps for BN to reach the plain net's final accuracy (same seed) / total steps",
                           .op = "<=", .threshold = 0.5,
                           .rule_note = "Judged at every init and rate the experiment runs. A BN run that never reaches the "
                                        "plain net's final accuracy counts as 2 (beyond the budget)."};
            nn_exp_require_trained(&e, &cf, nn_exp_str(&e, "the plain net leaves chance (lowest final test accuracy over seeds, %%, %s)", cond), plain_min);
            nn_exp_claim_seeds(&e, &cf, ratio);
            nn_claim cd = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "bn-stabler-inputs[%s, lr %g]", s.inits[ii], lr_run),
                           .statement = nn_exp_str(&e, "The 15th/50th/85th percentiles of a last-layer sigmoid's input drift "
                                                       "less with batch norm (%s)", cond),
                           .source = "Ioffe & Szegedy 2015, figure 1 (via seed 003)",
                           .quantity = "percentile drift with BN / without BN (same seed)", .op = "<", .threshold = 1};
            nn_claim_control(&cd, "the input without batch norm drifts only because its scale grows with the weights",
                             "the same drift ratio with each point's percentiles divided by its spread p85 − p15 (a pure "
                             "change of scale drifts 0), largest over seeds", sf_worst, "<", 1);
            nn_exp_claim_seeds(&e, &cd, dr);
            if (ii == 0 && lrk == 0) { /* once: the first init at the base rate */
                double *gap = nn_exp_vec(&e);
                for (int r = 0; r < S; r++) gap[r] = one_run[r] - one_batch[r];
                nn_claim co = {.kind = NN_IDENTITY, .id = "bn-one-example-needs-running-averages",
                               .statement = nn_exp_str(&e, "A trained batch-norm net classifies test examples one at a time "
                                                           "with its running averages; with each example's own batch "
                                                           "statistics every example gets the same output (%s)", cond),
                               .source = "seed 000, seed 003 (at test time batch norm uses running averages: one example "
                                         "suffices)",
                               .quantity = "test accuracy one example at a time, running averages minus the example's own "
                                           "statistics (same seed), points",
                               .op = ">", .threshold = NN_EXP_TRAINED_MARGIN,
                               .rule_note = "A batch of one has mean = the example and variance 0: every normalized input is "
                                            "0. The threshold is the lab's margin above chance: the running averages must "
                                            "leave chance behind."};
                nn_exp_claim_seeds(&e, &co, gap);
                double m1, s1, m2, s2;
                nn_mean_std(one_run, S, &m1, &s1);
                nn_mean_std(one_batch, S, &m2, &s2);
                nn_exp_say(&e, "one example at a time: running averages %.2f %%, its own statistics %.2f %%", m1, m2);
            }
        }
    }
    return nn_exp_finish(&e);
}
