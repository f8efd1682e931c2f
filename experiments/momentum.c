/* momentum — gradient descent with momentum (seed 004): v ← αv − ε∇L, θ ← θ + v.
 *
 * (a) The ill-conditioned quadratic f(x, y) = ½(x² + κy²), κ = `kappa` (50), from (x0, y0): plain gradient descent
 * at a small rate ε crawls along the shallow x direction; momentum accumulates speed there (its effective rate is
 * ε/(1 − α)) while the oscillations across the steep y direction cancel. At plain descent's best rate ε* = 2/(1 + κ)
 * momentum gains far less. (b) An MLP on the digits: training loss per epoch for each α of `alphas` (0 = plain SGD),
 * and, for fairness, plain SGD at the effective rate ε/(1 − α). Both parts run the library's optimizer
 * (nn_optim_step) — on (a) with the gradient (x, κy) written into a two-parameter "network".
 *
 * Conditions (each compares with conditions before it): (a) plain descent, momentum 0.5 and 0.9, Nesterov 0.9 (group:
 * the method, x: the rate) at ε = `eps`, then at ε*; momentum at each α of `alpha_grid` at ε* (group alpha_grid, x: α).
 * A cell measures the steps until f < tol (NaN: diverged, or not within max_steps), whether it diverged, those steps
 * over plain descent's at the same rate and, for the methods, the trajectory x, y, f of the first traj_steps steps (as
 * far as the run went); deterministic: every seed measures the same. (b) Plain SGD (α = 0), then per α > 0 plain SGD at
 * ε/(1 − α) (group sgd-effective-rate) and momentum α (group momentum, like plain SGD); x: α. A cell measures its
 * first and final training loss, test accuracy, the mean cosine of consecutive updates and, for momentum α > 0, the
 * epochs to reach the final training loss of plain SGD and of SGD at ε/(1 − α) (same seed), over the epochs.
 *
 * Settings: experiments/momentum.json (every key: bin/momentum --help); its "claims" list holds the five claims (the
 * frame judges them, lab/nn_decl.h), which read the cells' measures and the numbers derived after the cells below.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    double kappa, x0, y0, eps, tol, alphas[8], alpha_grid[8]; /* alpha_grid: (a) the control, momentum at ε* at its best α */
    int max_steps, traj_steps, n_alphas, n_alpha_grid;
    nn_netcfg net;
    nn_mlp_spec spec; /* the MLP, resolved against the data */
    nn_optim opt;     /* a condition's optimizer (the quadratic's: its kind, rate and momentum only), */
    int mlp, traj, gd, plain, fair; /* whether it trains the MLP, whether it records its trajectory, the conditions it
                                     * compares with (−1: none): plain descent at its rate, plain SGD, SGD at ε/(1 − α) */
} settings;

static double ratio(double a, double b) { return a > 0 && b > 0 ? a / b : NAN; }
static double steps_of(nn_exp *e, int i) { return nn_grid_values(e, i, "steps_to_tol")[0]; } /* every seed measures the same */

static int descend(nn_exp *e, const nn_cell *c, const settings *s)
{
    nn_net *net = nn_net_new(1); /* parameters (W, b) stand for (x, y) */
    nn_net_dense(net, 1, 1, (nn_init){NN_INIT_CONST, s->x0}, (nn_init){NN_INIT_CONST, s->y0});
    nn_net_act(net, NN_LINEAR), nn_net_output(net, NN_LOSS_QUADRATIC, 1);
    nn_exp_finalize(net, 1, 1);
    nn_optim o = s->opt;
    nn_optim_init(&o, net);
    const long T = s->traj_steps;
    double *tr = nn_calloc(3 * ((size_t)T + 1), sizeof(double)); /* x, y and f of steps 0 … T */
    double steps = NAN;
    long n = 0, diverged = 0;
    for (long t = 0; t <= s->max_steps; t++) {
        double x = net->params[0], y = net->params[1], f = 0.5 * (x * x + s->kappa * y * y);
        if (t <= T) tr[t] = x, tr[T + 1 + t] = y, tr[2 * (T + 1) + t] = f, n = t + 1;
        if (f < s->tol && isnan(steps)) steps = (double)t;
        if ((!isnan(steps) && t >= T) || (diverged = !isfinite(f))) break;
        net->grads[0] = (nn_real)x, net->grads[1] = (nn_real)(s->kappa * y); /* ∂f/∂x, ∂f/∂y */
        nn_optim_step(&o, net, o.lr);
    }
    nn_measure(e, c, "steps_to_tol", steps), nn_measure(e, c, "diverged", diverged);
    nn_measure(e, c, "steps_over_gd", ratio(steps, s->gd >= 0 ? nn_grid_values(e, s->gd, "steps_to_tol")[c->r] : steps));
    /* the descent is deterministic: its trajectory is kept once, in the first seed's cell */
    for (int k = 0; k < 3 && s->traj && c->r == 0; k++)
        nn_measure_series(e, c, (const char *[]){"x", "y", "f"}[k], tr + k * (T + 1), n);
    free(tr), nn_optim_free(&o), nn_net_free(net);
    return 0;
}

