/* saturation — why a saturated sigmoid learns slowly under the quadratic loss (seed 003).
 *
 * Part 1: one sigmoid unit a = σ(w·x + b) on one example x = 1, y = 0, full-batch gradient descent. With the
 * quadratic loss C = ½(a − y)², ∂C/∂w = (a − y)·σ'(z)·x = a²(1 − a): tiny when a ≈ 1, so from (w, b) = (2, 2)
 * (a ≈ 0.98) the unit barely moves at first. With the log-loss C = −log(1 − a), ∂C/∂w = a: the error itself.
 * Part 2 (seed 003's exercise): how many first-hidden-layer sigmoid units are saturated (output outside
 * [0.01, 0.99]) at initialization, for weights N(0, σ²) with several σ, on raw [0, 1] pixels and on
 * standardized pixels, biases zero.
 * Part 3 (seeds 003 and 004, "the message"): the same lesson in a whole network. One net, 784-`net_hidden`-10
 * with sigmoid hidden units, trained twice from the same seed and at the same rate: with sigmoid outputs and
 * the quadratic loss, whose output gradient carries σ′(z), and with softmax outputs and the cross-entropy,
 * whose gradient ŷ − y has no σ′; test accuracy per epoch.
 *
 * The conditions, in this order: group "unit", each start of `starts` × {quadratic, log-loss} (named
 * "quadratic-w2-b2" …), deterministic: every seed's cell records the same trajectory (the series epoch, loss,
 * a, w, b, dCdw before each update), a at the start, after `claim_epochs` and at the end, the first epoch with
 * a < 0.5 and the largest |dC/dw − a| / a; group "init", one per σ in increasing order (named by σ, x σ), each
 * cell its saturated fraction on raw and on standardized images; group "network", the two nets at `net_lr`,
 * and group "rates", each again for one epoch at each rate of `rates` (x the rate), each cell its training
 * record and its test accuracy (%) after epoch 1 and at the end.
 *
 * Settings, and the claims: experiments/saturation.json (every key: bin/saturation --help). The claims judge the
 * cells' measures and the numbers main() derives from them after the cells (the document's "derived").
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    double lr;                              /* part 1 */
    int epochs, claim_epochs;               /* claim_epochs: the "first 50 epochs" of the claims */
    double starts[16];                      /* (w0, b0) pairs */
    int n_starts;
    double sigmas[16];                      /* part 2 */
    int n_sigmas, fanin, hidden, samples;   /* fanin: also σ = 1/√n_in; hidden: width of the first hidden layer */
    int net_hidden, net_batch, net_epochs;  /* part 3 */
    double net_lr, rates[8]; /* rates: both nets again at these rates, for one epoch (each at its own best rate) */
    int n_rates;
    int part, v;       /* a condition's: its part (1–3) and loss (an index of losses, part 1, or heads, part 3), */
    double w0, b0;     /* its unit's start (part 1), */
    double sigma;      /* its weight sd and that sd's name (part 2), */
    char sigma_name[32];
    double net_lr_c;   /* its net's rate and epochs (part 3) */
    int net_epochs_c;
} settings;

