/* normalization — batch norm's chapter, one lesson per sweep (seeds 000, 002, 003).
 *
 * Seed 003 ends its batch-norm section with a list of advantages: higher learning rates work,
 * it regularizes (sometimes as the only regularizer), it avoids saturated sigmoids so deeper
 * nets train, and no careful initialization is needed. It also says γ and β give back what
 * normalizing takes away, that normalizing after the activation "often actually works
 * better", that the normalization must sit inside the backpropagation engine (not be applied
 * from outside), and that deeper nets with batch norm do better "to a point". This program
 * tests each on one family of nets — `depth` hidden layers of `width` sigmoid units, batch
 * norm before each sigmoid, SGD — by sweeping one setting at a time against the same net
 * without batch norm:
 *
 *   rates        the learning rates `lrs`: the largest that still trains, with and without BN;
 *   init scales  the init scheme's standard deviation times each of `init_scales`;
 *   variants     γ, β held at 1, 0; batch norm after the sigmoid; μ, σ² as constants in backward;
 *   batches      `batches` on the first `reg_n_train` images for `reg_epochs` epochs; where both
 *                nets fit that training set, BN's test accuracy against no BN's;
 *   depths       `depths` hidden layers: accuracy and the share of saturated sigmoid outputs;
 * and the controls and side lessons: the deepest net without BN at `deep_lrs` × `deep_scales`, the
 * net without BN on standardized inputs (and on raw ones) at init ×1, a `relu_depth`-layer ReLU pair.
 *
 * A condition is one net (a `variant` of the base net, with BN and without it); its name says how it
 * differs from the base: "plain" and "bn" are the base pair, "bn-lr8", "plain-depth6", "bn-small-batch20",
 * "bn-held", "bn-after", "bn-const", "plain-init1-std", "plain-depth4-relu-lr0.1-init1", … (group: the sweep
 * that first needs it: base, rates, init, variants, batches, depths, deep_plain_grid, inputs, relu; x: the
 * swept value). A net that two sweeps share (the base pair at the base rate, scale 1, the base depth) is
 * one condition, trained once. A cell trains its net for its seed (the test set once, at the end) and
 * measures its final test, validation and training accuracy and training loss, the share of saturated
 * hidden outputs, the spread of the layers' relative gradients, and where they apply how Gaussian the
 * pre-activations and outputs are and how many ReLU units died (see outcome).
 * Settings: experiments/normalization.json (every key: bin/normalization --help). Claims: most are declared in its
 * "claims" (judged by the frame after the program's own), reading the cells' measures and the numbers main() derives
 * from them after the cells (the document's "derived"); main() makes in C those the format cannot express
 * (bn-regularizes per batch size, bn-avoids-saturation, bn-deep-net-trains, bn-deeper-helps, bn-deeper-to-a-point).
 */
#include <math.h>

#include "nnlab.h"

#define MAX_SWEEP 12

enum { BN_NONE, BN_BEFORE, BN_AFTER };

typedef struct variant {
    int bn;             /* BN_NONE, BN_BEFORE (the activation), BN_AFTER */
    int affine;         /* γ, β learned */
    int through;        /* backward through μ and σ² */
    int depth, batch, epochs;
    double lr, scale;   /* learning rate, factor on the init's spread */
    int small;          /* train on the first reg_n_train images */
    int relu;           /* ReLU units with He's init instead of `activation` and `init` */
    int std_inputs;     /* inputs standardized per pixel (training-set mean and std) */
} variant;

typedef struct settings {
    nn_exp_common common;
    int width, depth, batch, epochs, probe;
    char activation[NN_STR], init[NN_STR];
    double lr, init_scale, bn_eps, bn_momentum, fit_pct;
    double lrs[MAX_SWEEP], init_scales[MAX_SWEEP];
    int n_lrs, n_scales;
    int batches[MAX_SWEEP], n_batches, reg_n_train, reg_epochs;
    int depths[MAX_SWEEP], n_depths;
    int relu_depth;
    double relu_lr;
    double deep_lrs[MAX_SWEEP], deep_scales[MAX_SWEEP]; /* the deep plain net's control grid (with lr and init_scale) */
    int n_deep_lrs, n_deep_scales;
    variant v;          /* a condition's net */
} settings;

