/* vanishing — the gradient reaching each layer of a deep sigmoid net (seeds 000, 001, 004).
 *
 * In a sigmoid net the error sent back through layer l is multiplied by Wᵀ and by
 * σ'(z) ≤ 1/4, so with weights of order 1/√n the gradient shrinks layer by layer towards
 * the input: early layers learn slowly. We measure, per hidden layer l, ‖∂C/∂b_l‖ for the
 * gradient of the mean cost over a fixed set of training images (Nielsen's "speed of
 * learning" of the layer), before any update, then during full-batch gradient descent;
 * for the book's init N(0, 1/n_in) weights with N(0, 1) biases, for small N(0, 0.01²)
 * weights (seed 004), and for ReLU + He. Plus seed 000's deep linear chain: scalar layers
 * a_l = w·a_{l−1}, whose backpropagated gradient ∂a_L/∂a_0 is exactly w^L: it explodes for
 * w = 1.2 and vanishes for w = 0.5.
 *
 * The conditions are the config's arms × 'ks' (arm-major; group the arm, x = k): a net of k hidden
 * layers built from the seed, trained full batch on the first 'images' training images for epochs + 1
 * steps, its norms recorded before every step (grad_b_norm_layer1 …; grad_b_norm_at_init: the first
 * step's, per layer); then one condition per w of 'chain_w' (group "chain", x = w), which has no
 * randomness: only the first seed's cell computes it.
 *
 * This program is built in double precision (the chain claim asks for 1e-9 relative).
 * Settings: experiments/vanishing.json (every key: bin/vanishing --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

/* Nielsen ch. 5's printed values at initialization, for k = 2, 3, 4 */
static const double book_values[3][4] = {{0.07, 0.31}, {0.012, 0.060, 0.283}, {0.003, 0.017, 0.070, 0.285}};

typedef struct settings {
    nn_exp_common common;
    int ks[8], n_ks;
    int width;
    int images;
    int epochs;
    double lr;
    char activation[NN_STR], init[NN_STR], bias_init[NN_STR]; /* the net of an arm */
    double init_scale, bias_scale;
    int chain_depth;
    double chain_w[4];
    int n_chain_w;
    int k;            /* a condition's: its hidden layers (0: a chain), */
    nn_mlp_spec spec; /* its net, */
    double w;         /* or its chain's weight */
} settings;

typedef struct recorder {
    nn_mlp_layout lo;   /* the net's layers: its hidden dense layers lo.dense[0 … k − 1] */
    int E;
    double *norms;      /* k × E: layer l before step t (full batch: epoch t + 1) at l·E + t; NaN after a divergence */
} recorder;

static int record(nn_train_ctx *ctx, void *user)
{
    recorder *r = user;
    for (int l = 0; l < r->lo.n_hidden; l++) {
        nn_grad_stats g;
        nn_stats_grad(ctx->net, r->lo.dense[l], &g);
        r->norms[l * r->E + ctx->global_step - 1] = g.b_norm;
    }
    return 0;
}

/* The k-hidden-layer net of one arm's settings. Returns 0, or −1 with a message. */
static int arm_spec(const settings *a, int k, int n_in, int n_out, nn_mlp_spec *sp)
{
    memset(sp, 0, sizeof *sp);
    nn_act act;
    nn_init_kind wk, bk;
    if (nn_act_parse(a->activation, &act) || nn_init_parse(a->init, &wk) || nn_init_parse(a->bias_init, &bk)) return -1;
    sp->n_input = n_in, sp->n_output = n_out, sp->n_hidden = k;
    for (int l = 0; l < k; l++) sp->hidden[l] = a->width, sp->act[l] = act;
    sp->out_act = NN_SOFTMAX, sp->loss = NN_LOSS_SOFTMAX_CE;
    sp->w_init = (nn_init){wk, a->init_scale};
    sp->b_init = (nn_init){bk, a->bias_scale};
    return 0;
}

/* Nielsen's nets: sigmoid, N(0, 1/n_in) weights, N(0, 1) biases (the book's printed values apply) */
static int is_book(const settings *a)
{
    return !strcmp(a->activation, "sigmoid") && !strcmp(a->init, "normal_fanin") && a->init_scale == 1 &&
           !strcmp(a->bias_init, "normal") && a->bias_scale == 1;
}

