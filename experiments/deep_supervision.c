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
 *
 * Settings: experiments/deep_supervision.json (every key: bin/deep_supervision --help).
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
    if (nn_exp_train_mlp(&sp, &opt, tc, seed, tr, te, &h) == 0 && !h.diverged) acc = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
    nn_history_free(&h);
    return acc;
}

/* a probe on every probed node of a trained net: acc[q] for node t->probe[q] */
static void probe_all(nn_net *net, const layout *t, const nn_split *data, const settings *as, uint64_t seed, double *const *acc,
                      int r)
{
    nn_dataset tr[MAX_LAYERS], te[MAX_LAYERS];
    features_of(net, t->probe, t->n_probe, &data->train, tr);
    features_of(net, t->probe, t->n_probe, &data->test, te);
    for (int q = 0; q < t->n_probe; q++) {
        acc[q][r] = linear_probe(&tr[q], &te[q], as, seed);
        nn_dataset_free(&tr[q]), nn_dataset_free(&te[q]);
    }
}

typedef struct variant_out {
    double *final_acc, *gap;   /* per seed: final test accuracy (%), train − test (points) */
    double *w1, *b1, *mw1;     /* per seed: first layer's mean |dW|, |db| over training (objective), |dW| of L alone */
    double *probe[MAX_LAYERS]; /* per probed layer, per seed: probe test accuracy (%) */
    layout t;
    char names[MAX_LAYERS][40], probe_names[MAX_LAYERS][40];
} variant_out;

/* mean over seeds, per epoch, of sums[r][e·K + l] / count[r][e] for one layer l */
static cJSON *per_epoch(nn_exp *e, double *const *sums, long *const *count, int K, int l, int E)
{
    double **rows = nn_exp_alloc(e, (size_t)e->S, sizeof(double *));
    for (int r = 0; r < e->S; r++) {
        rows[r] = nn_exp_alloc(e, (size_t)E, sizeof(double));
        for (int ep = 0; ep < E; ep++) rows[r][ep] = count[r][ep] ? sums[r][ep * K + l] / count[r][ep] : NAN;
    }
    return nn_json_mean_std(rows, e->S, E);
}

