/* deep_supervision — the seed's deeply supervised LeNet against LeNet (seed 004; Lee et al. 2015).
 *
 * Seed 004's DSN is Caffe's LeNet with one side layer: a dense layer of 10 units on pool1
 * ("ip1_side") and its own softmax loss l1, so training minimizes L + α l1. The heads are
 * entries of the config's "layers" ({"head": [], "alpha": …}); the plain net is the same list
 * without them, trained from the same seeds. α falls linearly to 0 over `decay_epochs` (Lee
 * et al. let it decay, so that in the end only L counts). For each net and seed we record:
 *   - per epoch, the mean |∂/∂W| and |∂/∂b| of every trunk layer (Lee et al. Fig. 3 a and b),
 *     of the objective being trained, and — every `main_every` steps, by a second backward
 *     pass with the heads' weights set to 0 — of the main loss L alone;
 *   - test accuracy per epoch, and training accuracy on as many training images as the test
 *     set has (the train–test gap: "without overfitting");
 *   - how discriminative each layer's features are: the test accuracy of a linear probe, a
 *     softmax regression trained on the frozen, standardized features of every pool layer and
 *     hidden activation.
 * Conditions: per arm two, its plain net ("<arm>-plain", group plain) and its net with the heads
 * ("<arm>-heads", group heads), x the arm's index, labelled "<arm's title>, without the head (layers L…;
 * probed P…)" (or "with the side head"): the trunk's layers and probed nodes, the figures' names. A cell
 * measures per trunk layer L the series mean_abs_dW.L, mean_abs_db.L, main_loss_mean_abs_dW.L and
 * main_loss_mean_abs_db.L, per probed node P probe_acc.P, and final_test_acc, gap (train − test) and
 * first_layer_mean_abs_dW / _db / _main_loss_mean_abs_dW over all steps (NaN where the seed diverged).
 *
 * Settings: experiments/deep_supervision.json (every key: bin/deep_supervision --help); its "claims" list holds the
 * claims, per arm, which the frame judges (the names and numbers they read beyond the measures: main, at the end).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

#define MAX_LAYERS 32

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    const cJSON *layers;
    double decay_epochs; /* α reaches 0 after this many epochs (0 = the whole run) */
    int main_every;
    int probe_epochs;
    double probe_lr;
    /* a condition's: the plain net (heads 0) or the one with heads (1), the arm's optimizer, and the names of the
     * trunk's layers with parameters and of its n_probe probed nodes (the same in both nets) */
    int heads, n_probe;
    nn_optim opt;
    const char *par[MAX_LAYERS], *probed[MAX_LAYERS];
} settings;

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, nn_exp_arch_refusals, r, n_r);
    f[n++] = nn_exp_layers_field(&s->layers, "the deeply supervised net: layers with {\"head\": [...]} entries");
    f[n++] = (nn_cfg_field){"decay_epochs", NN_CFG_REAL, &s->decay_epochs, 0, 1e6, NULL, NULL, 0, 0,
                            "epochs over which α decays linearly to 0 (0 = the whole run)"};
    f[n++] = (nn_cfg_field){"main_every", NN_CFG_INT, &s->main_every, 1, 1e6, NULL, NULL, 0, 0,
                            "measure the main loss's own gradient every this many steps"};
    f[n++] = (nn_cfg_field){"probe_epochs", NN_CFG_INT, &s->probe_epochs, 1, 1000, NULL, NULL, 0, 0,
                            "epochs of each linear probe (softmax regression on frozen features)"};
    f[n++] = (nn_cfg_field){"probe_lr", NN_CFG_REAL, &s->probe_lr, 1e-6, 10, NULL, NULL, 0, 0, "the probes' learning rate (SGD)"};
    return n;
}

