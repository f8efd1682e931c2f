/* critiques — the three papers seed 003 ends its batch-norm section with.
 *
 *   (a) van Laarhoven 2017: with batch norm, a pre-BN weight matrix W is scale-invariant — the
 *       output does not change when W is scaled by c, and its gradient scales by 1/c — so L2
 *       decay cannot regularize it; what λ does is set the *effective* learning rate η/‖W‖².
 *       Equilibrium: decay shrinks ‖W‖ as fast as the (orthogonal) gradient steps grow it, at
 *       ‖W‖⁴ ∝ η/λ, so η/‖W‖² ∝ √(ηλ): runs with the same product ηλ end at the same effective
 *       rate, however η and λ are split. Checked on the scale of one layer at init, then by training
 *       the BN net at (η·k, λ/k) for each k of `ab_factors`.
 *   (b) Santurkar et al. 2018: batch norm does not help by reducing internal covariate shift.
 *       "Noisy BN" — after each BN a random per-unit scale and shift, drawn afresh every step —
 *       makes each layer's input distribution move far more, yet trains about as well as BN; and
 *       BN makes the loss smoother: along the gradient, the loss varies less and the gradient
 *       changes less. Three nets (none, BN, noisy BN); every `probe_every` steps the loss at
 *       θ − η_j g for the step sizes `probe_steps`, and ‖∇L(θ − η_max g) − ∇L(θ)‖ / ‖∇L(θ)‖, on
 *       that step's mini-batch (batch statistics, running averages untouched).
 *   (c) Brock et al. 2021: normalizer-free nets trained with adaptive gradient clipping (AGC, λ =
 *       `agc`) in place of batch norm. A deep ReLU net at a rate (`deep_lr`) too high for it
 *       without normalization: plain, with BN, with AGC.
 *
 * Nets: `depth` hidden layers of `width` ReLU units, He init, softmax output, SGD, batch `batch`.
 *
 * The conditions, each over the seeds, in this order: "invariance" ((a) at init: the output and the
 * gradient of the second hidden layer before and after its weights are scaled by c, in the net without
 * and with batch norm), "effective-rate-1" … (one per k of `ab_factors`, group effective_rate, x = η·k:
 * the BN net's final η/‖W‖² and ‖W‖ averaged over its hidden layers, and its test accuracy), "none", "bn",
 * "noisy_bn" ((b), group santurkar, x = 0, 1, 2: accuracies, the looks' averages, and the BN and noisy
 * nets' ratio to the plain net of the same seed) and "deep-plain", "deep-bn", "deep-agc" ((c), group
 * brock, x = 0, 1, 2: final test accuracy, NaN for a run that diverged, and whether it did).
 *
 * Settings: experiments/critiques.json (every key: bin/critiques --help), which also declares the claims; the program
 * computes the numbers they read beyond the cells' measures ("derived").
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

#define MAX_F 8

typedef struct settings {
    nn_exp_common common;
    int width, depth, batch, epochs, ab_epochs, deep_depth, deep_epochs, probe_every;
    double lr, l2, scale_c, ab_factors[MAX_F], probe_steps[MAX_F], noise_scale_sd, noise_mean_range, noise_shift_sd;
    double deep_lr, agc, bn_eps;
    int n_ab, n_probe;
    int part, v;     /* a condition's: its part (below) and, in (b) and (c), its net (0, 1, 2) */
    double eta, lam; /* (a) a run's η·k and λ/k */
} settings;