/* How much the update direction fluctuates: the cosine between consecutive parameter updates
 * Δθ_t and Δθ_{t−1}, averaged over every step of the run (1: a straight path; near 0: each step
 * turns). The buffers are allocated before training; the hooks only read and write them. */
typedef struct smoothness {
    nn_real *before, *prev; /* θ before this step; the previous step's Δθ */
    size_t n;
    double sum_cos; /* over `count` steps (the first has no previous Δθ: prev is 0) */
    long count;
} smoothness;

static int keep_params(nn_train_ctx *ctx, void *user)
{
    smoothness *m = user;
    memcpy(m->before, ctx->net->params, m->n * sizeof(nn_real));
    return 0;
}

static int update_cosine(nn_train_ctx *ctx, void *user)
{
    smoothness *m = user;
    const nn_real *p = ctx->net->params;
    double dot = 0, a2 = 0, b2 = 0;
    for (size_t i = 0; i < m->n; i++) {
        double d = (double)p[i] - m->before[i];
        dot += d * m->prev[i], a2 += d * d, b2 += (double)m->prev[i] * m->prev[i];
        m->prev[i] = (nn_real)d;
    }
    if (a2 > 0 && b2 > 0) m->sum_cos += dot / sqrt(a2 * b2), m->count++;
    return 0;
}

/* epochs until the training loss is at most `target`, over E ((E + 1) / E: not within the run; NaN: no target, or diverged) */
static double epochs_to(const nn_history *h, double target, int E)
{
    if (!isfinite(target) || h->diverged) return NAN;
    for (int i = 0; i < h->n_epochs; i++)
        if (h->ep[i].train_loss <= target) return (double)(i + 1) / E;
    return (double)(E + 1) / E;
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    (void)ctx;
    if (!s->mlp) return descend(e, c, s);
    const int E = s->net.epochs;
    nn_net *net = nn_exp_build(&s->spec, s->net.batch, c->seed);
    const size_t P = net->n_params;
    smoothness m = {.before = nn_calloc(P, sizeof(nn_real)), .prev = nn_calloc(P, sizeof(nn_real)), .n = P};
    nn_train_cfg tc = {
        .epochs = E, .batch = s->net.batch, .before_update = keep_params, .after_update = update_cosine, .user = &m};
    nn_history h;
    nn_cell_train_net(e, c, net, &s->opt, tc, &h);
    nn_measure(e, c, "train_loss_epoch1", h.n_epochs > 0 && !(h.diverged && h.n_epochs == 1) ? h.ep[0].train_loss : NAN);
    nn_measure(e, c, "final_train_loss", nn_exp_final(&h, offsetof(nn_epoch, train_loss)));
    nn_measure(e, c, "final_test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_measure(e, c, "mean_update_cosine", h.diverged || !m.count ? NAN : m.sum_cos / (double)m.count);
    if (s->fair >= 0 && s->plain >= 0) /* momentum α > 0 */
        nn_measure(e, c, "epochs_to_plain_loss", epochs_to(&h, nn_grid_values(e, s->plain, "final_train_loss")[c->r], E));
    if (s->fair >= 0)
        nn_measure(e, c, "epochs_to_fair_loss", epochs_to(&h, nn_grid_values(e, s->fair, "final_train_loss")[c->r], E));
    free(m.before), free(m.prev), nn_history_free(&h), nn_net_free(net);
    return 0;
}

/* per seed, the best α's steps over plain descent's at ε* (ctx: its condition, −1: none) */
static double best_steps(nn_exp *e, int r, void *ctx)
{
    const int i = *(const int *)ctx;
    return i >= 0 ? nn_grid_values(e, i, "steps_over_gd")[r] : NAN;
}

/* per seed, a condition's final training loss minus another's (ctx: the two, −1: not run) */
static double loss_gap(nn_exp *e, int r, void *ctx)
{
    const int *i = ctx;
    return i[0] >= 0 && i[1] >= 0
               ? nn_grid_values(e, i[0], "final_train_loss")[r] - nn_grid_values(e, i[1], "final_train_loss")[r]
               : NAN;
}

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"optimizer", "the MLP runs set the optimizer from 'alphas' (0 = plain SGD)"},
                                              {"momentum", "the MLP runs take α from 'alphas'"},
                                              {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] =
        (nn_cfg_field){"kappa", NN_CFG_REAL, &s->kappa, 1, 1e6, NULL, NULL, 0, 0, "(a) condition number κ of f = ½(x² + κy²)"};
    f[n++] = (nn_cfg_field){"x0", NN_CFG_REAL, &s->x0, -1e3, 1e3, NULL, NULL, 0, 0, "(a) start x"};
    f[n++] = (nn_cfg_field){"y0", NN_CFG_REAL, &s->y0, -1e3, 1e3, NULL, NULL, 0, 0, "(a) start y"};
    f[n++] = (nn_cfg_field){"eps", NN_CFG_REAL, &s->eps, 1e-9, 10, NULL, NULL, 0, 0, "(a) learning rate ε"};
    f[n++] = (nn_cfg_field){"tol", NN_CFG_REAL, &s->tol, 1e-300, 1, NULL, NULL, 0, 0, "(a) stop counting when f < tol"};
    f[n++] = (nn_cfg_field){"max_steps", NN_CFG_INT, &s->max_steps, 1, 100000000, NULL, NULL, 0, 0, "(a) step limit"};
    f[n++] =
        (nn_cfg_field){"traj_steps", NN_CFG_INT, &s->traj_steps, 1, 100000, NULL, NULL, 0, 0, "(a) trajectory steps recorded"};
    f[n++] = (nn_cfg_field){"alphas", NN_CFG_REAL_LIST, s->alphas, 0, 0.9999,
                            NULL,     &s->n_alphas,     8,         1, "(b) momentum values α (0 = plain SGD)"};
    f[n++] = (nn_cfg_field){"alpha_grid", NN_CFG_REAL_LIST, s->alpha_grid, 0, 0.9999, NULL, &s->n_alpha_grid, 8, 0,
                            "(a) the control: momentum at these α at plain descent's best rate ε*, for its own best α"};
    return n;
}