static const nn_exp_def def = {"deep_supervision", "The seed's deeply supervised LeNet (a side head on pool1) against LeNet.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* the trunk's layers with parameters (conv, dense: Lee et al.'s rows) and the probed nodes */
typedef struct layout {
    int n_par, par[MAX_LAYERS];
    int n_probe, probe[MAX_LAYERS];
} layout;

static void find_layers(const nn_net *net, layout *t)
{
    t->n_par = t->n_probe = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        if (L->head >= 0) continue;
        if ((L->kind == NN_L_CONV || L->kind == NN_L_DENSE) && t->n_par < MAX_LAYERS) t->par[t->n_par++] = i;
        if ((L->kind == NN_L_MAXPOOL || (L->kind == NN_L_ACT && L->act < NN_ACT_N_ELEMENTWISE)) && t->n_probe < MAX_LAYERS)
            t->probe[t->n_probe++] = i;
    }
}

/* per step: the objective's mean |dW|, |db| per layer; every main_every steps, the main loss's */
typedef struct probe {
    layout t;
    int E, main_every;
    double *w, *b, *mw, *mb; /* (E, n_par) sums */
    long *steps, *msteps;    /* (E) */
    nn_real *saved;
    double alpha0;
    long decay_steps;
} probe;

static int before_update(nn_train_ctx *ctx, void *user)
{
    probe *p = user;
    nn_net *net = ctx->net;
    const int e = ctx->epoch - 1, K = p->t.n_par;
    for (int l = 0; l < K; l++) {
        nn_grad_stats g;
        nn_stats_grad(net, p->t.par[l], &g);
        p->w[e * K + l] += g.w_mean_abs, p->b[e * K + l] += g.b_mean_abs;
    }
    p->steps[e]++;
    if (ctx->global_step % p->main_every) return 0;
    if (net->n_outputs > 1) { /* the main loss's own gradient: the heads' weights set to 0 for one more backward */
        memcpy(p->saved, net->grads, net->n_params * sizeof(nn_real));
        double w[NN_MAX_OUTPUTS];
        for (int j = 1; j < net->n_outputs; j++) w[j] = net->outputs[j].weight, net->outputs[j].weight = 0;
        nn_net_loss(net, net->Y, 1);
        nn_net_zero_grad(net);
        nn_net_backward(net);
        for (int j = 1; j < net->n_outputs; j++) net->outputs[j].weight = w[j];
    }
    for (int l = 0; l < K; l++) {
        nn_grad_stats g;
        nn_stats_grad(net, p->t.par[l], &g);
        p->mw[e * K + l] += g.w_mean_abs, p->mb[e * K + l] += g.b_mean_abs;
    }
    if (net->n_outputs > 1) memcpy(net->grads, p->saved, net->n_params * sizeof(nn_real));
    p->msteps[e]++;
    return 0;
}

static int after_update(nn_train_ctx *ctx, void *user)
{
    probe *p = user;
    /* α_j for the next step: linear decay from its start value to 0 */
    double f = p->decay_steps > 0 ? 1.0 - (double)ctx->global_step / (double)p->decay_steps : 0;
    for (int j = 1; j < ctx->net->n_outputs; j++) ctx->net->outputs[j].weight = p->alpha0 * (f > 0 ? f : 0);
    return 0;
}

/* the outputs of nodes layer[0 … k) for every sample of ds (evaluation mode, one forward pass
 * per chunk), as data sets with ds's labels */
static void features_of(nn_net *net, const int *layer, int k, const nn_dataset *ds, nn_dataset *out)
{
    const int mb = net->max_batch;
    for (int q = 0; q < k; q++) nn_dataset_alloc(&out[q], ds->n, net->layers[layer[q]].n, ds->n_classes);
    for (int i = 0; i < ds->n; i += mb) {
        int B = ds->n - i < mb ? ds->n - i : mb;
        nn_net_forward(net, ds->X + (size_t)i * ds->d, B, NN_EVAL);
        for (int q = 0; q < k; q++)
            memcpy(out[q].X + (size_t)i * out[q].d, nn_net_node_out(net, layer[q]), (size_t)B * out[q].d * sizeof(nn_real));
    }
    for (int q = 0; q < k; q++) memcpy(out[q].y, ds->y, (size_t)ds->n * sizeof(int));
}