static const nn_loss losses[2] = {NN_LOSS_QUADRATIC, NN_LOSS_LOGLOSS};
static const struct { const char *name; nn_act out; nn_loss loss; } heads[2] = {
    {"quadratic", NN_SIGMOID, NN_LOSS_QUADRATIC}, {"softmax_ce", NN_SOFTMAX, NN_LOSS_SOFTMAX_CE}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    (void)r, (void)n_r;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"lr", NN_CFG_REAL, &s->lr, 1e-6, 100, NULL, NULL, 0, 0, "learning rate η of the single unit"};
    f[n++] = (nn_cfg_field){"epochs", NN_CFG_INT, &s->epochs, 1, 1000000, NULL, NULL, 0, 0, "epochs of the single unit"};
    f[n++] = (nn_cfg_field){"starts", NN_CFG_REAL_LIST, s->starts, -100, 100, NULL, &s->n_starts, 16, 2,
                            "starting points w0, b0, w0, b0, … of the single unit"};
    f[n++] = (nn_cfg_field){"claim_epochs", NN_CFG_INT, &s->claim_epochs, 1, 1000000, NULL, NULL, 0, 0,
                            "the claims look at the first N epochs (seed 003: 50)"};
    f[n++] = (nn_cfg_field){"sigmas", NN_CFG_REAL_LIST, s->sigmas, 1e-6, 100, NULL, &s->n_sigmas, 15, 1,
                            "part 2: weight standard deviations σ"};
    f[n++] = (nn_cfg_field){"fanin", NN_CFG_BOOL, &s->fanin, 0, 1, NULL, NULL, 0, 0, "part 2: also σ = 1/√n_in"};
    f[n++] = (nn_cfg_field){"hidden", NN_CFG_INT, &s->hidden, 1, 100000, NULL, NULL, 0, 0, "part 2: first hidden layer width"};
    f[n++] = (nn_cfg_field){"samples", NN_CFG_INT, &s->samples, 1, 100000, NULL, NULL, 0, 0, "part 2: images measured"};
    f[n++] = (nn_cfg_field){"net_hidden", NN_CFG_INT, &s->net_hidden, 1, 100000, NULL, NULL, 0, 0,
                            "part 3: sigmoid hidden units of the network"};
    f[n++] = (nn_cfg_field){"net_lr", NN_CFG_REAL, &s->net_lr, 1e-6, 100, NULL, NULL, 0, 0,
                            "part 3: learning rate of both networks (SGD)"};
    f[n++] = (nn_cfg_field){"net_batch", NN_CFG_INT, &s->net_batch, 1, 100000, NULL, NULL, 0, 0, "part 3: mini-batch size"};
    f[n++] = (nn_cfg_field){"net_epochs", NN_CFG_INT, &s->net_epochs, 1, 10000, NULL, NULL, 0, 0, "part 3: epochs"};
    f[n++] = (nn_cfg_field){"rates", NN_CFG_REAL_LIST, s->rates, 1e-6, 100, NULL, &s->n_rates, 8, 0,
                            "part 3: both nets again at these rates for one epoch (the control: each at its own best rate)"};
    return n;
}

static const nn_exp_def def = {"saturation", "A saturated sigmoid unit under quadratic and log-loss; saturation at init.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* ---- part 1: one unit ------------------------------------------------------------ */

enum { EPOCH, LOSS, A, W, B, DW, NSER }; /* the unit's series, one value per epoch */
static const char *const ser_name[NSER] = {"epoch", "loss", "a", "w", "b", "dCdw"};

typedef struct trace {
    double *v[NSER];
    int n;
} trace;

/* before each update: the values the epoch starts from, and this epoch's gradient */
static int record(nn_train_ctx *ctx, void *user)
{
    trace *t = user;
    const nn_layer *d = &ctx->net->layers[0];
    const double v[NSER] = {t->n, ctx->loss, nn_net_output_values(ctx->net)[0], d->W[0], d->b[0], d->dW[0]};
    for (int k = 0; k < NSER; k++) t->v[k][t->n] = v[k];
    t->n++;
    return 0;
}

/* The loss of the unit at (w, b) for x = 1, y = 0, in double from its formula. */
static double unit_loss(nn_loss l, double w, double b)
{
    double a = 1 / (1 + exp(-(w + b)));
    return l == NN_LOSS_QUADRATIC ? 0.5 * a * a : -log1p(-a);
}

/* max over epochs of |∂C/∂w − a| / a, with ∂C/∂w by central differences of the loss formula
 * (h = 1e-6) at the (w, b) each epoch starts from: the lecture says it is 0 for the log-loss */
static double gradient_vs_a(nn_loss l, const trace *t)
{
    double worst = 0;
    const double h = 1e-6;
    for (int i = 0; i < t->n; i++) {
        const double w = t->v[W][i], b = t->v[B][i];
        double num = (unit_loss(l, w + h, b) - unit_loss(l, w - h, b)) / (2 * h);
        double a = 1 / (1 + exp(-(w + b)));
        worst = fmax(worst, fabs(num - a) / a);
    }
    return worst;
}

/* the unit, built by hand from (w0, b0) and trained on its one example (not the experiment's data) */
static void unit_cell(nn_exp *e, const nn_cell *c, const settings *s)
{
    const nn_loss loss = losses[s->v];
    nn_net *net = nn_net_new(1);
    nn_net_dense(net, 1, 1, (nn_init){NN_INIT_CONST, s->w0}, (nn_init){NN_INIT_CONST, s->b0});
    nn_net_act(net, NN_SIGMOID);
    NN_ASSERT(nn_net_output(net, loss, 1) == 0, "%s", nn_error());
    nn_exp_finalize(net, 1, 0);
    nn_dataset one;
    nn_dataset_alloc(&one, 1, 1, 2);
    one.X[0] = 1, one.y[0] = 0; /* x = 1, y = 0 */
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = s->lr};
    nn_optim_init(&opt, net);
    trace t = {.n = 0};
    for (int k = 0; k < NSER; k++) t.v[k] = nn_calloc((size_t)s->epochs + 1, sizeof(double));
    nn_train_cfg tc = {.epochs = s->epochs + 1, .batch = 1, .seed = 1, .before_update = record, .user = &t};
    nn_history h;
    nn_exp_train(net, &opt, &one, NULL, &tc, &h); /* epoch k's record is the state after k updates */
    double first_half = NAN; /* never */
    for (int i = 0; i < t.n && isnan(first_half); i++)
        if (t.v[A][i] < 0.5) first_half = i;
    nn_measure(e, c, "a_start", t.v[A][0]), nn_measure(e, c, "a_claim", t.v[A][s->claim_epochs]);
    nn_measure(e, c, "a_end", t.v[A][t.n - 1]), nn_measure(e, c, "first_below_half", first_half);
    nn_measure(e, c, "gradient_vs_a", gradient_vs_a(loss, &t));
    for (int k = 0; k < NSER; k++) nn_measure_series(e, c, ser_name[k], t.v[k], t.n), free(t.v[k]);
    nn_history_free(&h), nn_optim_free(&opt), nn_dataset_free(&one), nn_net_free(net);
}