static const char *const hidden_acts[] = {"sigmoid", "tanh", NULL};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    (void)r, (void)n_r;
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"width", NN_CFG_INT, &s->width, 1, 4096, NULL, NULL, 0, 0, "units per hidden layer"};
    f[n++] = (nn_cfg_field){"depth", NN_CFG_INT, &s->depth, 1, NN_MAX_HIDDEN, NULL, NULL, 0, 0,
                            "hidden layers of the base net (every sweep but 'depths')"};
    f[n++] = (nn_cfg_field){"activation", NN_CFG_STR, s->activation, 0, 0, hidden_acts, NULL, 0, 0,
                            "hidden activation (a saturating one: the lessons are about saturation)"};
    f[n++] = (nn_cfg_field){"init", NN_CFG_STR, s->init, 0, 0, nn_init_names, NULL, 0, 0, "weight init scheme (biases 0)"};
    f[n++] = (nn_cfg_field){"init_scale", NN_CFG_REAL, &s->init_scale, 1e-4, 1000, NULL, NULL, 0, 0,
                            "factor on the init scheme's standard deviation, base net"};
    f[n++] = (nn_cfg_field){"lr", NN_CFG_REAL, &s->lr, 1e-6, 1000, NULL, NULL, 0, 0, "base learning rate (plain SGD)"};
    f[n++] = (nn_cfg_field){"batch", NN_CFG_INT, &s->batch, 2, 4096, NULL, NULL, 0, 0, "base mini-batch size"};
    f[n++] =
        (nn_cfg_field){"epochs", NN_CFG_INT, &s->epochs, 1, 1000, NULL, NULL, 0, 0, "epochs of every run but the batch sweep"};
    f[n++] = (nn_cfg_field){"bn_eps", NN_CFG_REAL, &s->bn_eps, 1e-12, 1, NULL, NULL, 0, 0, "batch norm's ε"};
    f[n++] = (nn_cfg_field){"bn_momentum", NN_CFG_REAL, &s->bn_momentum, 0, 1, NULL, NULL, 0, 0,
                            "weight of the newest batch in the running averages"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 10, 100000, NULL, NULL, 0, 0,
                            "training images on which saturation is measured"};
    f[n++] = (nn_cfg_field){"lrs", NN_CFG_REAL_LIST, s->lrs, 1e-6, 1000, NULL, &s->n_lrs, MAX_SWEEP, 2,
                            "learning rates of the rate sweep, increasing"};
    f[n++] = (nn_cfg_field){"init_scales", NN_CFG_REAL_LIST, s->init_scales, 1e-4, 1000, NULL, &s->n_scales, MAX_SWEEP, 2,
                            "factors on the init scheme's standard deviation of the init sweep (the base's among them)"};
    f[n++] = (nn_cfg_field){"batches", NN_CFG_INT_LIST, s->batches, 2, 4096, NULL, &s->n_batches, MAX_SWEEP, 1,
                            "mini-batch sizes of the regularization sweep"};
    f[n++] = (nn_cfg_field){"reg_n_train", NN_CFG_INT, &s->reg_n_train, 10, 1000000, NULL, NULL, 0, 0,
                            "training images of the regularization sweep (the first ones)"};
    f[n++] = (nn_cfg_field){"reg_epochs", NN_CFG_INT, &s->reg_epochs, 1, 100000, NULL, NULL, 0, 0,
                            "epochs of each regularization run"};
    f[n++] = (nn_cfg_field){"fit_pct", NN_CFG_REAL, &s->fit_pct, 0, 100, NULL, NULL, 0, 0,
                            "training accuracy (%) at which a net counts as fitting its training set"};
    f[n++] = (nn_cfg_field){"depths", NN_CFG_INT_LIST, s->depths, 1, NN_MAX_HIDDEN, NULL, &s->n_depths, MAX_SWEEP, 2,
                            "numbers of hidden layers of the depth sweep, increasing"};
    f[n++] = (nn_cfg_field){"relu_depth", NN_CFG_INT, &s->relu_depth, 1, NN_MAX_HIDDEN, NULL, NULL, 0, 0,
                            "hidden layers of the ReLU pair (He init) whose dead units are counted"};
    f[n++] = (nn_cfg_field){"relu_lr", NN_CFG_REAL, &s->relu_lr, 1e-6, 1000, NULL, NULL, 0, 0, "learning rate of the ReLU pair"};
    f[n++] = (nn_cfg_field){"deep_lrs", NN_CFG_REAL_LIST, s->deep_lrs, 1e-6, 1000, NULL, &s->n_deep_lrs, MAX_SWEEP, 0,
                            "the control of bn-deep-net-trains: the deepest net without batch norm also at these rates …"};
    f[n++] = (nn_cfg_field){"deep_scales", NN_CFG_REAL_LIST, s->deep_scales, 1e-4, 1000, NULL, &s->n_deep_scales, MAX_SWEEP, 0,
                            "… and these init scales (every pair with lr and init_scale)"};
    return n;
}

