/* exploding — exploding gradients and their two remedies (seed 004).
 *
 * A deep ReLU net whose initial weights are 1.5× He's scale: every layer multiplies the
 * forward signal and the backward error by about 1.5, so after 8 layers both are ~25×
 * too large, and at a rate that would be fine for a well-scaled net the first updates
 * overshoot, the weights grow, the gradients grow further: the run blows up. Seed 004's
 * remedies: clip the gradient (here by its global norm: g ← g·c/‖g‖ when ‖g‖ > c) or lower
 * the learning rate. We record the global gradient norm ‖g‖ (before clipping) at every step
 * of the three runs, and the step where a run diverged (its loss or weights became NaN/Inf).
 *
 * Settings: experiments/exploding.json (every key: bin/exploding --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    double clip;        /* the clipping threshold c */
    double lr_low;      /* the lower rate */
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

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"clip_norm", "the clipped run's threshold is 'clip'; the other two runs are not clipped by norm"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"clip", NN_CFG_REAL, &s->clip, 1e-9, 1e12, NULL, NULL, 0, 0,
                            "remedy 1: clip the global gradient norm to this value (at the base rate)"};
    f[n++] = (nn_cfg_field){"lr_low", NN_CFG_REAL, &s->lr_low, 1e-9, 1e4, NULL, NULL, 0, 0, "remedy 2: the lower learning rate"};
    return n;
}

