/* batchnorm — batch normalization on Ioffe & Szegedy's MNIST net (seeds 000, 002, 003, 004).
 *
 * Three hidden layers of 100 sigmoid units, mini-batches of 60, plain SGD, with and
 * without batch norm before each sigmoid. From a small Gaussian init (σ = 0.01; the paper
 * gives neither σ nor the rate) the net without BN barely moves at first: every layer
 * scales the signal down. With BN each layer's input is re-centred and re-scaled per
 * mini-batch, so the sigmoid works in its sensitive range from the first step.
 * The conditions, per init of 'inits' and per rate (lr, then lr × lr_factor): the net without
 * BN (group "plain"), then with BN (group "bn"); x is the rate. A cell trains one net for 'steps'
 * mini-batches and records every 'eval_every' steps the test accuracy (with the running averages;
 * a BN net also with batch statistics at test time) and the 15th/50th/85th percentiles of one
 * last-layer unit's sigmoid input (the paper's figure 1b/c) on fixed training images, and how far
 * those percentiles drift. A BN cell also measures how soon it reaches the final accuracy of the
 * plain net of the same seed (run just before it), and its test accuracy one example at a time.
 *
 * Settings: experiments/batchnorm.json (every key: bin/batchnorm --help). Claims: the one about a single
 * example (at the first init and the base rate) is declared in its "claims", judged by the frame after the
 * program's own; run() makes in C the two made at each init and rate, since the format repeats a claim per
 * arm only and these conditions are the program's, as many as 'inits' lists.
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
    nn_init w_init; /* a condition's: its weight init, */
    int bn, plain;  /* with batch norm or not (a BN net: the index of its plain partner), */
    double lr;      /* and its rate */
} settings;

enum { STEP, ACC, ACC_BATCH, P15, P50, P85, N_CURVES };

typedef struct tracker {
    const settings *s;
    const nn_dataset *test, *probe;
    int n;                  /* evaluation points so far */
    double *v[N_CURVES];    /* per evaluation point */
    nn_real *col, *scratch; /* probe values of the unit, and sort space */
    int input_layer;        /* the layer whose output is the unit's sigmoid input */
} tracker;

static void measure(nn_net *net, tracker *t, long step)
{
    int i = t->n++;
    t->v[STEP][i] = (double)step;
    nn_evaluate(net, t->test, 0, NN_EVAL, NULL, &t->v[ACC][i]);
    t->v[ACC_BATCH][i] = NAN;
    if (t->s->bn) nn_evaluate(net, t->test, 0, NN_EVAL_BATCHSTATS, NULL, &t->v[ACC_BATCH][i]);
    /* the unit's sigmoid input over the probe images, as the net computes it at test time */
    const nn_layer *L = &net->layers[t->input_layer];
    for (int start = 0; start < t->probe->n; start += net->max_batch) {
        int B = nn_min_i(net->max_batch, t->probe->n - start);
        nn_net_forward(net, t->probe->X + (size_t)start * t->probe->d, B, NN_EVAL);
        for (int r = 0; r < B; r++) t->col[start + r] = L->out[(size_t)r * L->n + t->s->unit];
    }
    nn_value_stats st;
    nn_stats_values(t->col, t->probe->n, NN_ACT_COUNT, t->scratch, &st);
    t->v[P15][i] = st.p15, t->v[P50][i] = st.p50, t->v[P85][i] = st.p85;
}

static int after_update(nn_train_ctx *ctx, void *user)
{
    tracker *t = user;
    if (ctx->global_step % t->s->eval_every == 0) measure(ctx->net, t, ctx->global_step);
    return ctx->global_step >= t->s->steps; /* stop at the step budget */
}

/* mean over the three percentiles of their range over training (after step 0); scale_free: with each evaluation
 * point's percentiles divided by that point's spread p85 − p15, so that a drift that is only the input's scale
 * growing (every percentile times one factor) gives 0 */
static double drift(const tracker *t, int scale_free)
{
    double sum = 0;
    for (int q = P15; q <= P85; q++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 1; i < t->n; i++) {
            const double spread = t->v[P85][i] - t->v[P15][i];
            if (scale_free && !(spread > 0)) continue; /* all probe values equal: no scale to divide by */
            const double x = scale_free ? t->v[q][i] / spread : t->v[q][i];
            lo = fmin(lo, x), hi = fmax(hi, x);
        }
        if (scale_free && !(hi >= lo)) return NAN;
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
static const nn_cfg_refusal not_honoured[] = {{"batchnorm", "the program runs every init with and without batch norm"},
                                              {"init", "the 'inits' list sets the weight init of each pair of runs"},
                                              {"init_scale", "the 'inits' list carries the scale (e.g. normal:0.01)"},
                                              {"epochs", "the budget is 'steps' (mini-batches), not epochs"},
                                              {NULL, NULL}};

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
    f[n++] =
        (nn_cfg_field){"lr_factor", NN_CFG_REAL, &s->lr_factor, 1, 1000, NULL, NULL, 0, 0, "the higher-rate runs use lr × this"};
    f[n++] = (nn_cfg_field){"inits", NN_CFG_STR_LIST, s->inits, 0, 0, NULL, &s->n_inits, 4, 1,
                            "weight inits NAME[:SCALE]; the first is the one the claims use"};
    return n;
}