static const nn_exp_def def = {"momentum", "Momentum and Nesterov on an ill-conditioned quadratic and on an MLP.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    nn_optim base;
    if ((rc = nn_exp_netcfg(e, &s->net, &s->spec, &base))) return rc;
    /* (a) q[k][m]: method m at ε (k = 0) and at ε* (k = 1); then momentum at alpha_grid[g] at ε*: condition grid0 + g */
    const double eps_star = 2 / (1 + s->kappa);
    struct { const char *label; nn_opt_kind kind; double alpha; } methods[] = {{"gd", NN_OPT_SGD, 0},
        {"momentum-0.5", NN_OPT_MOMENTUM, 0.5}, {"momentum-0.9", NN_OPT_MOMENTUM, 0.9}, {"nesterov-0.9", NN_OPT_NESTEROV, 0.9}};
    int q[2][4];
    s->plain = s->fair = -1, s->traj = 1;
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 4; m++) {
            s->opt = (nn_optim){.kind = methods[m].kind, .lr = k ? eps_star : s->eps, .momentum = methods[m].alpha};
            s->gd = m ? q[k][0] : -1;
            q[k][m] = nn_grid_condition(e, nn_exp_str(e, "%s-eps%s", methods[m].label, k ? "star" : ""),
                                        nn_exp_str(e, "quadratic, %s at %s = %.4g", methods[m].label, k ? "ε*" : "ε", s->opt.lr),
                                        s, methods[m].label, s->opt.lr);
        }
    const int grid0 = nn_grid_n(e);
    s->opt = (nn_optim){.kind = NN_OPT_MOMENTUM, .lr = eps_star}, s->gd = q[1][0], s->traj = 0;
    for (int g = 0; g < s->n_alpha_grid; g++) {
        s->opt.momentum = s->alpha_grid[g];
        nn_grid_condition(e, nn_exp_str(e, "alpha-grid-%d", g + 1), nn_exp_str(e, "quadratic, momentum α = %g at ε* = %.4g",
                          s->opt.momentum, eps_star), s, "alpha_grid", s->opt.momentum);
    }
    /* (b) plain SGD first, then per α > 0 SGD at ε/(1 − α) and momentum α; mlp[a][0 / 1]: α's momentum / SGD run */
    int mlp[8][2], plain = -1, f09 = -1;
    s->mlp = 1, s->gd = -1;
    for (int pass = 0; pass < 2; pass++)
        for (int a = 0; a < s->n_alphas; a++) {
            const double alpha = s->alphas[a];
            const char *name = nn_exp_str(e, "momentum-%g", alpha), *fair = nn_exp_str(e, "sgd-lr%g", s->net.lr / (1 - alpha));
            if ((alpha > 0) != pass) continue;
            if (nn_grid_find(e, name) >= 0 || nn_grid_find(e, fair) >= 0)
                return nn_exp_fail(e, 2, "'alphas' lists %g twice", alpha);
            s->opt = base, s->opt.kind = NN_OPT_SGD, s->opt.momentum = 0, s->opt.lr = s->net.lr / (1 - alpha),
            s->fair = mlp[a][1] = -1;
            if (alpha > 0) mlp[a][1] = s->fair = nn_grid_condition(e, fair, NULL, s, "sgd-effective-rate", alpha);
            s->opt.kind = alpha > 0 ? NN_OPT_MOMENTUM : NN_OPT_SGD, s->opt.momentum = alpha, s->opt.lr = s->net.lr;
            mlp[a][0] = nn_grid_condition(e, name, NULL, s, "momentum", alpha);
            if (alpha == 0) s->plain = plain = mlp[a][0];
            if (fabs(alpha - 0.9) < 1e-12) f09 = mlp[a][1];
        }
    if ((rc = nn_grid_run(e, cell, NULL)) >= 0) return rc;

    cJSON *qrows = nn_exp_table(e, nn_exp_str(e, "f = ½(x² + %g y²) from (%g, %g): steps until f < %g", s->kappa, s->x0, s->y0,
                                               s->tol), 4, (const char *[]){"method", "α", "ε", "steps"});
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 4; m++)
            nn_exp_row(qrows, "snns", methods[m].label, methods[m].alpha, k ? eps_star : s->eps,
                       !isnan(steps_of(e, q[k][m])) ? nn_exp_str(e, "%ld", (long)steps_of(e, q[k][m]))
                       : nn_grid_values(e, q[k][m], "diverged")[0] ? "diverged" : "not within max_steps");
    /* the numbers the claims (experiments/momentum.json) read beyond the cells' measures: the rates their texts give
     * to 3 digits; at ε*, momentum at its own best α of alpha_grid (the fewest steps: the quadratic is deterministic)
     * and its steps over plain descent's; the controls' ratios of steps */
    int best = -1;
    for (int g = grid0; g < grid0 + s->n_alpha_grid; g++)
        if (!isnan(steps_of(e, g)) && (best < 0 || steps_of(e, g) < steps_of(e, best))) best = g;
    nn_grid_derived(e, "eps", s->eps), nn_grid_derived(e, "eps_star", eps_star);
    nn_grid_derived(e, "best_alpha", best >= 0 ? s->alpha_grid[best - grid0] : NAN);
    nn_grid_per_seed(e, "best_alpha_steps_over_gd", best_steps, &best);
    nn_grid_derived(e, "momentum_eps_over_gd_eps_star", ratio(steps_of(e, q[0][2]), steps_of(e, q[1][0])));
    nn_grid_derived(e, "gd_eps_star_over_eps", ratio(steps_of(e, q[1][0]), steps_of(e, q[0][0])));

    const int E = s->net.epochs;
    cJSON *mrows = nn_exp_table(e, nn_exp_str(e, "MLP on %s: training loss after epoch 1 and epoch %d, final test accuracy "
                                                   "(mean over %d seeds)", e->data.name, E, e->S), 7,
                                (const char *[]){"run", "α", "ε", "loss, epoch 1", "loss, last epoch", "test accuracy (%)",
                                                 "cosine of consecutive updates"});
    const char *cols[] = {"train_loss_epoch1", "final_train_loss", "final_test_acc", "mean_update_cosine"};
    for (int a = 0; a < s->n_alphas; a++)
        for (int j = 0, i; j < 2 && (i = mlp[a][j]) >= 0; j++) {
            double m[4], sd;
            for (int k = 0; k < 4; k++) nn_grid_mean_std(e, i, cols[k], &m[k], &sd);
            const settings *c = nn_grid_set(e, i);
            nn_exp_row(mrows, "snnnnnn", nn_grid_label(e, i), c->opt.momentum, c->opt.lr, m[0], m[1], m[2], m[3]);
        }
    /* (b) the MLP's claims read the cells' measures, and: the effective rate ε/(1 − α) of α = 0.9, and per seed the
     * final training loss of SGD at that rate minus plain SGD's (the control of momentum-beats-effective-rate) */
    nn_grid_derived(e, "effective_lr", s->net.lr / (1 - 0.9));
    nn_grid_per_seed(e, "effective_minus_plain_loss", loss_gap, (int[]){f09, plain});
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