enum { P_INVARIANCE, P_EFFECTIVE_RATE, P_SANTURKAR, P_DEEP };

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    (void)r, (void)n_r;
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"width", NN_CFG_INT, &s->width, 1, 4096, NULL, NULL, 0, 0, "units per hidden layer"};
    f[n++] = (nn_cfg_field){"depth", NN_CFG_INT, &s->depth, 2, NN_MAX_HIDDEN, NULL, NULL, 0, 0, "(a, b) hidden layers"};
    f[n++] = (nn_cfg_field){"batch", NN_CFG_INT, &s->batch, 2, 4096, NULL, NULL, 0, 0, "mini-batch size"};
    f[n++] = (nn_cfg_field){"lr", NN_CFG_REAL, &s->lr, 1e-6, 100, NULL, NULL, 0, 0, "(a, b) learning rate η (SGD)"};
    f[n++] = (nn_cfg_field){"epochs", NN_CFG_INT, &s->epochs, 1, 10000, NULL, NULL, 0, 0, "(b) epochs"};
    f[n++] = (nn_cfg_field){"bn_eps", NN_CFG_REAL, &s->bn_eps, 1e-12, 1, NULL, NULL, 0, 0, "batch norm's ε"};
    f[n++] = (nn_cfg_field){"scale_c", NN_CFG_REAL, &s->scale_c, 1e-3, 1e3, NULL, NULL, 0, 0,
                            "(a) factor c on the second hidden layer's weights in the invariance check"};
    f[n++] = (nn_cfg_field){"l2", NN_CFG_REAL, &s->l2, 1e-8, 1, NULL, NULL, 0, 0, "(a) L2 coefficient λ at factor 1"};
    f[n++] = (nn_cfg_field){"ab_factors", NN_CFG_REAL_LIST, s->ab_factors, 1e-3, 1e3, NULL, &s->n_ab, MAX_F, 2,
                            "(a) runs at (η·k, λ/k) for each k: the same product ηλ"};
    f[n++] = (nn_cfg_field){"ab_epochs", NN_CFG_INT, &s->ab_epochs, 1, 10000, NULL, NULL, 0, 0,
                            "(a) epochs of those runs (long enough for ‖W‖ to settle: about 1/(ηλ) steps)"};
    f[n++] = (nn_cfg_field){"noise_scale_sd", NN_CFG_REAL, &s->noise_scale_sd, 0, 10, NULL, NULL, 0, 0,
                            "(b) noisy BN: the log of each activation's random scale is N(0, sd²), per sample"};
    f[n++] = (nn_cfg_field){"noise_mean_range", NN_CFG_REAL, &s->noise_mean_range, 0, 10, NULL, NULL, 0, 0,
                            "(b) noisy BN: each step, each unit's shift has a mean drawn from U(−r, r)"};
    f[n++] = (nn_cfg_field){"noise_shift_sd", NN_CFG_REAL, &s->noise_shift_sd, 0, 10, NULL, NULL, 0, 0,
                            "(b) noisy BN: standard deviation of each activation's shift about that mean, per sample"};
    f[n++] = (nn_cfg_field){"probe_every", NN_CFG_INT, &s->probe_every, 1, 1000000, NULL, NULL, 0, 0,
                            "(b) steps between two looks at the loss landscape"};
    f[n++] = (nn_cfg_field){"probe_steps", NN_CFG_REAL_LIST, s->probe_steps, 1e-6, 100, NULL, &s->n_probe, MAX_F, 2,
                            "(b) step sizes η_j along the gradient at each look, increasing"};
    f[n++] = (nn_cfg_field){"deep_depth", NN_CFG_INT, &s->deep_depth, 2, NN_MAX_HIDDEN, NULL, NULL, 0, 0, "(c) hidden layers"};
    f[n++] = (nn_cfg_field){"deep_lr", NN_CFG_REAL, &s->deep_lr, 1e-6, 100, NULL, NULL, 0, 0, "(c) learning rate"};
    f[n++] = (nn_cfg_field){"deep_epochs", NN_CFG_INT, &s->deep_epochs, 1, 10000, NULL, NULL, 0, 0, "(c) epochs"};
    f[n++] = (nn_cfg_field){"agc", NN_CFG_REAL, &s->agc, 1e-6, 100, NULL, NULL, 0, 0, "(c) λ of adaptive gradient clipping"};
    return n;
}

