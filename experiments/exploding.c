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
static const nn_cfg_refusal not_honoured[] = {{NULL, NULL}}; /* every network key reaches the nets */

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    return n;
}

static const nn_exp_def def = {"exploding", "Exploding gradients in a deep ReLU net with large weights; the remedies (clipping, a lower rate) as arms.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    const int S = e.S, A = e.n_arms;
    const char *cols[] = {"arm", "η", "clip by norm", "runs diverged", "first diverging step", "largest ‖g‖ / first ‖g‖",
                          "test accuracy (%)"};
    cJSON *table = nn_exp_table(&e, nn_exp_str(&e, "%d ReLU hidden layers, weights %g × He, %d epochs (mean over %d seeds; "
                                                    "diverged runs count as diverged)",
                                               s.net.n_hidden, s.net.init_scale, s.net.epochs, S), 7, cols);
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    long per_epoch = 0;
    double exploded = NAN; /* seeds in which the net without a remedy exploded (NaN until that arm has run) */
    for (int a = 0; a < A; a++) {
        const settings *as = e.arm_set[a];
        const char *arm = e.arm_name[a];
        nn_mlp_spec sp;
        nn_optim o;
        if ((rc = nn_exp_netcfg(&e, &as->net, &sp, &o))) return rc;
        o.track_norm = 1;
        const int E = as->net.epochs;
        per_epoch = (e.data.train.n + as->net.batch - 1) / as->net.batch;
        const long T = per_epoch * E;
        const int remedy = nn_exp_arm_n_overrides(&e, a) > 0;
        double **runs = nn_exp_alloc(&e, (size_t)S, sizeof(double *)), *gr = nn_exp_vec(&e), *ac = nn_exp_vec(&e),
               *claim_v = nn_exp_vec(&e);
        nn_history *h = nn_exp_alloc(&e, (size_t)S, sizeof *h);
        long first_div = -1;
        int ndiv = 0;
        for (int r = 0; r < S; r++) {
            uint64_t seed = (uint64_t)e.seeds[r];
            norms g = {.v = nn_calloc((size_t)T, sizeof(double)), .cap = T};
            nn_net *net = nn_exp_build(&sp, as->net.batch, seed);
            o.v = NULL;
            nn_optim_init(&o, net);
            const char *label = nn_exp_str(&e, "%s seed %llu", arm, (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = E, .batch = as->net.batch, .seed = seed, .after_update = record, .user = &g,
                               .label = label, .progress = 1};
            nn_exp_train(net, &o, &e.data.train, &e.data.test, &tc, &h[r]);
            /* the norms of steps taken, NaN after a divergence */
            runs[r] = nn_exp_alloc(&e, (size_t)T, sizeof(double));
            double mx = 0;
            for (long t = 0; t < T; t++) {
                runs[r][t] = t < g.n ? g.v[t] : NAN;
                if (t < g.n && isfinite(g.v[t])) mx = fmax(mx, g.v[t]);
            }
            gr[r] = g.n > 0 && g.v[0] > 0 ? mx / g.v[0] : NAN;
            double fl = nn_exp_final(&h[r], offsetof(nn_epoch, train_loss));
            double l0 = h[r].n_epochs > 0 ? h[r].ep[0].train_loss : NAN;
            ac[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
            /* no remedy: growth of ‖g‖, capped at 1e6, a diverged seed counting as 1e6; a remedy:
             * final / first-epoch training loss, a diverged seed counting as 2 (it did not train) */
            claim_v[r] = !remedy ? (h[r].diverged ? 1e6 : fmin(gr[r], 1e6)) : (h[r].diverged ? 2 : fl / l0);
            cJSON *run = nn_exp_add_run(&e, arm, arm, seed, &h[r]);
            cJSON_AddItemToObject(run, "grad_norm", nn_json_series(g.v, (int)g.n));
            if (h[r].diverged) {
                long step = (long)(h[r].div_epoch - 1) * per_epoch + h[r].div_step;
                ndiv++;
                if (first_div < 0 || step < first_div) first_div = step;
                nn_exp_say(&e, "%s: diverged at step %ld (epoch %d, step %ld): %s became NaN/Inf", label, step, h[r].div_epoch,
                           h[r].div_step, h[r].div_what);
            }
            free(g.v);
            nn_optim_free(&o);
            nn_net_free(net);
        }
        double growth, acc, sd;
        nn_mean_std(gr, S, &growth, &sd);
        int kacc = nn_mean_std_n(ac, S, &acc, &sd);
        const char *title = nn_exp_str(&e, "%s: η = %g%s", arm, as->net.lr,
                                       as->net.clip_norm > 0 ? nn_exp_str(&e, ", clipped at ‖g‖ = %g", as->net.clip_norm) : "");
        cJSON *ao = cJSON_CreateObject();
        cJSON_AddStringToObject(ao, "name", arm);
        cJSON_AddStringToObject(ao, "title", title);
        cJSON_AddBoolToObject(ao, "remedy", remedy);
        cJSON_AddItemToObject(ao, "grad_norm", nn_json_mean_std(runs, S, (int)T));
        /* the mean only while every seed is still running: after a seed diverges a mean would mix
         * different sets of seeds */
        double *all = nn_exp_alloc(&e, (size_t)T, sizeof(double));
        for (long t = 0; t < T; t++) {
            double m = 0;
            for (int r = 0; r < S; r++) m += runs[r][t];
            all[t] = m / S; /* NaN once any seed has stopped */
        }
        cJSON_AddItemToObject(ao, "grad_norm_all_seeds", nn_json_series(all, (int)T));
        cJSON_AddItemToObject(ao, "first_divergence_step", first_div >= 0 ? cJSON_CreateNumber((double)first_div) : cJSON_CreateNull());
        cJSON_AddNumberToObject(ao, "runs_diverged", ndiv);
        cJSON_AddItemToObject(ao, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
        cJSON_AddNumberToObject(ao, "epochs", E);
        cJSON_AddItemToArray(arms_out, ao);
        nn_exp_row(table, "snnsnns", title, o.lr, as->net.clip_norm > 0 ? as->net.clip_norm : NAN,
                   nn_exp_str(&e, "%d of %d", ndiv, S), first_div >= 0 ? (double)first_div : NAN, growth,
                   kacc == 0 ? "diverged" : kacc < S ? nn_exp_str(&e, "%.2f (%d of %d seeds)", acc, kacc, S) : nn_exp_str(&e, "%.2f", acc));
        nn_exp_say(&e, "%-10s: %d of %d runs diverged, ‖g‖ grew %.3g×, final test accuracy %.2f %%", arm, ndiv, S, growth, acc);
        for (int r = 0; r < S; r++) nn_history_free(&h[r]);
        if (!remedy) {
            nn_claim c = {.kind = NN_SETUP, .id = nn_exp_str(&e, "no-remedy-explodes[%s]", arm),
                          .statement = nn_exp_str(&e, "Without a remedy (%d ReLU layers, weights %g x He, η = %g) the gradient "
                                                      "norm grows by orders of magnitude (at least 100x) or the run diverges",
                                                  sp.n_hidden, as->net.init_scale, as->net.lr),
                          .source = "seed 004 (exploding gradients)",
                          .quantity = "largest / first gradient norm (capped at 1e6; a diverged seed counts as 1e6)", .op = ">=",
                          .threshold = 100};
            nn_exp_claim_seeds(&e, &c, claim_v);
            exploded = 0;
            for (int r = 0; r < S; r++) exploded += claim_v[r] >= 100;
        } else {
            nn_claim c = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "remedy-trains[%s]", arm),
                          .statement = nn_exp_str(&e, "With the remedy of arm %s the same net trains: no divergence, and the "
                                                      "final training loss is below the first epoch's", nn_exp_arm_label(&e, a)),
                          .source = "seed 004 (remedies: gradient clipping, a lower learning rate)",
                          .quantity = "final / first-epoch training loss (a diverged seed counts as 2)", .op = "<", .threshold = 1};
            /* the skeptic: any net that does not diverge passes "final loss below the first epoch's"; the control: there
             * was an explosion to remedy, in every seed, in the arm without a remedy (listed before the remedies) */
            nn_claim_control(&c, "there was nothing to remedy",
                             "seeds in which the net without a remedy grew its gradient ≥ 100× or diverged (an arm without "
                             "overrides, before this one)", exploded, ">=", S);
            nn_exp_claim_seeds(&e, &c, claim_v);
        }
    }
    cJSON_AddNumberToObject(e.summary, "steps_per_epoch", (double)per_epoch);
    return nn_exp_finish(&e);
}