static const nn_exp_def def = {"batchnorm", "Ioffe & Szegedy's MNIST net with and without batch norm.", NN_EXP_BUILTIN_CONFIG,
                               sizeof(settings), fields};

typedef struct shared {
    nn_mlp_spec base;
    nn_optim opt;
    nn_dataset probe; /* the first `probe` training images */
} shared;

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const shared *sh = ctx;
    const int M = s->steps / s->eval_every + 2;
    const long per_epoch = (e->data.train.n + s->net.batch - 1) / s->net.batch;
    nn_mlp_spec sp = sh->base;
    sp.batchnorm = s->bn, sp.w_init = s->w_init;
    nn_optim o = sh->opt;
    o.lr = s->lr;
    tracker t = {.s = s, .test = &e->data.test, .probe = &sh->probe};
    double *curves = nn_calloc((size_t)N_CURVES * M, sizeof(double));
    for (int k = 0; k < N_CURVES; k++) t.v[k] = curves + (size_t)k * M;
    t.col = nn_calloc((size_t)sh->probe.n, sizeof(nn_real)), t.scratch = nn_calloc((size_t)sh->probe.n, sizeof(nn_real));
    nn_net *net = nn_exp_build(&sp, s->net.batch, c->seed);
    /* the unit's sigmoid input: the layer just below the last hidden sigmoid */
    nn_mlp_layout lo;
    nn_mlp_layout_of(net, &lo);
    t.input_layer = net->layers[lo.act[sp.n_hidden - 1]].in;
    measure(net, &t, 0);
    nn_train_cfg tc = {.epochs = (int)((s->steps + per_epoch - 1) / per_epoch), .batch = s->net.batch,
                       .skip_test = 1, /* the tracker evaluates the test set every eval_every steps */
                       .after_update = after_update, .user = &t};
    nn_history h;
    nn_cell_train_net(e, c, net, &o, tc, &h);
    const char *curve[N_CURVES] = {"step", "test_acc", "test_acc_batch_stats", "p15", "p50", "p85"};
    for (int k = 0; k < N_CURVES; k++)
        if (k != ACC_BATCH || s->bn) nn_measure_series(e, c, curve[k], t.v[k], t.n);
    nn_measure(e, c, "final_test_acc", t.v[ACC][t.n - 1]);
    nn_measure(e, c, "percentile_drift", drift(&t, 0));
    nn_measure(e, c, "percentile_drift_scale_free", drift(&t, 1));
    if (s->bn) {
        nn_measure(e, c, "final_test_acc_batch_stats", t.v[ACC_BATCH][t.n - 1]);
        /* steps to the final test accuracy of the plain net of this seed, over all steps (never: 2, beyond the budget) */
        const double target = nn_grid_values(e, s->plain, "final_test_acc")[c->r];
        int i = 0;
        while (i < t.n && !(t.v[ACC][i] >= target)) i++;
        nn_measure(e, c, "steps_to_plain_final_frac", i < t.n ? t.v[STEP][i] / t.v[STEP][t.n - 1] : 2);
        const double run = h.diverged ? NAN : 100 * accuracy_one_by_one(net, &e->data.test, NN_EVAL);
        const double own = h.diverged ? NAN : 100 * accuracy_one_by_one(net, &e->data.test, NN_EVAL_BATCHSTATS);
        nn_measure(e, c, "test_acc_one_by_one_running", run);
        nn_measure(e, c, "test_acc_one_by_one_batch_stats", own);
        nn_measure(e, c, "test_acc_one_by_one_gap", run - own);
    }
    free(curves), free(t.col), free(t.scratch);
    nn_history_free(&h);
    nn_net_free(net);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    shared sh;
    if ((rc = nn_exp_netcfg(e, &s->net, &sh.base, &sh.opt))) return rc;
    if (sh.base.n_hidden < 1 || s->unit >= sh.base.hidden[sh.base.n_hidden - 1])
        return nn_exp_fail(e, 2, "'unit' %d is not in the last hidden layer (%d units)", s->unit,
                           sh.base.n_hidden ? sh.base.hidden[sh.base.n_hidden - 1] : 0);
    sh.probe = e->data.train;
    sh.probe.n = nn_min_i(s->probe, sh.probe.n);
    for (int ii = 0; ii < s->n_inits; ii++) {
        char nm[NN_STR];
        snprintf(nm, sizeof nm, "%s", s->inits[ii]);
        char *colon = strchr(nm, ':');
        double scale = colon ? strtod(colon + 1, NULL) : 1;
        if (colon) *colon = '\0';
        if (nn_init_parse(nm, &s->w_init.kind) || !(scale >= 0)) return nn_exp_fail(e, 2, "'inits': %s", nn_error());
        s->w_init.scale = scale;
        for (int lrk = 0; lrk < 2;
             lrk++) /* the four conditions per init: without/with BN at the base rate and at lr × lr_factor */
            for (s->bn = 0; s->bn < 2; s->bn++) {
                s->lr = sh.opt.lr * (lrk ? s->lr_factor : 1);
                s->plain = s->bn ? nn_grid_n(e) - 1 : -1;
                const char *name = nn_exp_str(e, "%s-%s-lr%g", s->inits[ii], s->bn ? "bn" : "plain", s->lr);
                /* a name given twice (an init listed twice, or lr_factor 1) gets the condition's index */
                nn_grid_condition(e, nn_grid_find(e, name) < 0 ? name : nn_exp_str(e, "%s-%d", name, nn_grid_n(e)), name,
                                  s, s->bn ? "bn" : "plain", s->lr);
            }
    }
    if ((rc = nn_grid_run(e, cell, &sh)) >= 0) return rc;

    const char *cols[] = {"init", "batch norm", "η", "test accuracy (%)", "with batch statistics (%)", "percentile drift"};
    cJSON *rows = nn_exp_table(e, nn_exp_str(e, "After %d steps (mean over %d seeds): test accuracy with running averages and "
                                                  "with batch statistics, and the drift of one last-layer sigmoid's input "
                                                  "percentiles", s->steps, e->S), 6, cols);
    for (int i = 0; i < nn_grid_n(e); i++) {
        const settings *cs = nn_grid_set(e, i);
        double acc, bs = NAN, dr, sd;
        nn_grid_mean_std(e, i, "final_test_acc", &acc, &sd);
        if (cs->bn) nn_grid_mean_std(e, i, "final_test_acc_batch_stats", &bs, &sd);
        nn_grid_mean_std(e, i, "percentile_drift", &dr, &sd);
        nn_exp_row(rows, "ssnnnn", s->inits[i / 4], cs->bn ? "yes" : "no", cs->lr, 100 * acc, 100 * bs, dr);
    }
    /* the claims at each init and rate, paired by seed: in C, as the format repeats a claim per arm only */
    for (int plain = 0; plain < nn_grid_n(e); plain += 2) {
        const int bn = plain + 1, ii = plain / 4;
        const double lr_run = ((const settings *)nn_grid_set(e, plain))->lr;
        const double sf_worst = nn_exp_worst_high(
            e, nn_grid_ratio(e, "percentile_drift_scale_free", bn, plain)); /* a seed without a measurement fails it */
        const char *cond = nn_exp_str(e, "init %s, η = %g", s->inits[ii], lr_run);
        nn_claim cf = {.kind = NN_LECTURE, .id = nn_exp_str(e, "bn-faster[%s, lr %g]", s->inits[ii], lr_run),
                       .statement = nn_exp_str(e, "With batch norm the net reaches the no-BN net's final test accuracy in "
                                                   "at most half the steps (%s)", cond),
                       .source = "Ioffe & Szegedy 2015 (via seeds 003, 004: batch norm speeds up training)",
                       .quantity = "steps for BN to reach the plain net's final accuracy (same seed) / total steps",
                       .op = "<=", .threshold = 0.5,
                       .rule_note = "Judged at every init and rate the experiment runs. A BN run that never reaches the "
                                    "plain net's final accuracy counts as 2 (beyond the budget)."};
        nn_exp_require_trained(e, &cf,
                               nn_exp_str(e, "the plain net leaves chance (lowest final test accuracy over seeds, %%, %s)", cond),
                               100 * nn_grid_min(e, plain, "final_test_acc"));
        nn_exp_claim_seeds(e, &cf, nn_grid_values(e, bn, "steps_to_plain_final_frac"));
        nn_claim cd = {.kind = NN_LECTURE, .id = nn_exp_str(e, "bn-stabler-inputs[%s, lr %g]", s->inits[ii], lr_run),
                       .statement = nn_exp_str(e, "The 15th/50th/85th percentiles of a last-layer sigmoid's input drift "
                                                   "less with batch norm (%s)", cond),
                       .source = "Ioffe & Szegedy 2015, figure 1 (via seed 003)",
                       .quantity = "percentile drift with BN / without BN (same seed)", .op = "<", .threshold = 1};
        nn_claim_control(&cd, "the input without batch norm drifts only because its scale grows with the weights",
                         "the same drift ratio with each point's percentiles divided by its spread p85 − p15 (a pure "
                         "change of scale drifts 0), largest over seeds", sf_worst, "<", 1);
        nn_exp_claim_seeds(e, &cd, nn_grid_ratio(e, "percentile_drift", bn, plain));
    }
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