static const nn_exp_def def = {"critiques",
                               "Seed 003's three critiques of batch norm: scale invariance and the effective "
                               "learning rate (van Laarhoven), noisy BN and loss smoothness (Santurkar et al.), adaptive "
                               "gradient clipping instead of BN (Brock et al.).",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

enum { NORM_NONE, NORM_BN, NORM_NOISY };

/* depth × (dense → [BN → [noise]] → ReLU) → dense → softmax; the pre-BN dense layers have no bias */
static nn_net *build(const settings *s, int norm, int depth, int d, int K, uint64_t seed, int *dense2)
{
    nn_net *net = nn_net_new(d);
    nn_init he = {NN_INIT_HE_NORMAL, 1.0}, zero = {NN_INIT_ZERO, 1.0};
    for (int l = 0; l < depth; l++) {
        int dl = nn_net_dense(net, s->width, norm == NORM_NONE, he, zero);
        if (l == 1 && dense2) *dense2 = dl;
        if (norm != NORM_NONE) nn_net_batchnorm(net, s->bn_eps, 0.1);
        if (norm == NORM_NOISY) nn_net_noise(net, s->noise_scale_sd, s->noise_mean_range, s->noise_shift_sd);
        nn_net_act(net, NN_RELU);
    }
    nn_net_dense(net, K, 1, he, zero);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1.0);
    nn_exp_finalize(net, s->batch, seed);
    return net;
}

/* ---- (b) looking at the landscape during training ------------------------------------- */

typedef struct landscape {
    const settings *s;
    nn_real *theta, *g;     /* saved parameters and this step's gradient */
    int input_layer;        /* the last hidden dense layer: its input is what the noise moves */
    double range, gchange;  /* sums over looks */
    double gnorm;           /* sum over looks of ‖∇L(θ)‖: the probes move η_j times it */
    double drift;           /* sum over steps of the mean over units of |Δ batch mean| + |Δ batch std| */
    double *prev_mean, *prev_std; /* each input unit's batch mean and std at the previous step */
    int looks, have_prev;
} landscape;

static double batch_loss(nn_net *net, const nn_real *X, const int *y, int B, int grad)
{
    nn_net_forward(net, X, B, NN_EVAL_BATCHSTATS);
    nn_net_set_labels(net, y, B);
    double l = nn_net_loss(net, net->Y, grad);
    if (grad) nn_net_zero_grad(net), nn_net_backward(net);
    return l;
}

/* called after backward, before the update: the step's gradient is in net->grads */
static int look(nn_train_ctx *ctx, void *user)
{
    landscape *L = user;
    nn_net *net = ctx->net;
    const size_t P = net->n_params;
    /* the input distribution of the last hidden dense layer, unit by unit, as this step saw it (noise included):
     * how far each unit's batch mean and standard deviation moved since the previous step */
    const nn_layer *D = &net->layers[L->input_layer];
    const nn_real *in = D->in < 0 ? ctx->X : net->layers[D->in].out;
    const int B = ctx->B, n = D->n_in;
    double moved = 0;
    for (int j = 0; j < n; j++) {
        double m = 0, sd = 0;
        for (int b = 0; b < B; b++) m += in[(size_t)b * n + j];
        m /= B;
        for (int b = 0; b < B; b++) sd += (in[(size_t)b * n + j] - m) * (in[(size_t)b * n + j] - m);
        sd = sqrt(sd / B);
        moved += fabs(m - L->prev_mean[j]) + fabs(sd - L->prev_std[j]);
        L->prev_mean[j] = m, L->prev_std[j] = sd;
    }
    if (L->have_prev) L->drift += moved / n;
    L->have_prev = 1;
    if (ctx->global_step % L->s->probe_every) return 0;
    memcpy(L->theta, net->params, P * sizeof(nn_real));
    memcpy(L->g, net->grads, P * sizeof(nn_real));
    double gn = 0;
    for (size_t k = 0; k < P; k++) gn += (double)L->g[k] * L->g[k];
    gn = sqrt(gn);
    double lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < L->s->n_probe; j++) {
        const double eta = L->s->probe_steps[j];
        for (size_t k = 0; k < P; k++) net->params[k] = (nn_real)(L->theta[k] - eta * L->g[k]);
        const int last = j == L->s->n_probe - 1;
        double l = batch_loss(net, ctx->X, ctx->y, ctx->B, last);
        if (isfinite(l)) lo = fmin(lo, l), hi = fmax(hi, l);
        else hi = INFINITY;
        if (last) { /* ‖∇L(θ − η_max g) − ∇L(θ)‖ / ‖∇L(θ)‖ */
            double dd = 0;
            for (size_t k = 0; k < P; k++) dd += ((double)net->grads[k] - L->g[k]) * ((double)net->grads[k] - L->g[k]);
            L->gchange += gn > 0 ? sqrt(dd) / gn : 0;
        }
    }
    L->range += hi - lo;
    L->gnorm += gn;
    L->looks++;
    /* put back the parameters and the step's own gradient */
    memcpy(net->params, L->theta, P * sizeof(nn_real));
    memcpy(net->grads, L->g, P * sizeof(nn_real));
    return 0;
}