static const char *arm_title(nn_exp *e, const char *name, const settings *a)
{
    const char *w = !strcmp(a->init, "normal_fanin")
                        ? (a->init_scale == 1 ? "N(0, 1/n_in)" : nn_exp_str(e, "%g x N(0, 1/n_in)", a->init_scale))
                    : !strcmp(a->init, "normal") ? nn_exp_str(e, "N(0, %g²)", a->init_scale)
                    : a->init_scale == 1         ? a->init
                                                 : nn_exp_str(e, "%g x %s", a->init_scale, a->init);
    return nn_exp_str(e, "%s: %s, %s weights", name, a->activation, w);
}

/* ∂a_L/∂a_0 of the scalar chain a_l = w·a_{l−1}, by backpropagation through the library */
static double chain_gradient(double w, int L)
{
    nn_net *net = nn_net_new(1);
    int x = nn_net_act(net, NN_LINEAR); /* an identity node, so ∂C/∂a_0 is kept */
    for (int l = 0; l < L; l++) {
        nn_net_dense(net, 1, 0, (nn_init){NN_INIT_CONST, w}, (nn_init){NN_INIT_ZERO, 0});
        nn_net_act(net, NN_LINEAR);
    }
    NN_ASSERT(nn_net_output(net, NN_LOSS_QUADRATIC, 1) == 0, "%s", nn_error());
    nn_exp_finalize(net, 1, 1);
    nn_real in = 1;
    nn_net_forward(net, &in, 1, NN_TRAIN);
    nn_real y = nn_net_output_values(net)[0] - 1; /* C = ½(a − y)², so ∂C/∂a_L = 1 */
    nn_net_loss(net, &y, 1);
    nn_net_zero_grad(net);
    nn_net_backward(net);
    double g = nn_net_node_dout(net, x)[0];
    nn_net_free(net);
    return g;
}

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    (void)r, (void)n_r;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"ks", NN_CFG_INT_LIST, s->ks, 1, 20, NULL, &s->n_ks, 8, 1, "numbers of hidden layers k"};
    f[n++] = (nn_cfg_field){"width", NN_CFG_INT, &s->width, 1, 10000, NULL, NULL, 0, 0, "units per hidden layer"};
    f[n++] = (nn_cfg_field){"images", NN_CFG_INT, &s->images, 1, 100000, NULL, NULL, 0, 0,
                            "training images the mean gradient is taken over (and trained on, full batch)"};
    f[n++] = (nn_cfg_field){"epochs", NN_CFG_INT, &s->epochs, 0, 100000, NULL, NULL, 0, 0, "full-batch gradient descent steps"};
    f[n++] = (nn_cfg_field){"lr", NN_CFG_REAL, &s->lr, 1e-9, 100, NULL, NULL, 0, 0, "learning rate of the full-batch steps"};
    f[n++] = (nn_cfg_field){"activation", NN_CFG_STR, s->activation, 0, 0, nn_act_hidden_names, NULL, 0, 0, "hidden activation"};
    f[n++] = (nn_cfg_field){"init", NN_CFG_STR, s->init, 0, 0, nn_init_names, NULL, 0, 0, "weight init scheme"};
    f[n++] =
        (nn_cfg_field){"init_scale", NN_CFG_REAL, &s->init_scale, 0, 1e6, NULL, NULL, 0, 0, "weight init scale (σ for normal)"};
    f[n++] = (nn_cfg_field){"bias_init", NN_CFG_STR, s->bias_init, 0, 0, nn_init_names, NULL, 0, 0, "bias init scheme"};
    f[n++] = (nn_cfg_field){"bias_scale", NN_CFG_REAL, &s->bias_scale, 0, 1e6, NULL, NULL, 0, 0, "bias init scale"};
    f[n++] = (nn_cfg_field){"chain_depth", NN_CFG_INT, &s->chain_depth, 1, 2000, NULL, NULL, 0, 0, "deepest scalar chain"};
    f[n++] = (nn_cfg_field){"chain_w", NN_CFG_REAL_LIST, s->chain_w, 1e-3, 10, NULL, &s->n_chain_w, 4, 1, "chain weights w"};
    return n;
}