static int run_variant(nn_exp *e, const settings *as, int heads, const char *arm, cJSON *ao, variant_out *out)
{
    static const char *const names[2] = {"plain", "heads"};
    const int S = e->S, E = as->net.epochs;
    const long per_epoch_steps = (e->data.train.n + as->net.batch - 1) / as->net.batch;
    nn_optim opt;
    if (nn_netcfg_optim(&as->net, &opt)) return -1;
    nn_history *h = nn_exp_alloc(e, (size_t)S, sizeof *h);
    double **w = nn_exp_alloc(e, (size_t)S, sizeof(double *)), **b = nn_exp_alloc(e, (size_t)S, sizeof(double *));
    double **mw = nn_exp_alloc(e, (size_t)S, sizeof(double *)), **mb = nn_exp_alloc(e, (size_t)S, sizeof(double *));
    long **st = nn_exp_alloc(e, (size_t)S, sizeof(long *)), **mst = nn_exp_alloc(e, (size_t)S, sizeof(long *));
    out->final_acc = nn_exp_vec(e), out->gap = nn_exp_vec(e), out->w1 = nn_exp_vec(e), out->b1 = nn_exp_vec(e);
    out->mw1 = nn_exp_vec(e);
    int K = 0;
    for (int r = 0; r < S; r++) {
        uint64_t seed = (uint64_t)e->seeds[r];
        nn_net *net = nn_exp_arch_net(&as->net, as->layers, &e->data.train, !heads, as->net.batch, seed);
        if (!net) return -1;
        if (heads && net->n_outputs < 2) {
            nn_net_free(net);
            return nn_fail("'layers' has no {\"head\": [...]} entry: nothing to compare");
        }
        probe p = {.E = E, .main_every = as->main_every, .alpha0 = heads ? net->outputs[1].weight : 0,
                   .decay_steps = (long)((as->decay_epochs > 0 ? as->decay_epochs : E) * per_epoch_steps)};
        find_layers(net, &p.t);
        K = p.t.n_par;
        if (r == 0) {
            out->t = p.t;
            for (int l = 0; l < K; l++) snprintf(out->names[l], 40, "%s", net->layers[p.t.par[l]].name);
            for (int l = 0; l < p.t.n_probe; l++) {
                snprintf(out->probe_names[l], 40, "%s", net->layers[p.t.probe[l]].name);
                out->probe[l] = nn_exp_vec(e);
            }
        }
        for (int j = 1; j < net->n_outputs; j++) net->outputs[j].weight = p.alpha0; /* every head starts at its α */
        p.w = w[r] = nn_exp_alloc(e, (size_t)E * K, sizeof(double)), p.b = b[r] = nn_exp_alloc(e, (size_t)E * K, sizeof(double));
        p.mw = mw[r] = nn_exp_alloc(e, (size_t)E * K, sizeof(double)), p.mb = mb[r] = nn_exp_alloc(e, (size_t)E * K, sizeof(double));
        p.steps = st[r] = nn_exp_alloc(e, (size_t)E, sizeof(long)), p.msteps = mst[r] = nn_exp_alloc(e, (size_t)E, sizeof(long));
        p.saved = nn_calloc(net->n_params, sizeof(nn_real));
        const char *label = nn_exp_str(e, "%s %s seed %llu", arm, names[heads], (unsigned long long)seed);
        nn_train_cfg tc = {.epochs = E, .batch = as->net.batch, .seed = seed, .eval_train = 1,
                           .eval_train_max = e->data.test.n, .before_update = before_update,
                           .after_update = after_update, .user = &p, .label = label, .progress = 1};
        if (nn_exp_train_net(net, &opt, &tc, &e->data.train, &e->data.test, &h[r])) {
            free(p.saved), nn_net_free(net);
            return -1;
        }
        free(p.saved);
        nn_exp_add_run(e, arm, nn_exp_str(e, "%s-%s", arm, names[heads]), seed, &h[r]);
        if (h[r].diverged) {
            nn_exp_say(e, "%s diverged at epoch %d, step %ld", label, h[r].div_epoch, h[r].div_step);
        } else {
            out->final_acc[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
            out->gap[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, train_acc)) - out->final_acc[r];
            double sw = 0, sb = 0, sm = 0;
            long n = 0, nm = 0;
            for (int ep = 0; ep < E; ep++) sw += w[r][ep * K], sb += b[r][ep * K], n += st[r][ep], sm += mw[r][ep * K], nm += mst[r][ep];
            out->w1[r] = sw / n, out->b1[r] = sb / n, out->mw1[r] = nm ? sm / nm : NAN;
            probe_all(net, &p.t, &e->data, as, seed, out->probe, r);
        }
        nn_net_free(net);
    }
    cJSON *vo = cJSON_AddObjectToObject(ao, names[heads]);
    cJSON *lw = cJSON_AddArrayToObject(vo, "mean_abs_dW"), *lb = cJSON_AddArrayToObject(vo, "mean_abs_db");
    cJSON *lmw = cJSON_AddArrayToObject(vo, "main_loss_mean_abs_dW"), *lmb = cJSON_AddArrayToObject(vo, "main_loss_mean_abs_db");
    for (int l = 0; l < K; l++) {
        cJSON_AddItemToArray(lw, per_epoch(e, w, st, K, l, E));
        cJSON_AddItemToArray(lb, per_epoch(e, b, st, K, l, E));
        cJSON_AddItemToArray(lmw, per_epoch(e, mw, mst, K, l, E));
        cJSON_AddItemToArray(lmb, per_epoch(e, mb, mst, K, l, E));
    }
    cJSON_AddItemToObject(vo, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
    cJSON_AddItemToObject(vo, "train_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_acc)));
    cJSON *pr = cJSON_AddObjectToObject(vo, "probe_acc"); /* per probed layer (the arm's "probed") */
    cJSON *pm = cJSON_AddArrayToObject(pr, "mean"), *ps = cJSON_AddArrayToObject(pr, "std");
    double m, sd;
    for (int l = 0; l < out->t.n_probe; l++) {
        nn_mean_std(out->probe[l], S, &m, &sd);
        cJSON_AddItemToArray(pm, nn_json_num(m));
        cJSON_AddItemToArray(ps, nn_json_num(sd));
    }
    int k = nn_mean_std_n(out->final_acc, S, &m, &sd);
    cJSON_AddItemToObject(vo, "final_test_acc", nn_json_num(m));
    cJSON_AddItemToObject(vo, "final_test_acc_std", nn_json_num(sd));
    cJSON_AddNumberToObject(vo, "seeds_averaged", k);
    double g1, gs;
    nn_mean_std(out->w1, S, &g1, &gs);
    nn_exp_say(e, "%s, %-5s: %s mean |dW| over training %.3g, final test accuracy %.2f %% over %d of %d seeds", arm,
               names[heads], out->names[0], g1, m, k, S);
    for (int r = 0; r < S; r++) nn_history_free(&h[r]);
    return 0;
}

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if (!e.n_arms) return nn_exp_fail(&e, 2, "the config defines no arms");
    if ((rc = nn_exp_load_data(&e))) return rc;
    const int S = e.S, A = e.n_arms;
    const char *src = "seed 004 (deeply supervised CNN; Lee et al. 2015, Fig. 3)";
    cJSON *arms_out = cJSON_AddArrayToObject(e.summary, "arms");
    cJSON *table = NULL, *ptable = NULL;
    for (int a = 0; a < A; a++) {
        const settings *as = e.arm_set[a];
        const char *arm = e.arm_name[a];
        cJSON *ao = cJSON_CreateObject();
        cJSON_AddStringToObject(ao, "name", arm);
        cJSON_AddStringToObject(ao, "title", nn_exp_arm_label(&e, a));
        cJSON_AddItemToArray(arms_out, ao);
        variant_out vo[2];
        for (int v = 0; v < 2; v++)
            if (run_variant(&e, as, v, arm, ao, &vo[v])) return nn_exp_fail(&e, 2, "arm '%s': %s", arm, nn_error());
        const layout *t = &vo[0].t;
        cJSON *ln = cJSON_AddArrayToObject(ao, "layers"), *pn = cJSON_AddArrayToObject(ao, "probed");
        for (int l = 0; l < t->n_par; l++) cJSON_AddItemToArray(ln, cJSON_CreateString(vo[0].names[l]));
        for (int l = 0; l < t->n_probe; l++) cJSON_AddItemToArray(pn, cJSON_CreateString(vo[0].probe_names[l]));
        if (!table) {
            const char *cols[] = {"arm", "net", "mean |∂/∂W| of the first layer over training", "of the main loss alone",
                                  "mean |∂/∂b| of the first layer", "final test accuracy (%)", "train − test (points)"};
            table = nn_exp_table(&e, nn_exp_str(&e, "The first layer's mean gradient over training, and the accuracies "
                                                   "(mean over %d seeds)", S), 7, cols);
            const char *pcols[] = {"arm", "layer", "linear probe test accuracy (%), plain", "with heads"};
            ptable = nn_exp_table(&e, nn_exp_str(&e, "How discriminative each layer's features are: a softmax regression on "
                                                    "the frozen features (mean ± std over %d seeds)", S), 4, pcols);
        }
        for (int v = 0; v < 2; v++) {
            double g, gm, gb, f, gap, sd;
            nn_mean_std(vo[v].w1, S, &g, &sd);
            nn_mean_std(vo[v].mw1, S, &gm, &sd);
            nn_mean_std(vo[v].b1, S, &gb, &sd);
            int k = nn_mean_std_n(vo[v].final_acc, S, &f, &sd);
            nn_mean_std(vo[v].gap, S, &gap, &sd);
            nn_exp_row(table, "sssssss", arm, v ? "with heads" : "without heads", nn_exp_str(&e, "%.3g", g),
                       nn_exp_str(&e, "%.3g", gm), nn_exp_str(&e, "%.3g", gb),
                       k < S ? nn_exp_str(&e, "%.2f (%d of %d seeds)", f, k, S) : nn_exp_str(&e, "%.2f", f),
                       nn_exp_str(&e, "%.2f", gap));
        }
        for (int l = 0; l < t->n_probe; l++) {
            double m0, s0, m1, s1;
            nn_mean_std(vo[0].probe[l], S, &m0, &s0);
            nn_mean_std(vo[1].probe[l], S, &m1, &s1);
            nn_exp_row(ptable, "ssss", arm, vo[0].probe_names[l], nn_exp_str(&e, "%.2f ± %.2f", m0, s0),
                       nn_exp_str(&e, "%.2f ± %.2f", m1, s1));
        }
        /* every comparison is paired by seed and needs a plain net that trains */
        const char *plain_what = nn_exp_str(&e, "the plain net of arm '%s' (no heads)", arm);
        const double plain_worst = nn_exp_worst(&e, vo[0].final_acc);
        double *rw = nn_exp_vec(&e), *rb = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) rw[r] = vo[1].w1[r] / vo[0].w1[r], rb[r] = vo[1].b1[r] / vo[0].b1[r];
        const char *first = vo[0].names[0];
        nn_claim cw = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "heads-feed-first-layer-W[%s]", arm),
                       .statement = nn_exp_str(&e, "With the side head, the first layer (%s) receives a larger mean |∂/∂W| "
                                                   "of the training objective over training than without", first),
                       .source = src, .quantity = nn_exp_str(&e, "%s mean |dW| over all steps, heads / plain (same seed)", first),
                       .op = ">", .threshold = 1,
                       .rule_note = "The objective's gradient includes the head's own (Lee et al.'s measure); the main loss's "
                                    "share is recorded beside it."};
        nn_exp_require_trained(&e, &cw, nn_exp_str(&e, "%s leaves chance (lowest test accuracy over seeds, %%)", plain_what), plain_worst);
        nn_exp_claim_seeds(&e, &cw, rw);
        nn_claim cb = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "heads-feed-first-layer-b[%s]", arm),
                       .statement = nn_exp_str(&e, "With the side head, the first layer (%s) receives a larger mean |∂/∂b| "
                                                   "over training than without (Lee et al. Fig. 3 b)", first),
                       .source = src, .quantity = nn_exp_str(&e, "%s mean |db| over all steps, heads / plain (same seed)", first),
                       .op = ">", .threshold = 1};
        nn_exp_require_trained(&e, &cb, nn_exp_str(&e, "%s leaves chance (lowest test accuracy over seeds, %%)", plain_what), plain_worst);
        nn_exp_claim_seeds(&e, &cb, rb);
        for (int l = 0; l < t->n_probe; l++) {
            nn_claim c = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "heads-more-discriminative[%s,%s]", arm, vo[0].probe_names[l]),
                          .statement = nn_exp_str(&e, "With the side head, the features of %s are more discriminative: a "
                                                      "linear probe on them reaches a higher test accuracy", vo[0].probe_names[l]),
                          .source = "seed 004 (\"learned features are more discriminative\"); Lee et al. 2015",
                          .quantity = nn_exp_str(&e, "linear probe test accuracy on %s, heads minus plain (same seed), points",
                                                 vo[0].probe_names[l]),
                          .op = ">", .threshold = 0,
                          .rule_note = "The probe is a softmax regression trained on the frozen, standardized features of "
                                       "the training images (zero init, SGD, probe_epochs, probe_lr)."};
            nn_exp_claim_gain(&e, &c, vo[1].probe[l], vo[0].probe[l], plain_what, e.data.test.n);
        }
        nn_claim ct = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "heads-reduce-test-error[%s]", arm),
                       .statement = "With the side head, the main output's final test error is lower than without",
                       .source = "seed 004 (\"reduces testing error\"); Lee et al. 2015",
                       .quantity = "final test accuracy, heads minus plain (same seed), points", .op = ">", .threshold = 0};
        nn_exp_claim_gain(&e, &ct, vo[1].final_acc, vo[0].final_acc, plain_what, e.data.test.n);
        /* "without overfitting": the gap may not grow by more than the test set resolves */
        double pm, psd;
        nn_mean_std(vo[0].final_acc, S, &pm, &psd);
        const double tol = nn_exp_resolution_pct(&e, pm);
        double *dgap = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) dgap[r] = vo[1].gap[r] - vo[0].gap[r];
        nn_claim co = {.kind = NN_LECTURE, .id = nn_exp_str(&e, "heads-no-more-overfitting[%s]", arm),
                       .statement = nn_exp_str(&e, "With the side head, the train–test accuracy gap is no larger than without "
                                                   "(by more than the %d test images resolve: %.2f points)", e.data.test.n, tol),
                       .source = "seed 004 (\"without overfitting the training data\")",
                       .quantity = "(training − test accuracy) with heads minus without (same seed), points", .op = "<=",
                       .threshold = tol,
                       .rule_note = "The tolerance is two standard errors of a difference of two accuracies p on n test images, "
                                    "2 sqrt(2p(1 - p)/n), with p the plain net's mean accuracy."};
        nn_exp_require_trained(&e, &co, nn_exp_str(&e, "%s leaves chance (lowest test accuracy over seeds, %%)", plain_what), plain_worst);
        /* the skeptic: a head that changes nothing cannot overfit more either; the seed's claim is that the head lowers
         * the test error *without* overfitting, so the gap is judged only where the head's gain is resolved */
        double *gain = nn_exp_vec(&e), gm, gsd;
        for (int r = 0; r < S; r++) gain[r] = vo[1].final_acc[r] - vo[0].final_acc[r];
        nn_mean_std(gain, S, &gm, &gsd);
        nn_claim_control(&co, "the head changes nothing, so it cannot overfit more either",
                         "final test accuracy, heads minus plain, mean over seeds (points)", gm, ">", tol);
        nn_exp_claim_seeds(&e, &co, dgap);
    }
    return nn_exp_finish(&e);
}
