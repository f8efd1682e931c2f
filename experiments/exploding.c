/* exploding — exploding gradients and their two remedies (seed 004).
 *
 * A deep ReLU net whose initial weights are 1.5× He's scale: every layer multiplies the
 * forward signal and the backward error by about 1.5, so after 8 layers both are ~25×
 * too large, and at a rate that would be fine for a well-scaled net the first updates
 * overshoot, the weights grow, the gradients grow further: the run blows up. Seed 004's
 * remedies: clip the gradient (here by its global norm: g ← g·c/‖g‖ when ‖g‖ > c) or lower
 * the learning rate. The conditions are the config's arms (the net without a remedy first, then
 * each remedy); each cell records the global gradient norm ‖g‖ (before clipping) at every step
 * and the step where the run diverged (its loss or weights became NaN/Inf), if it did.
 *
 * Settings: experiments/exploding.json (every key: bin/exploding --help).
 */
#include <math.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
} settings;

typedef struct norms {
    double *v;
    long n, cap;
} norms;

static int record(nn_train_ctx *ctx, void *user)
{
    norms *g = user;
    if (g->n < g->cap) g->v[g->n++] = ctx->opt->last_grad_norm;
    return 0;
}

static const nn_cfg_refusal not_honoured[] = {{NULL, NULL}}; /* every network key reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    return n;
}

static const nn_exp_def def = {
    "exploding", "Exploding gradients in a deep ReLU net with large weights; the remedies (clipping, a lower rate) as arms.",
    NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    (void)ctx;
    const settings *s = c->set;
    nn_mlp_spec sp;
    nn_optim o;
    if (nn_netcfg_spec(&s->net, e->data.train.d, e->data.train.n_classes, &sp) || nn_netcfg_optim(&s->net, &o))
        return nn_exp_fail(e, 2, "%s", nn_error());
    o.track_norm = 1;
    const long per_epoch = (e->data.train.n + s->net.batch - 1) / s->net.batch, T = per_epoch * s->net.epochs;
    norms g = {.v = nn_calloc((size_t)T, sizeof(double)), .cap = T};
    nn_history h;
    nn_train_cfg tc = {.epochs = s->net.epochs, .batch = s->net.batch, .after_update = record, .user = &g,
                       .label = nn_exp_str(e, "%s seed %llu", c->name, (unsigned long long)c->seed)};
    nn_net_free(nn_cell_train(e, c, &sp, &o, tc, &h));
    double mx = 0;
    for (long t = 0; t < g.n; t++)
        if (isfinite(g.v[t])) mx = fmax(mx, g.v[t]);
    const double growth = g.n > 0 && g.v[0] > 0 ? mx / g.v[0] : NAN;
    const double l0 = h.n_epochs > 0 ? h.ep[0].train_loss : NAN;
    nn_measure_series(e, c, "grad_norm", g.v, g.n); /* the steps taken */
    nn_measure(e, c, "grad_growth", growth);
    nn_measure(e, c, "test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_measure(e, c, "diverged", h.diverged);
    nn_measure(e, c, "divergence_step", h.diverged ? (double)((h.div_epoch - 1) * per_epoch + h.div_step) : NAN);
    nn_measure(e, c, "steps_per_epoch", (double)per_epoch);
    /* what the claims judge — without a remedy: the growth of ‖g‖, capped at 1e6, a diverged seed counting as 1e6;
     * with one: final / first-epoch training loss, a diverged seed counting as 2 (it did not train) */
    nn_measure(e, c, "explosion", h.diverged ? 1e6 : fmin(growth, 1e6));
    nn_measure(e, c, "loss_ratio", h.diverged ? 2 : nn_exp_final(&h, offsetof(nn_epoch, train_loss)) / l0);
    free(g.v);
    nn_history_free(&h);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    for (int a = 0; a < e->n_arms; a++) { /* each arm named by its rate and its clipping, for the table and the figures */
        const settings *as = e->arm_set[a];
        nn_grid_condition(e, e->arm_name[a],
                          nn_exp_str(e, "%s: η = %g%s", e->arm_name[a], as->net.lr,
                                     as->net.clip_norm > 0 ? nn_exp_str(e, ", clipped at ‖g‖ = %g", as->net.clip_norm) : ""),
                          as, "arms", a);
    }
    if ((rc = nn_grid_run(e, cell, NULL)) >= 0) return rc;

    const char *cols[] = {"arm", "η", "clip by norm", "runs diverged", "first diverging step", "largest ‖g‖ / first ‖g‖",
                          "test accuracy (%)"};
    cJSON *table = nn_exp_table(e, nn_exp_str(e, "%d ReLU hidden layers, weights %g × He, %d epochs (mean over %d seeds; "
                                                    "diverged runs count as diverged)",
                                               s->net.n_hidden, s->net.init_scale, s->net.epochs, e->S), 7, cols);
    for (int a = 0; a < e->n_arms; a++) {
        const settings *as = e->arm_set[a];
        double growth, acc, sd;
        nn_grid_mean_std(e, a, "grad_growth", &growth, &sd);
        const int kacc = nn_grid_mean_std(e, a, "test_acc", &acc, &sd), ndiv = nn_grid_count(e, a, "diverged", ">", 0);
        const double first = nn_grid_min(e, a, "divergence_step"); /* over the seeds that diverged */
        nn_exp_row(table, "snnsnns", nn_grid_label(e, a), as->net.lr, as->net.clip_norm > 0 ? as->net.clip_norm : NAN,
                   nn_exp_str(e, "%d of %d", ndiv, e->S), first, growth,
                   kacc == 0     ? "diverged"
                   : kacc < e->S ? nn_exp_str(e, "%.2f (%d of %d seeds)", acc, kacc, e->S)
                                 : nn_exp_str(e, "%.2f", acc));
    }
    /* the claims (no-remedy-explodes, remedy-trains, per arm) are declared in experiments/exploding.json */
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