/* one cell: the part of the condition, for one seed */
static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    (void)ctx;
    const settings *s = c->set;
    const nn_dataset *tr = &e->data.train;
    const int d = tr->d, K = tr->n_classes;
    if (s->part == P_INVARIANCE) { /* (a) the second hidden layer's weights × c, without and with batch norm */
        const int B = nn_min_i(s->batch, tr->n);
        double change[2], gr = NAN;
        for (int bn = 0; bn < 2; bn++) {
            int d2 = -1;
            nn_net *net = build(s, bn ? NORM_BN : NORM_NONE, s->depth, d, K, c->seed, &d2);
            nn_layer *L2 = &net->layers[d2];
            const size_t nw = (size_t)L2->n * L2->n_in, no = (size_t)B * K;
            double *o0 = malloc(no * sizeof *o0), g0 = 0, g1 = 0;
            batch_loss(net, tr->X, tr->y, B, 1);
            for (size_t k = 0; k < no; k++) o0[k] = nn_net_output_values(net)[k];
            for (size_t k = 0; k < nw; k++) g0 += (double)L2->dW[k] * L2->dW[k], L2->W[k] *= (nn_real)s->scale_c;
            batch_loss(net, tr->X, tr->y, B, 1);
            double m = 0;
            for (size_t k = 0; k < no; k++) m = fmax(m, fabs(nn_net_output_values(net)[k] - o0[k]));
            for (size_t k = 0; k < nw; k++) g1 += (double)L2->dW[k] * L2->dW[k];
            change[bn] = m;
            if (bn) gr = fabs(s->scale_c * sqrt(g1 / g0) - 1);
            free(o0);
            nn_net_free(net);
        }
        nn_measure(e, c, "output_change_ratio", change[0] > 0 ? change[1] / change[0] : NAN);
        nn_measure(e, c, "gradient_scale_error", gr);
        return 0;
    }
    nn_history h;
    if (s->part == P_EFFECTIVE_RATE) { /* (a) the BN net at (η·k, λ/k) */
        nn_net *net = build(s, NORM_BN, s->depth, d, K, c->seed, NULL);
        nn_cell_train_net(e, c, net, &(nn_optim){.kind = NN_OPT_SGD, .lr = s->eta, .l2 = s->lam},
                          (nn_train_cfg){.epochs = s->ab_epochs, .batch = s->batch}, &h);
        /* η/‖W‖² of the scale-invariant layers (every hidden dense layer), averaged */
        double sum = 0, nsum = 0;
        int cnt = 0;
        for (int l = 0; l < net->n_layers; l++) {
            const nn_layer *L = &net->layers[l];
            if (L->kind != NN_L_DENSE || l + 1 >= net->n_layers || net->layers[l + 1].kind != NN_L_BATCHNORM) continue;
            double w2 = 0;
            for (size_t q = 0; q < (size_t)L->n * L->n_in; q++) w2 += (double)L->W[q] * L->W[q];
            sum += s->eta / w2, nsum += sqrt(w2), cnt++;
        }
        nn_measure(e, c, "lr", s->eta), nn_measure(e, c, "l2", s->lam);
        nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
        nn_measure(e, c, "effective_rate", h.diverged ? NAN : sum / cnt);
        nn_measure(e, c, "weight_norm", h.diverged ? NAN : nsum / cnt);
        nn_net_free(net);
    } else if (s->part == P_SANTURKAR) { /* (b) none, BN or noisy BN, looking at the landscape as it trains */
        nn_net *net = build(s, s->v, s->depth, d, K, c->seed, NULL);
        landscape ls = {.s = s, .theta = malloc(net->n_params * sizeof(nn_real)), .g = malloc(net->n_params * sizeof(nn_real))};
        /* the last hidden dense layer: the one before the output layer */
        int last = -1, prev = -1;
        for (int l = 0; l < net->n_layers; l++)
            if (net->layers[l].kind == NN_L_DENSE) prev = last, last = l;
        ls.input_layer = prev;
        ls.prev_mean = calloc((size_t)net->layers[prev].n_in, sizeof(double));
        ls.prev_std = calloc((size_t)net->layers[prev].n_in, sizeof(double));
        nn_cell_train_net(e, c, net, &(nn_optim){.kind = NN_OPT_SGD, .lr = s->lr},
                          (nn_train_cfg){.epochs = s->epochs, .batch = s->batch, .before_update = look, .user = &ls,
                                         .eval_train = 1}, &h);
        const int none = h.diverged || !ls.looks;
        nn_measure(e, c, "train_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, train_acc)));
        nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
        nn_measure(e, c, "loss_range", none ? NAN : ls.range / ls.looks);
        nn_measure(e, c, "gradient_change", none ? NAN : ls.gchange / ls.looks);
        nn_measure(e, c, "gradient_norm", none ? NAN : ls.gnorm / ls.looks);
        nn_measure(e, c, "input_drift", h.diverged || h.steps < 2 ? NAN : ls.drift / (double)(h.steps - 1));
        nn_measure(e, c, "looks", ls.looks);
        /* BN: its gradient's length, noisy BN: its input drift, against the plain net of the same seed (which ran first) */
        const char *vs = s->v == NORM_BN ? "gradient_norm" : "input_drift";
        if (s->v != NORM_NONE)
            nn_measure(e, c, s->v == NORM_BN ? "log10_gradient_norm_over_none" : "log10_input_drift_over_none",
                       log10(nn_grid_values(e, c->cond, vs)[c->r] / nn_grid_values(e, nn_grid_find(e, "none"), vs)[c->r]));
        free(ls.theta), free(ls.g), free(ls.prev_mean), free(ls.prev_std);
        nn_net_free(net);
    } else { /* (c) the deep net: plain, BN or AGC */
        nn_net *net = build(s, s->v == 1 ? NORM_BN : NORM_NONE, s->deep_depth, d, K, c->seed, NULL);
        nn_cell_train_net(e, c, net, &(nn_optim){.kind = NN_OPT_SGD, .lr = s->deep_lr, .clip_agc = s->v == 2 ? s->agc : 0},
                          (nn_train_cfg){.epochs = s->deep_epochs, .batch = s->batch}, &h);
        nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc))); /* NaN when diverged */
        nn_measure(e, c, "diverged", h.diverged != 0);
        nn_net_free(net);
    }
    nn_history_free(&h);
    return 0;
}