/* ---- part 2: saturation at initialization ----------------------------------------- */

typedef struct shared {
    nn_dataset raw, stdz; /* the first `samples` training images, raw and standardized */
    nn_real *scratch;
} shared;

static double saturated_fraction(const nn_dataset *ds, int hidden, double sigma, uint64_t seed, nn_real *scratch)
{
    nn_mlp_spec sp = {.n_input = ds->d, .n_output = 2, .n_hidden = 1, .hidden = {hidden}, .act = {NN_SIGMOID},
                      .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .w_init = {NN_INIT_NORMAL, sigma},
                      .b_init = {NN_INIT_ZERO, 0}};
    nn_net *net = nn_exp_build(&sp, ds->n, seed);
    nn_net_forward(net, ds->X, ds->n, NN_EVAL);
    nn_value_stats st;
    nn_mlp_layout lo;
    nn_mlp_layout_of(net, &lo);
    nn_stats_node(net, lo.act[0], scratch, &st);
    nn_net_free(net);
    return st.saturated;
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const shared *sh = ctx;
    if (s->part == 1) {
        unit_cell(e, c, s);
    } else if (s->part == 2) {
        nn_measure(e, c, "raw", saturated_fraction(&sh->raw, s->hidden, s->sigma, c->seed, sh->scratch));
        nn_measure(e, c, "standardized", saturated_fraction(&sh->stdz, s->hidden, s->sigma, c->seed, sh->scratch));
    } else { /* part 3: quadratic loss on sigmoid outputs against softmax + cross-entropy, in a network */
        nn_mlp_spec sp = {.n_input = e->data.train.d, .n_output = e->data.train.n_classes, .n_hidden = 1,
                          .hidden = {s->net_hidden}, .act = {NN_SIGMOID}, .out_act = heads[s->v].out, .loss = heads[s->v].loss,
                          .w_init = {NN_INIT_NORMAL_FANIN, 1}, .b_init = {NN_INIT_ZERO, 0}};
        nn_optim opt = {.kind = NN_OPT_SGD, .lr = s->net_lr_c};
        nn_history h;
        nn_net_free(nn_cell_train(e, c, &sp, &opt, (nn_train_cfg){.epochs = s->net_epochs_c, .batch = s->net_batch}, &h));
        nn_measure(e, c, "epoch1_acc", h.n_epochs > 0 ? 100 * h.ep[0].test_acc : NAN);
        nn_measure(e, c, "final_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
        nn_history_free(&h);
    }
    return 0;
}

/* a measure of part 1, which every seed's cell measured alike: seed 0's value */
static double once(nn_exp *e, int cond, const char *name) { return nn_grid_values(e, cond, name)[0]; }
static const char *sigma_name(nn_exp *e, int cond) { return ((const settings *)nn_grid_set(e, cond))->sigma_name; }

/* per seed, a(0) − a(claim_epochs) of the first start under the quadratic loss (condition 0) */
static double quad_drop(nn_exp *e, int r, void *ctx)
{
    (void)ctx;
    return nn_grid_values(e, 0, "a_start")[r] - nn_grid_values(e, 0, "a_claim")[r];
}

/* per seed, the largest |dC/dw − a| / a of the log-loss over the *ctx starts (conditions 2p + 1) */
static double logloss_vs_a(nn_exp *e, int r, void *ctx)
{
    double worst = 0;
    for (int p = 0; p < *(const int *)ctx; p++) worst = fmax(worst, nn_grid_values(e, 2 * p + 1, "gradient_vs_a")[r]);
    return worst;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    if (s->n_starts % 2) return nn_exp_fail(e, 2, "'starts' must hold pairs w0, b0 (got %d numbers)", s->n_starts);
    if (s->claim_epochs > s->epochs)
        return nn_exp_fail(e, 2, "'claim_epochs' (%d) exceeds 'epochs' (%d)", s->claim_epochs, s->epochs);
    const int S = e->S, NP = s->n_starts / 2, R = s->n_rates;

    /* part 1: start p and loss l at condition 2p + l */
    s->part = 1;
    for (int p = 0; p < NP; p++)
        for (s->v = 0; s->v < 2; s->v++) {
            s->w0 = s->starts[2 * p], s->b0 = s->starts[2 * p + 1];
            const char *ln = nn_loss_name(losses[s->v]), *name = nn_exp_str(e, "%s-w%g-b%g", ln, s->w0, s->b0);
            if (nn_grid_find(e, name) >= 0) return nn_exp_fail(e, 2, "'starts' lists (%g, %g) twice", s->w0, s->b0);
            nn_grid_condition(e, name, nn_exp_str(e, "%s, (w,b) = (%g, %g)", ln, s->w0, s->b0), s, "unit", NAN);
        }
    /* part 2: the σ of `sigmas`, and 1/sqrt(m) when `fanin`, in increasing order (equal ones as listed): σ k at
     * condition init0 + k */
    shared sh = {.raw = e->data.train};
    const int N = sh.raw.n = nn_min_i(s->samples, e->data.train.n);
    nn_dataset_alloc(&sh.stdz, N, sh.raw.d, sh.raw.n_classes);
    memcpy(sh.stdz.X, sh.raw.X, (size_t)N * sh.raw.d * sizeof(nn_real));
    nn_dataset *sets[1] = {&sh.stdz};
    nn_dataset_standardize(&e->data.train, sets, 1);
    sh.scratch = nn_calloc((size_t)N * s->hidden * 2, sizeof(nn_real));
    s->part = 2;
    const int init0 = nn_grid_n(e), ns = s->n_sigmas + (s->fanin ? 1 : 0);
    double sig[17];
    int used[17] = {0};
    memcpy(sig, s->sigmas, sizeof s->sigmas), sig[s->n_sigmas] = 1 / sqrt((double)sh.raw.d);
    for (int k = 0, m = -1; k < ns; k++, m = -1) {
        for (int j = 0; j < ns; j++)
            if (!used[j] && (m < 0 || sig[j] < sig[m])) m = j;
        used[m] = 1, s->sigma = sig[m];
        if (m < s->n_sigmas) snprintf(s->sigma_name, sizeof s->sigma_name, "%g", sig[m]);
        else snprintf(s->sigma_name, sizeof s->sigma_name, "1/sqrt(%d)", sh.raw.d);
        if (nn_grid_find(e, s->sigma_name) >= 0) return nn_exp_fail(e, 2, "'sigmas' lists %s twice", s->sigma_name);
        nn_grid_condition(e, s->sigma_name, nn_exp_str(e, "σ = %s", s->sigma_name), s, "init", s->sigma);
    }
    /* part 3: each net at net_lr (net0 + v), then again for one epoch at each rate (net0 + 2 + v·R + k) */
    s->part = 3, s->net_lr_c = s->net_lr, s->net_epochs_c = s->net_epochs;
    const int net0 = nn_grid_n(e);
    for (s->v = 0; s->v < 2; s->v++) nn_grid_condition(e, heads[s->v].name, NULL, s, "network", s->net_lr);
    s->net_epochs_c = 1;
    for (s->v = 0; s->v < 2; s->v++)
        for (int k = 0; k < R; k++) {
            s->net_lr_c = s->rates[k];
            nn_grid_condition(e, nn_exp_str(e, "%s-rate-%d", heads[s->v].name, k + 1),
                              nn_exp_str(e, "%s at η = %g", heads[s->v].name, s->rates[k]), s, "rates", s->rates[k]);
        }
    if ((rc = nn_grid_run(e, cell, &sh)) >= 0) return rc;
    free(sh.scratch), nn_dataset_free(&sh.stdz);

    /* part 1 */
    const char *cols1[] = {"loss", "start (w, b)", "a at start", nn_exp_str(e, "a after %d epochs", s->claim_epochs),
                           nn_exp_str(e, "a after %d epochs", s->epochs), "first epoch with a < 0.5"};
    cJSON *unit_rows =
        nn_exp_table(e, nn_exp_str(e, "One sigmoid unit, x = 1, y = 0, gradient descent with η = %g", s->lr), 6, cols1);
    for (int i = 0; i < 2 * NP; i++) {
        const settings *u = nn_grid_set(e, i);
        nn_exp_row(unit_rows, "ssnnnn", nn_loss_name(losses[u->v]), nn_exp_str(e, "(%g, %g)", u->w0, u->b0),
                   once(e, i, "a_start"), once(e, i, "a_claim"), once(e, i, "a_end"), once(e, i, "first_below_half"));
    }
    /* the unit's claims (quadratic-stalls, logloss-gradient-is-a) judge these, seed 0's as every seed's */
    nn_grid_per_seed(e, "quadratic_drop", quad_drop, NULL);
    nn_grid_per_seed(e, "logloss_gradient_vs_a", logloss_vs_a, (void *)&NP);

    /* part 2 */
    const char *cols2[] = {"weight sd σ", "raw pixels (%)", "standardized pixels (%)"};
    cJSON *sat_rows = nn_exp_table(e,
                                   nn_exp_str(e,
                                              "Saturated units (a < 0.01 or a > 0.99) in a first hidden layer of %d sigmoid "
                                              "units at init, %d images, biases 0, mean over %d seeds",
                                              s->hidden, N, S),
                                   3, cols2);
    double mr, mz, sd;
    for (int k = 0; k < ns; k++) {
        nn_grid_mean_std(e, init0 + k, "raw", &mr, &sd), nn_grid_mean_std(e, init0 + k, "standardized", &mz, &sd);
        nn_exp_row(sat_rows, "snn", sigma_name(e, init0 + k), 100 * mr, 100 * mz);
    }
    /* fanin-avoids-saturation (seed 003: Var(W) = 1/m on zero-mean, unit-variance inputs gives Var(z) = 1; a unit
     * Gaussian exceeds |z| > logit(0.99) = 4.6 with probability 4e-6, so saturation should be rare: the threshold
     * 1 % leaves room for non-Gaussian pixels) reads the condition "1/sqrt(m)"; its control, the largest σ of the
     * sweep (part 2's last condition: mz is the table's last row) on the same standardized images */
    nn_grid_derived(e, "fanin_m", sh.raw.d);
    nn_grid_derived(e, "largest_sigma", ((const settings *)nn_grid_set(e, init0 + ns - 1))->sigma);
    nn_grid_derived(e, "largest_sigma_standardized", mz);

    /* part 3 */
    const char *cols3[] = {"output and loss", "after epoch 1", "after the last epoch"};
    cJSON *net_rows = nn_exp_table(e,
                                   nn_exp_str(e,
                                              "A 784-%d-10 sigmoid net, SGD η = %g, mini-batch %d: test accuracy (%%) after "
                                              "epoch 1 and epoch %d, mean ± std over %d seeds",
                                              s->net_hidden, s->net_lr, s->net_batch, s->net_epochs, S),
                                   3, cols3);
    for (int i = net0; i < nn_grid_n(e); i++) { /* the nets at net_lr, then the rates (one epoch) */
        double m1, s1, mf, sf;
        nn_grid_mean_std(e, i, "epoch1_acc", &m1, &s1), nn_grid_mean_std(e, i, "final_acc", &mf, &sf);
        nn_exp_row(net_rows, "sss", i < net0 + 2 ? nn_grid_label(e, i) : nn_exp_str(e, "%s (one epoch)", nn_grid_label(e, i)),
                   nn_exp_str(e, "%.2f ± %.2f", m1, s1), i < net0 + 2 ? nn_exp_str(e, "%.2f ± %.2f", mf, sf) : "—");
    }
    /* the control of ce-learns-faster-in-a-network: each net at its own best rate, one epoch at each rate of `rates`
     * (and at net_lr): the condition bc[v] whose seeds' mean is best (nn_exp_keep_best) */
    int bc[2];
    for (int v = 0; v < 2; v++) {
        double *best = nn_exp_vec(e), rate = s->net_lr;
        memcpy(best, nn_grid_values(e, bc[v] = net0 + v, "epoch1_acc"), (size_t)S * sizeof(double));
        for (int k = 0, c = net0 + 2 + v * R; k < R; k++, c++)
            if (nn_exp_keep_best(e, best, nn_grid_values(e, c, "epoch1_acc"), 1)) bc[v] = c, rate = s->rates[k];
        nn_grid_derived(e, nn_exp_str(e, "best_rate_%s", heads[v].name), rate);
    }
    /* no sweep: the control is not measured; a seed that gave no accuracy fails it */
    nn_grid_derived(e, "best_rates_gap_worst", R ? nn_exp_worst(e, nn_grid_diff(e, "epoch1_acc", bc[1], bc[0])) : NAN);
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