static const nn_exp_def def = {"normalization", "Batch norm's chapter: rates, init scales, γ and β, where and how to "
                               "normalize, batch sizes, depth; each against the same net without it.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* ---- one net, one cell ----------------------------------------------------------------- */

/* what a cell measures, recorded as test_acc, train_acc, train_loss, saturated_pct (not for ReLU), val_acc (on the full
 * training set's nets, with a validation split), layer_grad_spread, ks_pre and ks_post (the base-depth sigmoid nets
 * without batch norm on the full training set) and dead_pct (ReLU); NaN where a run diverged */
typedef struct outcome {
    double test_acc, train_acc, train_loss, saturated; /* %, %, nats, % of sigmoid outputs < 0.05 or > 0.95 */
    double val_acc;         /* % on the validation split (NaN without one): where a setting is chosen */
    double layer_spread;    /* max / min over hidden dense layers of ‖∂C/∂W‖ / ‖W‖ on one probe batch, after training */
    double ks_pre, ks_post; /* median over hidden units of the KS distance from N(0, 1): pre-activations, activations */
    double dead;            /* % of ReLU units that output 0 for every probe image */
} outcome;

static nn_net *build(const settings *s, const variant *v, int d, int K, nn_act act, nn_init_kind init, int max_batch,
                     uint64_t seed)
{
    if (v->relu) act = NN_RELU, init = NN_INIT_HE_NORMAL;
    nn_net *net = nn_net_new(d);
    nn_init w = {init, v->scale}, b = {NN_INIT_ZERO, 1.0};
    for (int l = 0; l < v->depth; l++) {
        nn_net_dense(net, s->width, v->bn != BN_BEFORE, w, b); /* β takes the bias's place before BN */
        if (v->bn == BN_BEFORE) nn_net_bn_variant(net, nn_net_batchnorm(net, s->bn_eps, s->bn_momentum), v->affine, v->through);
        nn_net_act(net, act);
        if (v->bn == BN_AFTER) nn_net_bn_variant(net, nn_net_batchnorm(net, s->bn_eps, s->bn_momentum), v->affine, v->through);
    }
    nn_net_dense(net, K, 1, w, b);
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1.0);
    nn_exp_finalize(net, max_batch, seed);
    return net;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov–Smirnov distance of the standardized values v[0 … n) (sorted in place) from N(0, 1); NaN if constant. */
static double ks_normal(double *v, int n)
{
    double m = 0, sd = 0;
    for (int i = 0; i < n; i++) m += v[i];
    m /= n;
    for (int i = 0; i < n; i++) sd += (v[i] - m) * (v[i] - m);
    sd = sqrt(sd / n);
    if (!(sd > 1e-12)) return NAN;
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    double D = 0;
    for (int i = 0; i < n; i++) {
        double F = 0.5 * erfc(-(v[i] - m) / sd / sqrt(2.0));
        D = fmax(D, fmax(fabs(F - (double)i / n), fabs(F - (double)(i + 1) / n)));
    }
    return D;
}

/* The statistics a trained net is probed for (see outcome), the network's max_batch rows at a time; the saturated
 * share counts the outputs of the hidden activations (`act`; none for a ReLU net). */
static void probe_net(nn_net *net, const nn_dataset *probe, nn_act act, int relu, int gauss, outcome *out)
{
    const int P = probe->n, mb = net->max_batch;
    /* relative gradient per dense layer on the first probe batch (batch statistics, running averages untouched) */
    int B = nn_min_i(mb, P);
    nn_net_forward(net, probe->X, B, NN_EVAL_BATCHSTATS);
    nn_net_set_labels(net, probe->y, B);
    nn_net_loss(net, net->Y, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    double lo = INFINITY, hi = 0;
    int last_dense = -1, n_units = 0;
    for (int i = 0; i < net->n_layers; i++) {
        if (net->layers[i].kind == NN_L_DENSE) last_dense = i;
        if (net->layers[i].kind == NN_L_ACT && !net->layers[i].fused) n_units += net->layers[i].n;
    }
    for (int i = 0; i < last_dense; i++) { /* hidden layers, which BN re-parameterizes; not the output layer */
        const nn_layer *L = &net->layers[i];
        if (L->kind != NN_L_DENSE) continue;
        double g = 0, w = 0;
        for (size_t k = 0; k < (size_t)L->n * L->n_in; k++) g += (double)L->dW[k] * L->dW[k], w += (double)L->W[k] * L->W[k];
        double rel = w > 0 ? sqrt(g / w) : NAN;
        lo = fmin(lo, rel), hi = fmax(hi, rel);
    }
    out->layer_spread = lo > 0 ? hi / lo : NAN;
    /* per hidden unit over the probe images: saturated outputs, dead units (ReLU), the KS distances of f and g */
    double *vals = malloc((size_t)n_units * P * 2 * sizeof *vals); /* [unit][image], pre then post */
    long sat = 0, all = 0;
    for (int at = 0; at < P; at += mb) {
        int b = nn_min_i(mb, P - at), u = 0;
        nn_net_forward(net, probe->X + (size_t)at * probe->d, b, NN_EVAL);
        for (int i = 0; i < net->n_layers; i++) {
            const nn_layer *L = &net->layers[i];
            if (L->kind != NN_L_ACT || L->fused) continue;
            const nn_real *pre = net->layers[L->in].out; /* what the activation reads: f (BN's output when BN precedes) */
            for (int j = 0; j < L->n; j++, u++)
                for (int r = 0; r < b; r++) {
                    vals[((size_t)u * 2) * P + at + r] = pre[(size_t)r * L->n + j];
                    vals[((size_t)u * 2 + 1) * P + at + r] = L->out[(size_t)r * L->n + j];
                    sat += nn_act_saturated(act, L->out[(size_t)r * L->n + j]), all++;
                }
        }
    }
    out->saturated = relu || !all ? NAN : 100.0 * sat / all;
    if (relu) {
        int dead = 0;
        for (int u = 0; u < n_units; u++) {
            int alive = 0;
            for (int r = 0; r < P && !alive; r++) alive = vals[((size_t)u * 2 + 1) * P + r] > 0;
            dead += !alive;
        }
        out->dead = 100.0 * dead / n_units;
    }
    for (int k = 0; k < 2 && gauss; k++) { /* the median over units of the KS distance: of f (k = 0), of g (k = 1) */
        double *ks = malloc((size_t)n_units * sizeof(double));
        int m = 0;
        for (int u = 0; u < n_units; u++) {
            double d = ks_normal(vals + ((size_t)u * 2 + k) * P, P);
            if (!isnan(d)) ks[m++] = d;
        }
        qsort(ks, (size_t)m, sizeof(double), cmp_double);
        *(k ? &out->ks_post : &out->ks_pre) = m ? (m % 2 ? ks[m / 2] : 0.5 * (ks[m / 2 - 1] + ks[m / 2])) : NAN;
        free(ks);
    }
    free(vals);
}

typedef struct lab {
    nn_act act;
    nn_init_kind init;
    nn_dataset small, probe;
    nn_dataset std_train, std_test, std_probe; /* inputs standardized per pixel */
} lab;

/* Standardized copies of the inputs: per pixel, the training set's mean and std (1/(m − 1), seed 000); a pixel that
 * is constant over the training set becomes 0. */
static void standardize(nn_exp *e, lab *L)
{
    const nn_dataset *tr = &e->data.train, *te = &e->data.test;
    const int d = tr->d;
    double *mu = nn_exp_alloc(e, (size_t)d, sizeof(double)), *sd = nn_exp_alloc(e, (size_t)d, sizeof(double));
    for (int i = 0; i < tr->n; i++)
        for (int k = 0; k < d; k++) mu[k] += tr->X[(size_t)i * d + k];
    for (int k = 0; k < d; k++) mu[k] /= tr->n;
    for (int i = 0; i < tr->n; i++)
        for (int k = 0; k < d; k++) sd[k] += (tr->X[(size_t)i * d + k] - mu[k]) * (tr->X[(size_t)i * d + k] - mu[k]);
    for (int k = 0; k < d; k++) sd[k] = tr->n > 1 ? sqrt(sd[k] / (tr->n - 1)) : 0;
    L->std_train = *tr, L->std_test = *te;
    L->std_train.X = nn_exp_alloc(e, (size_t)tr->n * d, sizeof(nn_real));
    L->std_test.X = nn_exp_alloc(e, (size_t)te->n * d, sizeof(nn_real));
    for (int w = 0; w < 2; w++) {
        const nn_dataset *src = w ? te : tr;
        nn_real *dst = w ? L->std_test.X : L->std_train.X;
        for (int i = 0; i < src->n; i++)
            for (int k = 0; k < d; k++)
                dst[(size_t)i * d + k] = sd[k] > 1e-12 ? (nn_real)((src->X[(size_t)i * d + k] - mu[k]) / sd[k]) : 0;
    }
    L->std_probe = L->std_train, L->std_probe.n = L->probe.n;
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const variant *v = &s->v;
    const lab *L = ctx;
    const nn_dataset *tr = v->small ? &L->small : v->std_inputs ? &L->std_train : &e->data.train,
                     *te = v->std_inputs ? &L->std_test : &e->data.test, *pr = v->std_inputs ? &L->std_probe : &L->probe;
    nn_net *net = build(s, v, tr->d, tr->n_classes, L->act, L->init, v->batch, c->seed);
    nn_optim o = {.kind = NN_OPT_SGD, .lr = v->lr};
    nn_optim_init(&o, net);
    nn_train_cfg tc = {.epochs = v->epochs, .batch = v->batch, .seed = c->seed, .progress = 1,
                       .label = nn_exp_str(e, "%s seed %llu", c->label, (unsigned long long)c->seed)};
    nn_history h;
    nn_exp_train(net, &o, tr, NULL, &tc, &h); /* the test set once, at the end: the lessons compare final accuracies */
    nn_measure_history(e, c, &h);
    outcome q = {.test_acc = NAN, .train_acc = NAN, .train_loss = NAN, .saturated = NAN, .val_acc = NAN,
                 .layer_spread = NAN, .ks_pre = NAN, .ks_post = NAN, .dead = NAN};
    const int val = !v->small && !v->std_inputs && e->data.val.n > 0;
    const int gauss = v->bn == BN_NONE && !v->relu && !v->small && v->depth == s->depth;
    if (!h.diverged) {
        double tl;
        nn_evaluate(net, te, 0, NN_EVAL, &tl, &q.test_acc);
        q.test_acc *= 100;
        if (val) nn_evaluate(net, &e->data.val, 0, NN_EVAL, &tl, &q.val_acc), q.val_acc *= 100;
        nn_evaluate(net, tr, v->small ? 0 : s->probe, NN_EVAL, &q.train_loss, &q.train_acc);
        q.train_acc *= 100;
        probe_net(net, pr, L->act, v->relu, gauss, &q);
    }
    nn_measure(e, c, "test_acc", q.test_acc);
    if (val) nn_measure(e, c, "val_acc", q.val_acc);
    nn_measure(e, c, "train_loss", q.train_loss);
    nn_measure(e, c, "train_acc", q.train_acc);
    if (!v->relu) nn_measure(e, c, "saturated_pct", q.saturated);
    nn_measure(e, c, "layer_grad_spread", q.layer_spread);
    if (gauss) nn_measure(e, c, "ks_pre", q.ks_pre), nn_measure(e, c, "ks_post", q.ks_post);
    if (v->relu) nn_measure(e, c, "dead_pct", q.dead);
    nn_history_free(&h);
    nn_optim_free(&o);
    nn_net_free(net);
    return 0;
}

static int same(const variant *a, const variant *b)
{
    return a->bn == b->bn && a->affine == b->affine && a->through == b->through && a->depth == b->depth && a->batch == b->batch &&
           a->epochs == b->epochs && a->lr == b->lr && a->scale == b->scale && a->small == b->small && a->relu == b->relu &&
           a->std_inputs == b->std_inputs;
}

/* The condition of net v: an earlier one of the same net, or a new one named after how v differs from the base net
 * (s's own settings), in `group` at x. */
static int net_of(nn_exp *e, settings *s, variant v, const char *group, double x)
{
    for (int i = 0; i < nn_grid_n(e); i++)
        if (same(&((const settings *)nn_grid_set(e, i))->v, &v)) return i;
    static const char *const kind[] = {"plain", "bn", "bn-held", "bn-after", "bn-const"},
                             *title[] = {"no batch norm", "batch norm", "γ = 1, β = 0 held", "batch norm after the activation",
                                         "μ, σ² constants in backward"};
    const int k = v.bn == BN_NONE ? 0 : v.bn == BN_AFTER ? 3 : !v.affine ? 2 : !v.through ? 4 : 1;
    const char *n = kind[k], *l = title[k];
    if (v.depth != s->depth) n = nn_exp_str(e, "%s-depth%d", n, v.depth), l = nn_exp_str(e, "%s, %d hidden layers", l, v.depth);
    if (v.relu) n = nn_exp_str(e, "%s-relu", n), l = nn_exp_str(e, "%s, ReLU (He init)", l);
    if (v.lr != s->lr) n = nn_exp_str(e, "%s-lr%g", n, v.lr), l = nn_exp_str(e, "%s, η = %g", l, v.lr);
    if (v.scale != s->init_scale) n = nn_exp_str(e, "%s-init%g", n, v.scale), l = nn_exp_str(e, "%s, init ×%g", l, v.scale);
    if (v.std_inputs) n = nn_exp_str(e, "%s-std", n), l = nn_exp_str(e, "%s, standardized inputs", l);
    if (v.small)
        n = nn_exp_str(e, "%s-small", n),
        l = nn_exp_str(e, "%s, the first %d images", l, nn_min_i(e->data.train.n, s->reg_n_train));
    if (v.batch != s->batch) n = nn_exp_str(e, "%s-batch%d", n, v.batch), l = nn_exp_str(e, "%s, batch %d", l, v.batch);
    if (v.epochs != s->epochs) n = nn_exp_str(e, "%s-epochs%d", n, v.epochs), l = nn_exp_str(e, "%s, %d epochs", l, v.epochs);
    s->v = v;
    return nn_grid_condition(e, n, l, s, group, x);
}

static const double *acc(nn_exp *e, int cond) { return nn_grid_values(e, cond, "test_acc"); }

/* ---- numbers the claims read beyond the cells' measures, per seed (the document's "derived") ---- */

typedef struct rows {
    const int *at; /* a sweep's conditions, one net (with or without batch norm) */
    int n, spread;
} rows;

/* The index of the largest rate of the sweep that trains (leaves chance by the margin, did not diverge), −1 if none. */
static double largest_rate(nn_exp *e, int r, void *ctx)
{
    const rows *w = ctx;
    int largest = -1;
    for (int i = 0; i < w->n; i++)
        if (acc(e, w->at[i])[r] >= nn_exp_chance_pct(e) + NN_EXP_TRAINED_MARGIN) largest = i;
    return largest;
}

static double steps_up(nn_exp *e, int r, void *ctx)
{
    (void)ctx;
    return nn_grid_derived_seeds(e, "largest_rate_bn")[r] - nn_grid_derived_seeds(e, "largest_rate_plain")[r];
}

/* Over the init sweep's scales (a diverged run counts as chance): the lowest accuracy minus chance, or (spread) the
 * highest minus the lowest. */
static double init_stat(nn_exp *e, int r, void *ctx)
{
    const rows *w = ctx;
    const double chance = nn_exp_chance_pct(e);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < w->n; i++) {
        double a = acc(e, w->at[i])[r];
        if (isnan(a)) a = chance; /* a diverged run ends at chance at best */
        lo = fmin(lo, a), hi = fmax(hi, a);
    }
    return w->spread ? hi - lo : lo - chance;
}

typedef struct pair {
    int a, b;              /* b < 0: chance */
    const char *m, *mb;    /* a's measure, b's (NULL: the same) */
    int b_diverged_chance; /* where b diverged, it counts as chance */
} pair;

/* Measure m of condition a minus measure mb of condition b (or minus chance). */
static double pair_diff(nn_exp *e, int r, void *ctx)
{
    const pair *p = ctx;
    const double x = nn_grid_values(e, p->a, p->m)[r], chance = nn_exp_chance_pct(e);
    if (p->b < 0) return x - chance;
    const double y = nn_grid_values(e, p->b, p->mb ? p->mb : p->m)[r];
    return isnan(y) && p->b_diverged_chance ? x - chance : x - y;
}

static double acc_or_chance(nn_exp *e, int r, void *ctx)
{
    const double a = acc(e, *(const int *)ctx)[r];
    return isnan(a) ? nn_exp_chance_pct(e) : a; /* a diverged run did not train */
}

enum { RATES, INIT, BATCHES, DEPTHS };

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    lab L;
    nn_act_parse(s->activation, &L.act);
    nn_init_parse(s->init, &L.init);
    for (int i = 1; i < s->n_lrs; i++)
        if (!(s->lrs[i] > s->lrs[i - 1])) return nn_exp_fail(e, 2, "'lrs' must increase (%g after %g)", s->lrs[i], s->lrs[i - 1]);
    for (int i = 1; i < s->n_depths; i++)
        if (s->depths[i] <= s->depths[i - 1])
            return nn_exp_fail(e, 2, "'depths' must increase (%d after %d)", s->depths[i], s->depths[i - 1]);
    const nn_dataset *tr = &e->data.train;
    L.small = *tr, L.small.n = nn_min_i(tr->n, s->reg_n_train);
    L.probe = *tr, L.probe.n = nn_min_i(tr->n, s->probe);
    standardize(e, &L);

    /* the conditions: the base pair, then the sweeps (each against the same net without batch norm) */
    const variant base = {.bn = BN_BEFORE, .affine = 1, .through = 1, .depth = s->depth, .batch = s->batch, .epochs = s->epochs,
                          .lr = s->lr, .scale = s->init_scale};
    variant plain = base, v;
    plain.bn = BN_NONE;
    const int bb = net_of(e, s, base, "base", NAN), bp = net_of(e, s, plain, "base", NAN);
    v = base, v.affine = 0;
    net_of(e, s, v, "variants", 2); /* "bn-held" and "bn-after", which the declared claims name */
    v = base, v.bn = BN_AFTER;
    net_of(e, s, v, "variants", 3);
    v = base, v.through = 0;
    const int consts = net_of(e, s, v, "variants", 4);
    const int NL = s->n_lrs, NS = s->n_scales, NB = s->n_batches, ND = s->n_depths, n[4] = {NL, NS, NB, ND};
    static const char *const sweep[4] = {"rates", "init", "batches", "depths"};
    int at[4][2][MAX_SWEEP]; /* a sweep's conditions: [sweep][without, with batch norm][point] */
    for (int w = 0; w < 4; w++)
        for (int i = 0; i < n[w]; i++)
            for (int k = 0; k < 2; k++) {
                v = k ? base : plain;
                switch (w) {
                case RATES: v.lr = s->lrs[i]; break;
                case INIT: v.scale = s->init_scales[i]; break;
                case BATCHES: v.small = 1, v.batch = s->batches[i], v.epochs = s->reg_epochs; break;
                default: v.depth = s->depths[i];
                }
                const double x[4] = {v.lr, v.scale, v.batch, v.depth};
                at[w][k][i] = net_of(e, s, v, sweep[w], x[w]);
            }
    /* the deepest net without batch norm over rates × init scales: is its failure the setting's? */
    int grid[MAX_SWEEP + 1][MAX_SWEEP + 1];
    for (int a = 0; a <= s->n_deep_lrs; a++)
        for (int b = 0; b <= s->n_deep_scales; b++) {
            v = plain, v.depth = s->depths[ND - 1];
            v.lr = a ? s->deep_lrs[a - 1] : s->lr, v.scale = b ? s->deep_scales[b - 1] : s->init_scale;
            grid[a][b] = net_of(e, s, v, "deep_plain_grid", v.lr);
        }
    /* standardized inputs, at N(0, 1/n_in) (seeds 000, 003), and raw ones; dead ReLUs at depth */
    v = plain, v.scale = 1, v.std_inputs = 1;
    const int stdz = net_of(e, s, v, "inputs", NAN);
    v.std_inputs = 0;
    const int raw1 = net_of(e, s, v, "inputs", NAN);
    int relu[2];
    for (int k = 0; k < 2; k++) {
        v = k ? base : plain;
        v.relu = 1, v.depth = s->relu_depth, v.lr = s->relu_lr, v.scale = 1;
        relu[k] = net_of(e, s, v, "relu", v.depth);
    }
    if ((rc = nn_grid_run(e, cell, &L)) >= 0) return rc;

    /* ---- claims: experiments/normalization.json declares those the format can express, judged by the frame after
     * these; the numbers they read beyond the cells' measures are computed here (the document's "derived") ---- */
    const double chance = nn_exp_chance_pct(e);
    nn_grid_derived(e, "chance_pct", chance);
    nn_grid_derived(e, "resolution_at_90", nn_exp_resolution_pct(e, 90));
    nn_grid_derived(e, "probe_images", L.probe.n);
    /* the control of preactivations-nearly-gaussian: the pre-activations' median KS distance is within the 5 % critical
     * value of the test on the probe images (the skeptic: they are only less non-Gaussian than the outputs). Each
     * unit's values are standardized with their own mean and standard deviation, so the test is Lilliefors's:
     * 0.886/√n for large n, not 1.36/√n */
    nn_grid_derived(e, "lilliefors_5pct", 0.886 / sqrt((double)L.probe.n));
    rows rates[2] = {{at[RATES][0], NL, 0}, {at[RATES][1], NL, 0}};
    nn_grid_per_seed(e, "largest_rate_plain", largest_rate, &rates[0]);
    nn_grid_per_seed(e, "largest_rate_bn", largest_rate, &rates[1]);
    nn_grid_per_seed(e, "rate_steps_up", steps_up, NULL);
    /* no careful init: every scale trains with batch norm (while without it some do not), and how much the scale
     * still matters with it */
    static const char *const init_names[4] = {"init_worst_plain", "init_worst_bn", "init_spread_plain", "init_spread_bn"};
    for (int k = 0; k < 4; k++) nn_grid_per_seed(e, init_names[k], init_stat, &(rows){at[INIT][k % 2], NS, k / 2});
    nn_grid_per_seed(e, "through_minus_constant", pair_diff, &(pair){bb, consts, "test_acc", NULL, 1});
    const int deep = ND - 1, *dp0 = at[DEPTHS][0], *dp1 = at[DEPTHS][1];
    nn_grid_per_seed(e, "deep_plain_over_chance", pair_diff, &(pair){dp0[deep], -1, "test_acc", NULL, 0});
    nn_grid_per_seed(e, "ks_post_minus_pre", pair_diff, &(pair){bp, bp, "ks_post", "ks_pre", 0});
    nn_grid_per_seed(e, "std_inputs_over_chance", pair_diff, &(pair){stdz, -1, "test_acc", NULL, 0});
    nn_grid_per_seed(e, "raw_inputs_over_chance", pair_diff, &(pair){raw1, -1, "test_acc", NULL, 0});
    double best = -INFINITY; /* the control of standardized-inputs-train: the raw-pixel net trains at some init scale */
    for (int i = 0; i < NS; i++) best = fmax(best, nn_exp_worst(e, acc(e, at[INIT][0][i])) - chance);
    nn_grid_derived(e, "raw_best_init_over_chance", best);
    nn_grid_per_seed(e, "relu_dead_plain_minus_bn", pair_diff, &(pair){relu[0], relu[1], "dead_pct", NULL, 0});
    nn_grid_derived(e, "relu_plain_lowest_acc", nn_exp_worst(e, acc(e, relu[0])));

    /* made once per batch size of `batches`: the format repeats a claim per arm only */
    for (int i = 0; i < NB; i++) {
        nn_claim c = {.kind = NN_LECTURE, .id = nn_exp_str(e, "bn-regularizes[batch %d]", s->batches[i]),
                      .statement = nn_exp_str(e, "Batch norm acts as a regularizer: with both nets fitting the first %d "
                                                  "training images (≥ %g %%), batch %d, the one with batch norm has the higher "
                                                  "test accuracy", L.small.n, s->fit_pct, s->batches[i]),
                      .source = "seed 003:312 (advantages)", .quantity = "final test accuracy, batch norm − none (points)",
                      .op = ">", .threshold = 0,
                      .rule_note = "Equal epochs at every batch size; requiring both nets to fit the training set makes the "
                                   "difference one of generalization, not of optimization."};
        for (int k = 0; k < 2; k++)
            nn_claim_control(&c, "the difference is one of optimization (a net that does not fit), not of generalization",
                             nn_exp_str(e,
                                        "the net %s batch norm fits its training set (lowest training accuracy over seeds, %%)",
                                        k ? "with" : "without"),
                             nn_exp_worst(e, nn_grid_values(e, at[BATCHES][k][i], "train_acc")), ">=", s->fit_pct);
        nn_exp_claim_seeds(e, &c, nn_grid_diff(e, "test_acc", at[BATCHES][1][i], at[BATCHES][0][i]));
    }

    /* saturation is compared at the deepest depth at which the net without batch norm trains in every seed: a net
     * that did not train is saturated as a symptom, which says nothing about what batch norm avoids. In C: when no depth
     * trains, the claim is not measured for a reason of its own, which a declared claim cannot give. */
    int sd_i = -1;
    for (int i = 0; i < ND; i++)
        if (nn_exp_worst(e, acc(e, dp0[i])) - chance > NN_EXP_TRAINED_MARGIN) sd_i = i;
    const int si = sd_i >= 0 ? sd_i : deep;
    double sat_plain, sat_bn, m, sd;
    nn_grid_mean_std(e, dp0[si], "saturated_pct", &sat_plain, &sd), nn_grid_mean_std(e, dp1[si], "saturated_pct", &sat_bn, &sd);
    nn_claim c6 = {.kind = NN_LECTURE, .id = "bn-avoids-saturation",
                   .statement = nn_exp_str(e, "Batch norm avoids saturated units: after training, the %d-layer %s net (the "
                                               "deepest that trains without it) has a smaller share of saturated outputs "
                                               "(below 0.05 or above 0.95) with batch norm (mean %.2g %% without, %.2g %% with: "
                                               "how much saturation there is to avoid)",
                                           s->depths[si], s->activation, sat_plain, sat_bn),
                   .source = "seed 003:319 (advantages)",
                   .quantity = "share of saturated hidden outputs on the probe images, none − batch norm (points)", .op = ">",
                   .threshold = 0,
                   .unmeasured = sd_i < 0 ? "the net without batch norm trains at no depth of the sweep" : NULL};
    nn_exp_require_trained(e, &c6, nn_exp_str(e, "the %d-layer net without batch norm leaves chance (lowest over seeds, %%)",
                                                s->depths[si]), nn_exp_worst(e, acc(e, dp0[si])));
    nn_exp_claim_seeds(e, &c6, nn_grid_diff(e, "saturated_pct", dp0[si], dp1[si]));

    /* in C: its control names the rates and scales tried, the base's followed by `deep_lrs` and `deep_scales`, either
     * of which may be empty, which a declared claim's text cannot follow */
    double deep_best = -INFINITY, deep_best_lr = s->lr, deep_best_scale = s->init_scale;
    for (int a = 0; a <= s->n_deep_lrs; a++) /* the deep net without batch norm at its best rate and scale */
        for (int b = 0; b <= s->n_deep_scales; b++) {
            const double *counted = nn_grid_per_seed(
                e, nn_exp_str(e, "deep_plain_acc_or_chance[%s]", nn_grid_name(e, grid[a][b])), acc_or_chance, &grid[a][b]);
            nn_mean_std(counted, e->S, &m, &sd);
            const variant *g = &((const settings *)nn_grid_set(e, grid[a][b]))->v;
            if (m > deep_best) deep_best = m, deep_best_lr = g->lr, deep_best_scale = g->scale;
        }
    nn_claim c7 = {.kind = NN_LECTURE, .id = "bn-deep-net-trains",
                   .statement = nn_exp_str(e, "Batch norm makes deeper nets trainable: the %d-layer %s net with batch norm "
                                               "leaves chance", s->depths[deep], s->activation),
                   .source = "seed 003:319 (advantages)",
                   .quantity = nn_exp_str(e, "final test accuracy minus chance (%.3g %%), points", chance), .op = ">",
                   .threshold = NN_EXP_TRAINED_MARGIN};
    nn_claim_control(&c7, "the net without batch norm fails only at the rate and init scale chosen for the 3-layer net",
                     nn_exp_str(e, "without batch norm, the %d-layer net at its best of η = %g%s%s and init × %g%s%s (η = %g, "
                                    "×%g): mean final test accuracy minus chance (points; a diverged run counts as chance)",
                                s->depths[deep], s->lr, s->n_deep_lrs ? ", " : "", nn_exp_reals(e, s->deep_lrs, s->n_deep_lrs),
                                s->init_scale, s->n_deep_scales ? ", " : "", nn_exp_reals(e, s->deep_scales, s->n_deep_scales),
                                deep_best_lr, deep_best_scale),
                     deep_best - chance, "<=", NN_EXP_TRAINED_MARGIN);
    nn_exp_claim_seeds(e, &c7,
                       nn_grid_per_seed(e, "deep_bn_over_chance", pair_diff, &(pair){dp1[deep], -1, "test_acc", NULL, 0}));

    /* deeper does better, to a point: the depth with the best mean accuracy with batch norm on the validation split,
     * so that the test set the two claims judge did not choose it (without a validation split, on the test set, and
     * the rule says so) */
    int bi = 0;
    double bm = -INFINITY;
    const int by_val = e->data.val.n > 0;
    for (int i = 0; i < ND; i++) {
        nn_grid_mean_std(e, dp1[i], by_val ? "val_acc" : "test_acc", &m, &sd);
        if (m > bm) bm = m, bi = i;
    }
    const char *pick = by_val ? nn_exp_str(e, "The best depth is chosen by its mean accuracy on the %d validation images, "
                                               "which the claim does not judge; the test set then compares it seed by seed.",
                                           e->data.val.n)
                              : "The best depth is chosen by its mean test accuracy over seeds (this data set has no validation "
                                "split), then compared seed by seed: the test set both picks and judges.";
    nn_claim c8 = {.kind = NN_LECTURE,
                   .id = "bn-deeper-helps",
                   .statement =
                       nn_exp_str(e,
                                  "With batch norm deeper nets do better: the best depth of the sweep (%d layers, "
                                  "by mean %s accuracy) beats %d layer%s",
                                  s->depths[bi], by_val ? "validation" : "test", s->depths[0], s->depths[0] == 1 ? "" : "s"),
                   .source = "seed 003:358-362",
                   .quantity = "final test accuracy, best depth − shallowest (points)",
                   .op = ">",
                   .threshold = 0,
                   .unmeasured = bi == 0 ? "the shallowest net is the best: no deeper depth to compare" : NULL,
                   .rule_note = pick};
    nn_claim_control(&c8, "a depth picked after seeing the test results it is judged on",
                     "validation images the best depth is chosen on (none: the test set picks)", e->data.val.n, ">", 0);
    nn_exp_claim_seeds(e, &c8, nn_grid_diff(e, "test_acc", dp1[bi], dp1[0]));
    nn_claim c9 = {.kind = NN_LECTURE, .id = "bn-deeper-to-a-point",
                   .statement = nn_exp_str(e, "… to a point: with batch norm the deepest net (%d layers) does worse than the "
                                               "best depth (%d)", s->depths[deep], s->depths[bi]),
                   .source = "seed 003:358-362", .quantity = "final test accuracy, best depth − deepest (points)", .op = ">",
                   .threshold = 0,
                   .unmeasured = bi == deep ? "the deepest net is the best: the sweep does not reach the point" : NULL,
                   .rule_note = pick};
    nn_claim_control(&c9, "a depth picked after seeing the test results it is judged on",
                     "validation images the best depth is chosen on (none: the test set picks)", e->data.val.n, ">", 0);
    nn_exp_claim_seeds(e, &c9, nn_grid_diff(e, "test_acc", dp1[bi], dp1[deep]));

    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