/* test accuracy (%) of a softmax regression on standardized features (tr, te: modified) */
static double linear_probe(nn_dataset *tr, nn_dataset *te, const settings *as, uint64_t seed)
{
    nn_dataset *sets[2] = {tr, te};
    nn_dataset_standardize(tr, sets, 2);
    nn_mlp_spec sp = {.n_input = tr->d, .n_output = tr->n_classes, .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE,
                      .w_init = {NN_INIT_ZERO, 0}, .b_init = {NN_INIT_ZERO, 0}};
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = as->probe_lr};
    nn_train_cfg tc = {.epochs = as->probe_epochs, .batch = as->net.batch};
    nn_history h = {0};
    double acc = NAN;
    if (nn_exp_train_mlp(&sp, &opt, tc, seed, tr, te, &h) == 0 && !h.diverged)
        acc = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
    nn_history_free(&h);
    return acc;
}

/* one net for one seed: trained with the gradient probes, then its layers probed */
static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    (void)ctx;
    const settings *s = c->set;
    const int E = s->net.epochs;
    const long per_epoch_steps = (e->data.train.n + s->net.batch - 1) / s->net.batch;
    nn_net *net = nn_exp_arch_net(&s->net, s->layers, &e->data.train, !s->heads, s->net.batch, c->seed);
    NN_ASSERT(net != NULL, "the net of %s (main built it once)", c->name);
    probe p = {.E = E, .main_every = s->main_every, .alpha0 = s->heads ? net->outputs[1].weight : 0,
               .decay_steps = (long)((s->decay_epochs > 0 ? s->decay_epochs : E) * per_epoch_steps)};
    find_layers(net, &p.t);
    const int K = p.t.n_par;
    for (int j = 1; j < net->n_outputs; j++) net->outputs[j].weight = p.alpha0; /* every head starts at its α */
    p.w = nn_exp_alloc(e, 4 * (size_t)E * K, sizeof(double)), p.b = p.w + E * K, p.mw = p.b + E * K, p.mb = p.mw + E * K;
    p.steps = nn_exp_alloc(e, (size_t)E, sizeof(long)), p.msteps = nn_exp_alloc(e, (size_t)E, sizeof(long));
    p.saved = nn_calloc(net->n_params, sizeof(nn_real));
    nn_train_cfg tc = {.epochs = E, .batch = s->net.batch, .eval_train = 1, .eval_train_max = e->data.test.n,
                       .before_update = before_update, .after_update = after_update, .user = &p,
                       .label = nn_exp_str(e, "%s seed %llu", c->name, (unsigned long long)c->seed)};
    nn_history h = {0};
    nn_cell_train_net(e, c, net, &s->opt, tc, &h);
    free(p.saved);
    /* per trunk layer and epoch, the mean over the epoch's steps (NaN: none measured) */
    const char *what[4] = {"mean_abs_dW", "mean_abs_db", "main_loss_mean_abs_dW", "main_loss_mean_abs_db"};
    double *sums[4] = {p.w, p.b, p.mw, p.mb}, *v = nn_exp_alloc(e, (size_t)E, sizeof(double));
    long *count[4] = {p.steps, p.steps, p.msteps, p.msteps};
    for (int q = 0; q < 4; q++)
        for (int l = 0; l < K; l++) {
            for (int ep = 0; ep < E; ep++) v[ep] = count[q][ep] ? sums[q][ep * K + l] / count[q][ep] : NAN;
            nn_measure_series(e, c, nn_exp_str(e, "%s.%s", what[q], s->par[l]), v, E);
        }
    double acc = NAN, gap = NAN, w1 = NAN, b1 = NAN, mw1 = NAN, probe_acc[MAX_LAYERS];
    for (int q = 0; q < p.t.n_probe; q++) probe_acc[q] = NAN;
    if (!h.diverged) {
        acc = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
        gap = 100 * nn_exp_final(&h, offsetof(nn_epoch, train_acc)) - acc;
        double sw = 0, sb = 0, sm = 0;
        long n = 0, nm = 0;
        for (int ep = 0; ep < E; ep++)
            sw += p.w[ep * K], sb += p.b[ep * K], n += p.steps[ep], sm += p.mw[ep * K], nm += p.msteps[ep];
        w1 = sw / n, b1 = sb / n, mw1 = nm ? sm / nm : NAN;
        nn_dataset tr[MAX_LAYERS], te[MAX_LAYERS]; /* a linear probe on every probed node */
        features_of(net, p.t.probe, p.t.n_probe, &e->data.train, tr);
        features_of(net, p.t.probe, p.t.n_probe, &e->data.test, te);
        for (int q = 0; q < p.t.n_probe; q++)
            probe_acc[q] = linear_probe(&tr[q], &te[q], s, c->seed), nn_dataset_free(&tr[q]), nn_dataset_free(&te[q]);
    }
    nn_measure(e, c, "final_test_acc", acc), nn_measure(e, c, "gap", gap);
    nn_measure(e, c, "first_layer_mean_abs_dW", w1), nn_measure(e, c, "first_layer_mean_abs_db", b1);
    nn_measure(e, c, "first_layer_main_loss_mean_abs_dW", mw1);
    for (int q = 0; q < p.t.n_probe; q++) nn_measure(e, c, nn_exp_str(e, "probe_acc.%s", s->probed[q]), probe_acc[q]);
    nn_history_free(&h);
    nn_net_free(net);
    return 0;
}

