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
 * Settings: experiments/critiques.json (every key: bin/critiques --help).
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

static const nn_exp_def def = {"critiques", "Seed 003's three critiques of batch norm: scale invariance and the effective "
                               "learning rate (van Laarhoven), noisy BN and loss smoothness (Santurkar et al.), adaptive "
                               "gradient clipping instead of BN (Brock et al.).", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

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

/* log10 of a measure of condition a over the same measure of condition b, per seed */
static double *log10_ratio(nn_exp *e, const char *name, int a, int b)
{
    double *v = nn_grid_ratio(e, name, a, b);
    for (int r = 0; r < e->S; r++) v[r] = log10(v[r]);
    return v;
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_begin(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    for (int i = 1; i < s.n_probe; i++)
        if (!(s.probe_steps[i] > s.probe_steps[i - 1])) return nn_exp_fail(&e, 2, "'probe_steps' must increase");
    const int NA = s.n_ab;
    settings c = s;
    c.part = P_INVARIANCE;
    const int INV = nn_grid_condition(&e, "invariance", nn_exp_str(&e, "(a) weights × %g at init", s.scale_c), &c, "invariance", NAN);
    int AB[MAX_F];
    c.part = P_EFFECTIVE_RATE;
    for (int i = 0; i < NA; i++) {
        c.eta = s.lr * s.ab_factors[i], c.lam = s.l2 / s.ab_factors[i];
        AB[i] = nn_grid_condition(&e, nn_exp_str(&e, "effective-rate-%d", i + 1), nn_exp_str(&e, "BN, η = %g, λ = %g", c.eta, c.lam),
                                  &c, "effective_rate", c.eta);
    }
    const char *bname[3] = {"none", "bn", "noisy_bn"}, *btitle[3] = {"no batch norm", "batch norm", "noisy batch norm"};
    const char *cname[3] = {"deep-plain", "deep-bn", "deep-agc"}, *ctitle[3] = {"plain", "batch norm", "adaptive gradient clipping"};
    int B[3], C[3];
    for (c.v = 0; c.v < 3; c.v++) c.part = P_SANTURKAR, B[c.v] = nn_grid_condition(&e, bname[c.v], btitle[c.v], &c, "santurkar", c.v);
    for (c.v = 0; c.v < 3; c.v++)
        c.part = P_DEEP, C[c.v] = nn_grid_condition(&e, cname[c.v], nn_exp_str(&e, "deep %s", ctitle[c.v]), &c, "brock", c.v);
    if ((rc = nn_grid_run(&e, cell, NULL)) >= 0) return rc;

    const int S = e.S;
    const double chance = nn_exp_chance_pct(&e), res = nn_exp_resolution_pct(&e, 90);
    /* ---- claims ---- */
    const char *net_a = nn_exp_str(&e, "%d × %d ReLU with batch norm, He init", s.depth, s.width);
    const char *close_note = "held: the net with batch norm changes at least 100 times less than the same net without it";
    /* (a) the invariance itself follows from batch norm's definition (x̂ of cW·a is x̂ of W·a), so these two check the
     * implementation, not the lecture: identities */
    nn_claim a1 = {.kind = NN_IDENTITY, .id = "bn-scale-invariant",
                   .statement = nn_exp_str(&e, "With batch norm, scaling a layer's weights by %g leaves the output unchanged "
                                               "(%s, the second hidden layer)", s.scale_c, net_a),
                   .source = "seed 003:331-334; van Laarhoven 2017",
                   .quantity = "max |output change| with batch norm / the same without batch norm", .op = "<", .threshold = 0.01,
                   .rule_note = nn_exp_str(&e, "%s. An identity: x̂ of (cW)a equals x̂ of Wa by batch norm's definition (up to ε), "
                                               "so only a bug can fail it.", close_note)};
    nn_exp_claim_seeds(&e, &a1, nn_grid_values(&e, INV, "output_change_ratio"));
    nn_claim a2 = {.kind = NN_IDENTITY, .id = "bn-gradient-scales-inversely",
                   .statement = nn_exp_str(&e, "… and scales that layer's gradient by 1/%g", s.scale_c),
                   .source = "seed 003:331-334; van Laarhoven 2017",
                   .quantity = "|c · ‖∂C/∂W(cW)‖ / ‖∂C/∂W(W)‖ − 1|", .op = "<", .threshold = 0.01,
                   .rule_note = "1 % is far above single-precision rounding (1e-6) and far below what a layer without batch "
                                "norm shows. An identity: the chain rule through a scale-invariant function gives 1/c."};
    nn_exp_claim_seeds(&e, &a2, nn_grid_values(&e, INV, "gradient_scale_error"));
    double *spread = nn_exp_vec(&e), *acc_spread = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) {
        double lo = INFINITY, hi = 0, alo = INFINITY, ahi = -INFINITY;
        for (int i = 0; i < NA; i++) {
            const double eff = nn_grid_values(&e, AB[i], "effective_rate")[r], acc = nn_grid_values(&e, AB[i], "test_acc")[r];
            lo = fmin(lo, eff), hi = fmax(hi, eff), alo = fmin(alo, acc), ahi = fmax(ahi, acc);
        }
        spread[r] = hi / lo, acc_spread[r] = ahi - alo;
    }
    const double eta_span = s.ab_factors[NA - 1] / s.ab_factors[0];
    nn_claim a3 = {.kind = NN_LECTURE, .id = "equal-eta-lambda-equal-effective-rate",
                   .statement = nn_exp_str(&e, "With batch norm, L2 only sets the effective learning rate: runs with the same "
                                               "ηλ (= %g) but η spread %g-fold end at effective rates η/‖W‖² within a factor 2 "
                                               "of each other (%s, %d epochs)", s.lr * s.l2, eta_span, net_a, s.ab_epochs),
                   .source = "seed 003:331-334; van Laarhoven 2017",
                   .quantity = "largest / smallest effective rate η/‖W‖² over the runs (mean over the hidden layers)",
                   .op = "<", .threshold = 2,
                   .rule_note = "Without the equilibrium ‖W‖⁴ ∝ η/λ the effective rates would differ as η does."};
    nn_claim_control(&a3, "η was not varied enough for the rates to differ", "η is spread at least 4-fold across the runs",
                     eta_span, ">=", 4);
    nn_exp_claim_seeds(&e, &a3, spread);
    /* the outcome: how far apart the settings end, against how far apart NA runs of ONE setting end from seed noise
     * alone: the expected range of NA normal draws is d2(NA) σ, σ the pooled within-setting standard deviation */
    static const double d2[] = {0, 0, 1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847};
    int pdf = 0;
    const double sigma = nn_grid_pooled_std(&e, NA, AB, "test_acc", &pdf), seed_range = d2[NA] * sigma;
    nn_claim a4 = {.kind = NN_LECTURE, .id = "equal-eta-lambda-equal-outcome",
                   .statement = nn_exp_str(&e, "… and the same test accuracy: within a seed, the %d runs end no further apart "
                                               "than %d runs of one setting do from seed noise alone (%.2f points)", NA, NA,
                                           seed_range),
                   .source = "seed 003:331-334; van Laarhoven 2017",
                   .quantity = "best − worst final test accuracy over the runs of one seed (points)", .op = "<=",
                   .threshold = isfinite(seed_range) ? seed_range : 0,
                   .rule_note = nn_exp_str(&e, "The threshold is the noise this run measures: the expected range of %d normal "
                                               "draws, d2 = %.3f, times the pooled seed-to-seed standard deviation of one "
                                               "setting's accuracy (%.2f points).", NA, d2[NA], sigma)};
    double ab_worst = INFINITY;
    for (int i = 0; i < NA; i++) ab_worst = fmin(ab_worst, nn_exp_worst(&e, nn_grid_values(&e, AB[i], "test_acc")));
    nn_exp_require_trained(&e, &a4, "every run leaves chance (lowest over runs and seeds, %)", ab_worst);
    nn_claim_require(&a4, "the seed noise could be measured (seeds per setting)", pdf > 0 ? (double)S : 0, ">=", 2);
    nn_exp_claim_seeds(&e, &a4, acc_spread);

    const char *net_b = nn_exp_str(&e, "%d × %d ReLU, η = %g, %d epochs", s.depth, s.width, s.lr, s.epochs);
    double *q1 = nn_grid_diff(&e, "train_acc", B[1], B[2]), *q3 = log10_ratio(&e, "loss_range", B[0], B[1]),
           *q4 = log10_ratio(&e, "gradient_change", B[0], B[1]);
    const double *q2 = nn_grid_values(&e, B[2], "log10_input_drift_over_none");
    double bn_train_m, sd_;
    nn_grid_mean_std(&e, B[1], "train_acc", &bn_train_m, &sd_);
    const double res_train = nn_exp_resolution_n(bn_train_m, e.data.train.n);
    nn_claim b1 = {.kind = NN_LECTURE, .id = "noisy-bn-trains-like-bn",
                   .statement = nn_exp_str(&e, "Noisy batch norm (after each BN every activation of every sample scaled and "
                                               "shifted by random noise of non-zero mean and non-unit variance whose distribution "
                                               "changes every step; evaluated with the noise's expectation) trains about as well "
                                               "as batch norm: training accuracy no more than %.2f points below (%s)", res_train,
                                           net_b),
                   .source = "seed 003:338-341; Santurkar et al. 2018 (Fig. 2, training)",
                   .quantity = "final training accuracy, batch norm − noisy batch norm (points)", .op = "<=", .threshold = res_train,
                   .rule_note = "The threshold is what the training set resolves: two standard errors of the difference of two "
                                "accuracies at batch norm's on its n images. The test accuracies are in the summary beside it."};
    nn_exp_require_trained(&e, &b1, "the net with batch norm leaves chance (lowest over seeds, %)",
                           nn_exp_worst(&e, nn_grid_values(&e, B[1], "test_acc")));
    double q2m, q2sd;
    nn_grid_mean_std(&e, B[2], "log10_input_drift_over_none", &q2m, &q2sd);
    nn_claim_control(&b1, "the noise is too weak to move the layers' inputs",
                     "log10 of the noisy net's input drift over the plain net's (mean over seeds)", q2m, ">", 0);
    nn_exp_claim_seeds(&e, &b1, q1);
    nn_claim b2 = {.kind = NN_SETUP, .id = "noisy-bn-inputs-shift-more",
                   .statement = nn_exp_str(&e, "… although the distribution of its layers' inputs moves far more from step to step "
                                               "than without any normalization (each unit of the last hidden layer's input: its "
                                               "batch mean and standard deviation)"),
                   .source = "seed 003:338-341; Santurkar et al. 2018",
                   .quantity = "log10(mean step-to-step change of each input unit's batch mean and std, noisy BN / no BN)",
                   .op = ">", .threshold = 0};
    /* a setup claim: it checks the manipulation (the noise moves the inputs), whatever the noisy net's accuracy */
    nn_exp_claim_seeds(&e, &b2, q2);
    nn_claim b3 = {.kind = NN_LECTURE, .id = "bn-smooths-loss",
                   .statement = nn_exp_str(&e, "Batch norm smooths the loss: along the gradient direction (steps %g … %g), the loss "
                                               "varies less with batch norm than without (%s)", s.probe_steps[0],
                                           s.probe_steps[s.n_probe - 1], net_b),
                   .source = "seed 003:338-341; Santurkar et al. 2018 (Fig. 4a)",
                   .quantity = "log10(loss range along the gradient without BN / with BN), mean over looks",
                   .op = ">", .threshold = 0};
    /* the skeptic: the probes step η_j·g, so with a shorter gradient they move a shorter distance and the loss varies less
     * for that alone. Along θ − ηg the loss changes by −η‖g‖² + ½η²gᵀHg: at the same η both terms grow as ‖g‖². The
     * control: the loss range ratio still favours batch norm after dividing out the squared ratio of gradient lengths */
    const double *lg = nn_grid_values(&e, B[1], "log10_gradient_norm_over_none");
    double *corrected = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) corrected[r] = q3[r] + 2 * lg[r];
    nn_claim_control(&b3, "with batch norm the probes move a shorter distance (its gradient is shorter)",
                     "log10 of the loss range ratio (without / with batch norm) after dividing out the squared ratio of "
                     "gradient lengths, smallest over seeds", nn_exp_worst(&e, corrected), ">", 0);
    nn_exp_claim_seeds(&e, &b3, q3);
    nn_claim b4 = {.kind = NN_LECTURE, .id = "bn-smooths-gradient",
                   .statement = nn_exp_str(&e, "… and its gradient: after a step of %g along it, the gradient changes less "
                                               "(relative to its length) with batch norm", s.probe_steps[s.n_probe - 1]),
                   .source = "seed 003:338-341; Santurkar et al. 2018 (Fig. 4b, c)",
                   .quantity = "log10(‖∇L(θ − ηg) − ∇L(θ)‖/‖∇L(θ)‖ without BN / with BN), mean over looks",
                   .op = ">", .threshold = 0};
    /* a change of the gradient relative to its length after a step η·g is η‖Hĝ‖ to first order: the gradient's
     * length cancels, so the first objection is the other net, which must have trained */
    nn_exp_require_trained(&e, &b4, "the net without batch norm leaves chance (lowest test accuracy over seeds, %)",
                           nn_exp_worst(&e, nn_grid_values(&e, B[0], "test_acc")));
    nn_exp_claim_seeds(&e, &b4, q4);

    const char *net_c = nn_exp_str(&e, "%d × %d ReLU, He init, η = %g, %d epochs", s.deep_depth, s.width, s.deep_lr, s.deep_epochs);
    /* a run that diverged did not train: for these three claims it counts as chance, and each rule says so */
    const double *c_plain = nn_grid_values(&e, C[0], "test_acc"), *c_bn = nn_grid_values(&e, C[1], "test_acc"),
                 *c_agc = nn_grid_values(&e, C[2], "test_acc");
    double *cp = nn_exp_vec(&e), *cg = nn_exp_vec(&e), *cb = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) {
        const double plain = isnan(c_plain[r]) ? chance : c_plain[r], agc = isnan(c_agc[r]) ? chance : c_agc[r];
        cp[r] = plain - chance, cg[r] = agc - chance, cb[r] = c_bn[r] - agc;
    }
    const char *div_note = "A run that diverged did not train: it counts as chance (the quantity says so); a batch-norm run "
                           "that diverged gives no measurement.";
    nn_claim c0 = {.kind = NN_SETUP, .id = "deep-plain-fails-at-high-rate",
                   .statement = nn_exp_str(&e, "Without normalization the deep net does not train at this rate (%s)", net_c),
                   .source = "seed 003:345-347 (the setting normalization or clipping must rescue)",
                   .quantity = nn_exp_str(&e, "final test accuracy minus chance (%.3g %%), points; a diverged run counts as chance",
                                          chance),
                   .op = "<", .threshold = NN_EXP_TRAINED_MARGIN, .rule_note = div_note};
    nn_exp_claim_seeds(&e, &c0, cp);
    nn_claim c1 = {.kind = NN_LECTURE, .id = "agc-trains-without-bn",
                   .statement = nn_exp_str(&e, "Adaptive gradient clipping (λ = %g) trains the same net without any normalization",
                                           s.agc),
                   .source = "seed 003:345-347; Brock et al. 2021",
                   .quantity = nn_exp_str(&e, "final test accuracy minus chance (%.3g %%), points; a diverged run counts as chance",
                                          chance),
                   .op = ">", .threshold = NN_EXP_TRAINED_MARGIN, .rule_note = div_note};
    {
        double most = -INFINITY;
        for (int r = 0; r < S; r++) most = fmax(most, cp[r]);
        nn_claim_control(&c1, "the net trains at this rate without any help",
                         "the same net without normalization or clipping: highest final test accuracy over seeds minus "
                         "chance (points; a diverged run counts as chance)", most, "<", NN_EXP_TRAINED_MARGIN);
    }
    nn_exp_claim_seeds(&e, &c1, cg);
    nn_claim c2 = {.kind = NN_LECTURE, .id = "agc-matches-bn",
                   .statement = nn_exp_str(&e, "… about as well as batch norm: no more than %.2f points below it", res),
                   .source = "seed 003:345-347; Brock et al. 2021",
                   .quantity = "final test accuracy, batch norm − AGC (points); a diverged AGC run counts as chance",
                   .op = "<=", .threshold = res, .rule_note = div_note};
    nn_exp_require_trained(&e, &c2, "the net with batch norm leaves chance (lowest over seeds, %)", nn_exp_worst(&e, c_bn));
    nn_exp_claim_seeds(&e, &c2, cb);
    return nn_exp_finish(&e);
}