static const nn_exp_def def = {"exploding", "Exploding gradients in a deep ReLU net with large weights; clipping and a lower rate.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_mlp_spec sp;
    nn_optim base;
    if ((rc = nn_exp_netcfg(&e, &s.net, &sp, &base))) return rc;
    base.track_norm = 1;
    const int S = s.common.seeds, E = s.net.epochs;
    const long per_epoch = (e.data.train.n + s.net.batch - 1) / s.net.batch, T = per_epoch * E;
    const char *names[3] = {"no remedy", "clipped", "lower rate"};
    const char *keys[3] = {"plain", "clipped", "low_lr"};
    double growth[3], final_loss[3], first_loss[3], acc[3];
    int diverged[3];
    double *claim_v[3]; /* per seed: the claims' measurements */
    char cap[200];
    snprintf(cap, sizeof cap, "%d ReLU hidden layers, weights %g × He, SGD, %d epochs (mean over %d seeds; diverged runs count "
             "as diverged)", sp.n_hidden, s.net.init_scale, E, S);
    const char *cols[] = {"run", "η", "clip", "runs diverged", "first diverging step", "largest ‖g‖ / first ‖g‖", "test accuracy (%)"};
    cJSON *table = nn_exp_table(&e, cap, 7, cols);
    cJSON *curves = cJSON_AddObjectToObject(e.summary, "grad_norm");
    for (int v = 0; v < 3; v++) {
        nn_optim o = base;
        if (v == 1) o.clip_norm = s.clip;
        if (v == 2) o.lr = s.lr_low;
        double **runs = nn_exp_alloc(&e, (size_t)S, sizeof(double *)), *gr = nn_exp_vec(&e), *fl = nn_exp_vec(&e),
               *l0 = nn_exp_vec(&e), *ac = nn_exp_vec(&e);
        claim_v[v] = nn_exp_vec(&e);
        long first_div = -1;
        int ndiv = 0;
        for (int r = 0; r < S; r++) {
            uint64_t seed = (uint64_t)(s.common.seed + r);
            norms g = {.v = nn_calloc((size_t)T, sizeof(double)), .cap = T};
            nn_net *net = nn_mlp_build(&sp, s.net.batch, seed);
            o.v = NULL;
            nn_optim_init(&o, net);
            char label[64];
            snprintf(label, sizeof label, "%s seed %llu", keys[v], (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = E, .batch = s.net.batch, .seed = seed, .after_update = record, .user = &g,
                               .label = label, .progress = 1};
            nn_history h;
            nn_train(net, &o, &e.data.train, &e.data.test, &tc, &h);
            /* the norms of steps taken, NaN after a divergence */
            runs[r] = nn_calloc((size_t)T, sizeof(double));
            double mx = 0;
            for (long t = 0; t < T; t++) {
                runs[r][t] = t < g.n ? g.v[t] : NAN;
                if (t < g.n && isfinite(g.v[t])) mx = fmax(mx, g.v[t]);
            }
            gr[r] = g.n > 0 && g.v[0] > 0 ? mx / g.v[0] : NAN;
            fl[r] = nn_exp_final(&h, offsetof(nn_epoch, train_loss));
            l0[r] = h.n_epochs > 0 ? h.ep[0].train_loss : NAN;
            ac[r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
            /* no remedy: growth of ‖g‖, capped at 1e6, a diverged seed counting as 1e6; remedies:
             * final / first-epoch training loss, a diverged seed counting as 2 (it did not train) */
            claim_v[v][r] = v == 0 ? (h.diverged ? 1e6 : fmin(gr[r], 1e6)) : (h.diverged ? 2 : fl[r] / l0[r]);
            cJSON *run = nn_exp_add_run(&e, keys[v], keys[v], seed, &h);
            cJSON_AddItemToObject(run, "grad_norm", nn_json_series(g.v, (int)g.n));
            if (h.diverged) {
                long step = (long)(h.div_epoch - 1) * per_epoch + h.div_step;
                ndiv++;
                if (first_div < 0 || step < first_div) first_div = step;
                nn_exp_say(&e, "%s: diverged at step %ld (epoch %d, step %ld): %s became NaN/Inf", label, step, h.div_epoch,
                           h.div_step, h.div_what);
            }
            free(g.v);
            nn_history_free(&h);
            nn_optim_free(&o);
            nn_net_free(net);
        }
        double sd;
        nn_mean_std(gr, S, &growth[v], &sd);
        nn_mean_std(fl, S, &final_loss[v], &sd);
        nn_mean_std(l0, S, &first_loss[v], &sd);
        nn_mean_std(ac, S, &acc[v], &sd);
        diverged[v] = ndiv;
        cJSON_AddItemToObject(curves, keys[v], nn_json_mean_std(runs, S, (int)T));
        cJSON *dv = cJSON_GetObjectItem(e.summary, "first_divergence_step");
        if (!dv) dv = cJSON_AddObjectToObject(e.summary, "first_divergence_step");
        cJSON_AddItemToObject(dv, keys[v], first_div >= 0 ? cJSON_CreateNumber((double)first_div) : cJSON_CreateNull());
        char divs[32];
        snprintf(divs, sizeof divs, "%d of %d", ndiv, S);
        nn_exp_row(table, "snnsnnn", names[v], o.lr, v == 1 ? s.clip : NAN, divs, first_div >= 0 ? (double)first_div : NAN,
                   growth[v], acc[v]);
        nn_exp_say(&e, "%-10s: %d of %d runs diverged, ‖g‖ grew %.3g×, final test accuracy %.2f %%", names[v], ndiv, S,
                   growth[v], acc[v]);
        for (int r = 0; r < S; r++) free(runs[r]);
    }
    (void)final_loss, (void)first_loss, (void)diverged;
    cJSON_AddNumberToObject(e.summary, "steps_per_epoch", (double)per_epoch);
    /* claim 1: orders of magnitude of growth, or divergence (then the step is in the table) */
    nn_claim c1 = {.id = "no-remedy-explodes",
                   .statement = "Without a remedy the gradient norm grows by orders of magnitude (at least 100x) or the run diverges",
                   .source = "seed 004 (exploding gradients)",
                   .quantity = "largest / first gradient norm (capped at 1e6; a diverged seed counts as 1e6)", .op = ">=",
                   .threshold = 100};
    nn_exp_claim_seeds(&e, &c1, claim_v[0]);
    nn_claim c2 = {.id = "clipping-trains",
                   .statement = nn_exp_str(&e, "With the gradient clipped to norm %g the same net trains: no divergence, and the "
                                               "final training loss is below the first epoch's", s.clip),
                   .source = "seed 004 (remedy: gradient clipping)",
                   .quantity = "final / first-epoch training loss (a diverged seed counts as 2)", .op = "<", .threshold = 1};
    nn_exp_claim_seeds(&e, &c2, claim_v[1]);
    nn_claim c3 = {.id = "lower-rate-trains",
                   .statement = nn_exp_str(&e, "With a lower learning rate (%g instead of %g) the same net trains: no divergence, "
                                               "and the final training loss is below the first epoch's", s.lr_low, s.net.lr),
                   .source = "seed 004 (remedy: lower learning rate)",
                   .quantity = "final / first-epoch training loss (a diverged seed counts as 2)", .op = "<", .threshold = 1};
    nn_exp_claim_seeds(&e, &c3, claim_v[2]);
    return nn_exp_finish(&e);
}