static const nn_exp_def def = {"vanishing",
                               "Per-layer gradient norms of deep nets at init and in training; the deep linear chain.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

/* the deep linear chain of weight s->w at every depth 1 … chain_depth */
static int chain(nn_exp *e, const nn_cell *c, const settings *s)
{
    const int L = s->chain_depth;
    double *depth = nn_calloc((size_t)L, sizeof(double)), *g = nn_calloc((size_t)L, sizeof(double)), worst = 0,
           *closed = nn_calloc((size_t)L, sizeof(double));
    for (int l = 1; l <= L; l++) {
        depth[l - 1] = l;
        g[l - 1] = chain_gradient(s->w, l);
        closed[l - 1] = pow(s->w, l);
        worst = fmax(worst, fabs(g[l - 1] - closed[l - 1]) / closed[l - 1]);
    }
    nn_measure_series(e, c, "depth", depth, L);
    /* every digit: the claim is agreement to 1e-9, beyond the 9 digits a measure keeps */
    nn_measure_series_exact(e, c, "gradient", g, L);
    nn_measure_series_exact(e, c, "closed_form", closed, L);
    nn_measure(e, c, "rel_diff", worst); /* largest relative difference from w^L over the depths */
    free(depth), free(g), free(closed);
    return 0;
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const nn_dataset *sub = ctx;
    if (!s->k) return c->r ? 0 : chain(e, c, s); /* no randomness: the first seed computes it */
    const int k = s->k, E = s->epochs + 1;
    nn_net *net = nn_exp_build(&s->spec, sub->n, c->seed);
    nn_optim opt = {.kind = NN_OPT_SGD, .lr = s->lr};
    nn_optim_init(&opt, net);
    recorder rec = {.E = E, .norms = nn_calloc((size_t)k * E, sizeof(double))};
    nn_mlp_layout_of(net, &rec.lo);
    for (int i = 0; i < k * E; i++) rec.norms[i] = NAN;
    nn_train_cfg tc = {.epochs = E, .batch = sub->n, .seed = c->seed, .before_update = record, .user = &rec};
    nn_history h;
    nn_exp_train(net, &opt, sub, NULL, &tc, &h);
    nn_measure_history(e, c, &h);
    double at_init[NN_MAX_HIDDEN], book[NN_MAX_HIDDEN], step = NAN; /* fmin(NaN, x) = x */
    for (int l = 0; l < k; l++) {
        nn_measure_series(e, c, nn_exp_str(e, "grad_b_norm_layer%d", l + 1), rec.norms + l * E, E);
        at_init[l] = rec.norms[l * E];
        book[l] = k >= 2 && k <= 4 ? book_values[k - 2][l] : NAN; /* the book prints values for these nets */
        if (l) step = fmin(step, at_init[l] / at_init[l - 1]);
    }
    nn_measure_series(e, c, "grad_b_norm_at_init", at_init, k);
    /* what the claims judge: the smallest ratio of adjacent layers' norms, and last / first, at initialization */
    nn_measure(e, c, "min_adjacent_ratio", step);
    nn_measure(e, c, "last_over_first", at_init[k - 1] / at_init[0]);
    /* not measurements but the cell's context: whether the net is Nielsen's, and his printed values (the figure's circles) */
    nn_measure(e, c, "book_settings", is_book(s));
    if (is_book(s)) nn_measure_series(e, c, "book", book, k);
    free(rec.norms), nn_history_free(&h), nn_optim_free(&opt), nn_net_free(net);
    return 0;
}

/* Per seed, the smallest ratio of adjacent layers' norms at initialization over an arm's conditions, every k (the
 * first of them is *ctx) */
static double min_over_k(nn_exp *e, int r, void *ctx)
{
    const int first = *(const int *)ctx, K = ((const settings *)e->set)->n_ks;
    double m = INFINITY;
    for (int ki = 0; ki < K; ki++) m = fmin(m, nn_grid_values(e, first + ki, "min_adjacent_ratio")[r]);
    return m;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    for (int i = 0; i < s->n_ks; i++) /* a condition per value */
        for (int j = 0; j < i; j++)
            if (s->ks[j] == s->ks[i]) return nn_exp_fail(e, 2, "'ks' lists %d twice", s->ks[i]);
    nn_dataset sub = e->data.train;
    sub.n = nn_min_i(s->images, sub.n);
    const int S = e->S, A = e->n_arms, K = s->n_ks;
    for (int a = 0; a < A; a++) {
        settings c = *(const settings *)e->arm_set[a];
        const char *n = e->arm_name[a], *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
        const char *title = arm_title(e, n, &c);
        for (int ki = 0; ki < K; ki++) {
            c.k = s->ks[ki];
            if (arm_spec(&c, c.k, sub.d, sub.n_classes, &c.spec)) return nn_exp_fail(e, 2, "arm '%s': %s", n, nn_error());
            nn_grid_condition(e, nn_exp_str(e, "%s-k%d", n, c.k), nn_exp_str(e, "%s, k = %d", title, c.k), &c,
                              *n && !n[strspn(n, ok)] ? n : nn_exp_str(e, "arm%d", a + 1), c.k);
        }
    }
    for (int wi = 0; wi < s->n_chain_w; wi++) {
        settings c = *s;
        c.k = 0, c.w = s->chain_w[wi];
        nn_grid_condition(e, nn_exp_str(e, "chain-%d", wi + 1), nn_exp_str(e, "linear chain, w = %g", c.w), &c, "chain", c.w);
    }
    if ((rc = nn_grid_run(e, cell, &sub)) >= 0) return rc;

    const char *cols[] = {"arm", "k", "per hidden layer", "last / first", "book (Nielsen ch. 5)"};
    cJSON *table = nn_exp_table(e, nn_exp_str(e, "‖∂C/∂b_l‖ per hidden layer at initialization (mean over %d seeds, %d "
                                                    "images), input side first", S, sub.n), 5, cols);
    for (int v = 0; v < A; v++) {
        const settings *as = e->arm_set[v];
        const char *var = e->arm_name[v], *title = arm_title(e, var, as);
        for (int ki = 0; ki < K; ki++) {
            const int k = s->ks[ki], printed = is_book(as) && k >= 2 && k <= 4;
            double m[NN_MAX_HIDDEN], sd;
            const char *line = "", *bk = "";
            for (int l = 0; l < k; l++) {
                nn_grid_series_mean_std(e, v * K + ki, "grad_b_norm_at_init", l, &m[l], &sd);
                line = nn_exp_str(e, "%s%s%.3g", line, l ? ", " : "", m[l]);
            }
            for (int l = 0; printed && l < k; l++) bk = nn_exp_str(e, "%s%s%g", bk, l ? ", " : "", book_values[k - 2][l]);
            nn_exp_row(table, "sisns", title, k, nn_exp_str(e, "[%s]", line), m[k - 1] / m[0],
                       printed ? nn_exp_str(e, "[%s]", bk) : "–");
        }
        /* per seed: the smallest adjacent-layer ratio over every k (min_over_k), last / first at k = 4 */
        int first = v * K; /* the arm's first condition */
        const int k4 = nn_grid_find(e, nn_exp_str(e, "%s-k4", var)); /* the arm's net with k = 4, or −1 */
        const double *ratio4 = k4 >= 0 ? nn_grid_values(e, k4, "last_over_first") : nn_exp_vec(e);
        /* the claims this arm's net is about: the sigmoid nets' growth, ReLU + He's balance — made here, not declared:
         * which an arm gets, their kind and the arm's title (arm_title) in their statements follow from its settings */
        const char *no_k4 = k4 < 0 ? "'ks' does not include 4" : NULL;
        /* with weights of a fixed scale σ (init "normal") each layer multiplies the backward signal by about σ·√n times
         * f′: the decay is the init's arithmetic, an identity (lectures/claim-rubric.md); He's init is derived to keep
         * the ReLU net's variance, so its balance is one too */
        const nn_claim_kind scale_kind = !strcmp(as->init, "normal") ? NN_IDENTITY : NN_LECTURE;
        if (!strcmp(as->activation, "sigmoid")) {
            nn_claim c1 = {.kind = scale_kind, .id = nn_exp_str(e, "sigmoid-grows-with-layer[%s]", var),
                           .statement = nn_exp_str(e, "In sigmoid nets (%s) the gradient norm grows with the layer index at "
                                                       "initialization, for every depth k run", title),
                           .source = "seed 001 (why early layers learn slowly); Nielsen ch. 5",
                           .quantity = "smallest ratio of adjacent layers' norms, layer l+1 over l, over every k", .op = ">",
                           .threshold = 1,
                           .unmeasured = s->n_ks == 1 && s->ks[0] == 1 ? "'ks' lists only k = 1: no adjacent layers" : NULL,
                           .not_comparative = "a ratio of layers within one net at initialization, not two conditions compared; "
                                              "how it changes in training is in the measures grad_b_norm_layer1…k"};
            const char *over_k = nn_exp_str(e, "min_adjacent_ratio_over_k[%s]", var);
            nn_exp_claim_seeds(e, &c1, nn_grid_per_seed(e, over_k, min_over_k, &first));
            nn_claim c2 = {.kind = scale_kind,
                           .id = nn_exp_str(e, "sigmoid-last-vs-first[%s]", var),
                           .statement = nn_exp_str(e,
                                                   "With 4 sigmoid hidden layers (%s) the last hidden layer's gradient norm is "
                                                   "at least 10x the first's at initialization",
                                                   title),
                           .source = "seed 001; Nielsen ch. 5 ([0.003, 0.017, 0.070, 0.285])",
                           .quantity = "last / first hidden layer norm, k = 4",
                           .op = ">=",
                           .threshold = 10,
                           .unmeasured = no_k4,
                           .not_comparative = "a ratio of two layers of one net at initialization, against Nielsen's order of "
                                              "magnitude; how it changes in training is in the measures grad_b_norm_layer1…k"};
            nn_exp_claim_seeds(e, &c2, ratio4);
        } else if (!strcmp(as->activation, "relu") && !strncmp(as->init, "he_", 3)) {
            nn_claim c3 = {.kind = NN_IDENTITY,
                           .id = nn_exp_str(e, "relu-he-balanced[%s]", var),
                           .statement =
                               nn_exp_str(e, "With ReLU + He init (%s) the last-to-first ratio at k = 4 is at most 3", title),
                           .source = "He et al. 2015 (the seeds name ReLU, seed 004, but not He's init)",
                           .quantity = "last / first hidden layer norm, k = 4",
                           .op = "<=",
                           .threshold = 3,
                           .unmeasured = no_k4};
            nn_exp_claim_seeds(e, &c3, ratio4);
        } else if (!strcmp(as->activation, "relu")) {
            /* seed 004: ReLU alone does not remove the vanishing gradient; with N(0, 0.01²) weights
             * each layer still shrinks the backward signal by about σ·sqrt(n/2) */
            nn_claim c4 = {.kind = scale_kind, .id = nn_exp_str(e, "relu-still-vanishes[%s]", var),
                           .statement = nn_exp_str(e, "ReLU does not remove the vanishing gradient by itself: in the ReLU "
                                                       "nets of arm %s the last hidden layer's gradient norm at k = 4 is still "
                                                       "at least 10x the first's", title),
                           .source = "seed 004 (ReLU does not fully solve the vanishing gradient; N(0, 0.01²) decays)",
                           .quantity = "last / first hidden layer norm, k = 4", .op = ">=", .threshold = 10, .unmeasured = no_k4,
                           .rule_note = "The threshold is the sigmoid claims' (from Nielsen's [0.003, 0.017, 0.070, 0.285])."};
            nn_exp_claim_seeds(e, &c4, ratio4);
        }
    }

    const char *ccols[] = {"w", "depth L", "backprop ∂a_L/∂a_0", "w^L"};
    cJSON *crows = nn_exp_table(e, "The deep linear chain at its deepest", 4, ccols);
    double worst = 0;
    const char *ws = "";
    for (int wi = 0; wi < s->n_chain_w; wi++) {
        const int cw = A * K + wi;
        double g, cf, sd;
        nn_grid_series_mean_std(e, cw, "gradient", s->chain_depth - 1, &g, &sd);
        nn_grid_series_mean_std(e, cw, "closed_form", s->chain_depth - 1, &cf, &sd);
        nn_exp_row(crows, "ninn", s->chain_w[wi], s->chain_depth, g, cf);
        worst = fmax(worst, nn_grid_max(e, cw, "rel_diff"));
        ws = nn_exp_str(e, "%s%s%g (%s)", ws, wi ? ", " : "", s->chain_w[wi],
                        s->chain_w[wi] > 1 ? "explodes" : s->chain_w[wi] < 1 ? "vanishes" : "stays 1");
    }
    /* made here, not declared: its statement says of each w whether the chain explodes or vanishes (ws) */
    nn_claim cc = {.kind = NN_IDENTITY, .id = "chain-is-w-power-L",
                   .statement = nn_exp_str(e, "In a deep linear chain of %d scalar layers the backpropagated gradient is w^L, "
                                               "for w = %s", s->chain_depth, ws),
                   .source = "seed 000 (vanishing/exploding gradients, W = 1.2 I or 0.5 I)",
                   .quantity = "largest relative difference from w^L over depths and w", .op = "<=", .threshold = 1e-9};
    nn_exp_claim_once(e, &cc, worst);
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