/* a measure's mean over the seeds of a condition, as text */
static const char *mean(nn_exp *e, const char *fmt, int cond, const char *name)
{
    double m, sd;
    nn_grid_mean_std(e, cond, name, &m, &sd);
    return nn_exp_str(e, fmt, m);
}

static int run(nn_exp *e, void *set)
{
    (void)set; /* the arms' settings are the conditions' */
    int rc;
    if (!e->n_arms) return nn_exp_fail(e, 2, "the config defines no arms");
    for (int a = 0; a < e->n_arms; a++) { /* the arm's net, built here once for its layers' names */
        settings as = *(const settings *)e->arm_set[a];
        nn_net *net = nn_exp_arch_net(&as.net, as.layers, &e->data.train, 0, as.net.batch, (uint64_t)e->seeds[0]);
        if (!net || nn_netcfg_optim(&as.net, &as.opt)) {
            nn_net_free(net);
            return nn_exp_fail(e, 2, "arm '%s': %s", e->arm_name[a], nn_error());
        }
        layout t;
        find_layers(net, &t);
        const char *lw = "", *pw = "";
        for (int l = 0; l < t.n_par; l++)
            lw = nn_exp_str(e, "%s%s%s", lw, l ? " " : "", as.par[l] = nn_exp_str(e, "%s", net->layers[t.par[l]].name));
        for (int l = 0; l < t.n_probe; l++)
            pw = nn_exp_str(e, "%s%s%s", pw, l ? " " : "", as.probed[l] = nn_exp_str(e, "%s", net->layers[t.probe[l]].name));
        const int no_head = net->n_outputs < 2;
        nn_net_free(net), as.n_probe = t.n_probe;
        if (no_head)
            return nn_exp_fail(e, 2, "arm '%s': 'layers' has no {\"head\": [...]} entry: nothing to compare", e->arm_name[a]);
        for (as.heads = 0; as.heads < 2; as.heads++)
            nn_grid_condition(e, nn_exp_str(e, "%s-%s", e->arm_name[a], as.heads ? "heads" : "plain"),
                              nn_exp_str(e, "%s, %s (layers %s; probed %s)", nn_exp_arm_label(e, a),
                                         as.heads ? "with the side head" : "without the head", lw, pw),
                              &as, as.heads ? "heads" : "plain", a);
    }
    if ((rc = nn_grid_run(e, cell, NULL)) >= 0) return rc;

    const int S = e->S;
    const char *cols[] = {"arm", "net", "mean |∂/∂W| of the first layer over training", "of the main loss alone",
                          "mean |∂/∂b| of the first layer", "final test accuracy (%)", "train − test (points)"};
    cJSON *table = nn_exp_table(e, nn_exp_str(e, "The first layer's mean gradient over training, and the accuracies "
                                                   "(mean over %d seeds)", S), 7, cols);
    const char *pcols[] = {"arm", "layer", "linear probe test accuracy (%), plain", "with heads"};
    cJSON *ptable = nn_exp_table(e, nn_exp_str(e, "How discriminative each layer's features are: a softmax regression on "
                                                    "the frozen features (mean ± std over %d seeds)", S), 4, pcols);
    for (int a = 0; a < e->n_arms; a++) {
        const int pl = 2 * a, hd = 2 * a + 1; /* the arm's plain net and its net with heads */
        const settings *as = nn_grid_set(e, pl);
        const char *arm = e->arm_name[a];
        for (int v = 0; v < 2; v++) {
            double f, sd;
            const int k = nn_grid_mean_std(e, pl + v, "final_test_acc", &f, &sd);
            nn_exp_row(
                table, "sssssss", arm, v ? "with heads" : "without heads", mean(e, "%.3g", pl + v, "first_layer_mean_abs_dW"),
                mean(e, "%.3g", pl + v, "first_layer_main_loss_mean_abs_dW"), mean(e, "%.3g", pl + v, "first_layer_mean_abs_db"),
                k < S ? nn_exp_str(e, "%.2f (%d of %d seeds)", f, k, S) : nn_exp_str(e, "%.2f", f),
                mean(e, "%.2f", pl + v, "gap"));
        }
        for (int l = 0; l < as->n_probe; l++) {
            double m0, s0, m1, s1;
            const char *pn = nn_exp_str(e, "probe_acc.%s", as->probed[l]);
            nn_grid_mean_std(e, pl, pn, &m0, &s0), nn_grid_mean_std(e, hd, pn, &m1, &s1);
            nn_exp_row(ptable, "ssss", arm, as->probed[l], nn_exp_str(e, "%.2f ± %.2f", m0, s0),
                       nn_exp_str(e, "%.2f ± %.2f", m1, s1));
        }
        /* what the arm's claims (experiments/deep_supervision.json) read beyond the cells' measures: the names of its
         * first layer and of its probed nodes (one claim each); the tolerance of "without overfitting", what the test
         * set resolves at the plain net's mean accuracy; and its control, the head's mean gain in test accuracy (the
         * skeptic: a head that changes nothing cannot overfit more either; the seed's claim is that the head lowers the
         * test error *without* overfitting, so the gap is judged only where the head's gain is resolved) */
        double pm, gm, sd;
        nn_grid_derived_names(e, nn_exp_str(e, "first_layer[%s]", arm), 1, as->par);
        nn_grid_derived_names(e, nn_exp_str(e, "probed[%s]", arm), as->n_probe, as->probed);
        nn_grid_mean_std(e, pl, "final_test_acc", &pm, &sd);
        nn_grid_derived(e, nn_exp_str(e, "gap_tolerance[%s]", arm), nn_exp_resolution_pct(e, pm));
        nn_mean_std(nn_grid_diff(e, "final_test_acc", hd, pl), S, &gm, &sd);
        nn_grid_derived(e, nn_exp_str(e, "test_gain_mean[%s]", arm), gm);
    }
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