/* ---- the numbers per seed the claims judge beyond the cells' measures (nn_grid_per_seed) ---------------- */

enum { RATE_SPREAD, ACC_SPREAD, LOSS, LOSS_PER_G2, GRAD, DEEP_PLAIN, DEEP_AGC, DEEP_BN_AGC, N_PER_SEED };
static const char *const per_seed_name[N_PER_SEED] = {
    [RATE_SPREAD] = "effective_rate_spread",       [ACC_SPREAD] = "test_acc_spread",
    [LOSS] = "log10_loss_range_none_over_bn",      [LOSS_PER_G2] = "log10_loss_range_none_over_bn_per_gradient2",
    [GRAD] = "log10_gradient_change_none_over_bn", [DEEP_PLAIN] = "deep_plain_above_chance",
    [DEEP_AGC] = "deep_agc_above_chance",          [DEEP_BN_AGC] = "deep_bn_minus_agc"};

typedef struct which {
    const int *AB, *B, *C; /* the conditions of (a), (b) and (c) */
    int NA, what;
} which;

static double V(nn_exp *e, int cond, const char *name, int r) { return nn_grid_values(e, cond, name)[r]; }

static double per_seed(nn_exp *e, int r, void *ctx)
{
    const which *w = ctx;
    const double chance = nn_exp_chance_pct(e), plain = V(e, w->C[0], "test_acc", r), agc = V(e, w->C[2], "test_acc", r);
    double lo = INFINITY, hi = w->what == RATE_SPREAD ? 0 : -INFINITY;
    switch (w->what) {
    case RATE_SPREAD: /* (a) how far apart one seed's runs at (η·k, λ/k) end: largest / smallest effective rate, */
    case ACC_SPREAD:  /* best − worst test accuracy (a run without a value is passed over) */
        for (int i = 0; i < w->NA; i++) {
            const double v = V(e, w->AB[i], w->what == RATE_SPREAD ? "effective_rate" : "test_acc", r);
            lo = fmin(lo, v), hi = fmax(hi, v);
        }
        return w->what == RATE_SPREAD ? hi / lo : hi - lo;
    case LOSS: /* (b) log10 of the plain net's number over the BN net's */
        return log10(V(e, w->B[0], "loss_range", r) / V(e, w->B[1], "loss_range", r));
    case LOSS_PER_G2: /* the skeptic of "batch norm smooths the loss": the probes step η_j·g, so with a shorter gradient
                       * they move a shorter distance and the loss varies less for that alone. Along θ − ηg the loss changes
                       * by −η‖g‖² + ½η²gᵀHg: at the same η both terms grow as ‖g‖². The control: the loss range ratio
                       * still favours batch norm after dividing out the squared ratio of gradient lengths */
        return log10(V(e, w->B[0], "loss_range", r) / V(e, w->B[1], "loss_range", r)) +
               2 * V(e, w->B[1], "log10_gradient_norm_over_none", r);
    case GRAD: /* a change of the gradient relative to its length after a step η·g is η‖Hĝ‖ to first order: the
                * gradient's length cancels, so the first objection is the other net, which must have trained */
        return log10(V(e, w->B[0], "gradient_change", r) / V(e, w->B[1], "gradient_change", r));
    }
    /* (c) a run that diverged did not train: for these three claims a plain or AGC run that diverged counts as chance */
    const double p = isnan(plain) ? chance : plain, g = isnan(agc) ? chance : agc;
    return w->what == DEEP_PLAIN ? p - chance : w->what == DEEP_AGC ? g - chance : V(e, w->C[1], "test_acc", r) - g;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    for (int i = 1; i < s->n_probe; i++)
        if (!(s->probe_steps[i] > s->probe_steps[i - 1])) return nn_exp_fail(e, 2, "'probe_steps' must increase");
    const int NA = s->n_ab;
    settings c = *s;
    c.part = P_INVARIANCE;
    nn_grid_condition(e, "invariance", nn_exp_str(e, "(a) weights × %g at init", s->scale_c), &c, "invariance", NAN);
    int AB[MAX_F];
    c.part = P_EFFECTIVE_RATE;
    for (int i = 0; i < NA; i++) {
        c.eta = s->lr * s->ab_factors[i], c.lam = s->l2 / s->ab_factors[i];
        AB[i] = nn_grid_condition(e, nn_exp_str(e, "effective-rate-%d", i + 1), nn_exp_str(e, "BN, η = %g, λ = %g", c.eta, c.lam),
                                  &c, "effective_rate", c.eta);
    }
    const char *bname[3] = {"none", "bn", "noisy_bn"}, *btitle[3] = {"no batch norm", "batch norm", "noisy batch norm"};
    const char *cname[3] = {"deep-plain", "deep-bn", "deep-agc"},
               *ctitle[3] = {"plain", "batch norm", "adaptive gradient clipping"};
    int B[3], C[3];
    for (c.v = 0; c.v < 3; c.v++)
        c.part = P_SANTURKAR, B[c.v] = nn_grid_condition(e, bname[c.v], btitle[c.v], &c, "santurkar", c.v);
    for (c.v = 0; c.v < 3; c.v++)
        c.part = P_DEEP, C[c.v] = nn_grid_condition(e, cname[c.v], nn_exp_str(e, "deep %s", ctitle[c.v]), &c, "brock", c.v);
    if ((rc = nn_grid_run(e, cell, NULL)) >= 0) return rc;

    /* The claims are declared in experiments/critiques.json; here, the numbers they read as "derived". (a) The invariance
     * follows from batch norm's definition (x̂ of cW·a is x̂ of W·a), so its two claims check the implementation, not the
     * lecture: identities. The equilibrium: the product ηλ, how far η is spread, and the outcome — how far apart the
     * settings end, against how far apart NA runs of ONE setting end from seed noise alone: the expected range of NA
     * normal draws is d2(NA) σ, σ the pooled within-setting standard deviation */
    for (which w = {AB, B, C, NA, 0}; w.what < N_PER_SEED; w.what++) nn_grid_per_seed(e, per_seed_name[w.what], per_seed, &w);
    nn_grid_derived(e, "eta_lambda", s->lr * s->l2);
    nn_grid_derived(e, "eta_span", s->ab_factors[NA - 1] / s->ab_factors[0]);
    static const double d2[] = {0, 0, 1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847};
    int pdf = 0;
    const double sigma = nn_grid_pooled_std(e, NA, AB, "test_acc", &pdf), seed_range = d2[NA] * sigma;
    nn_grid_derived(e, "d2", d2[NA]);
    nn_grid_derived(e, "test_acc_seed_sd", sigma);
    nn_grid_derived(e, "test_acc_seed_range", seed_range);
    nn_grid_derived(e, "test_acc_seed_range_or_0", isfinite(seed_range) ? seed_range : 0);
    nn_grid_derived(e, "seeds_per_setting", pdf > 0 ? (double)e->S : 0);
    double worst = INFINITY;
    for (int i = 0; i < NA; i++) worst = fmin(worst, nn_exp_worst(e, nn_grid_values(e, AB[i], "test_acc")));
    nn_grid_derived(e, "test_acc_worst_run", worst);
    /* (b) what the training set resolves at batch norm's training accuracy (the noisy net's input drift is a setup claim:
     * it checks the manipulation, whatever that net's accuracy); (c) chance, and what the test set resolves at 90 % */
    double bn_train, sd;
    nn_grid_mean_std(e, B[1], "train_acc", &bn_train, &sd);
    nn_grid_derived(e, "train_acc_resolution_bn", nn_exp_resolution_n(bn_train, e->data.train.n));
    nn_grid_derived(e, "chance_pct", nn_exp_chance_pct(e));
    nn_grid_derived(e, "test_acc_resolution_90", nn_exp_resolution_pct(e, 90));
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
