/* activations — ReLU, sigmoid and tanh on the same network and data (seed 004).
 *
 * The same deep net, init scheme and optimizer; only the hidden activation changes. The sigmoid's
 * slope is at most 1/4, so at every layer its derivative scales the error passed back by 1/4 or
 * less, and its outputs are not centred; tanh is a centred sigmoid with slope up to 1; ReLU passes
 * the error unchanged wherever it is active, but a unit whose input is negative for every example
 * passes nothing at all: it is dead. The seed's caveat: ReLU does not remove vanishing gradients,
 * it trades them for dead units. Seed 003's other alternative, max-out (Goodfellow et al. 2013),
 * makes each hidden unit the largest of `maxout_pieces` linear pieces.
 * Conditions: one per activation (group "activations"), the max-out net, and — the control of
 * "ReLU is faster" — the sigmoid net again at each rate of `sigmoid_rates`. A cell trains one net
 * and measures the epochs it needs to reach `target_loss` (epochs + 1: never), its training loss
 * and test accuracy per epoch and at the end, and for the activations the fraction of hidden units
 * that are not positive on any image of a fixed probe set (for ReLU: dead), at init and after
 * every epoch.
 *
 * Settings: experiments/activations.json (every key: bin/activations --help), which also declares the claims
 * relu-faster-than-sigmoid and relu-units-die, judged by the frame; maxout-faster-than-sigmoid is made below.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    char acts[3][NN_STR];
    int n_acts;
    double target_loss;
    int probe;
    int maxout_pieces;
    double sigmoid_rates[8]; /* the control: sigmoid again at these rates (its own best rate) */
    int n_sigmoid_rates;
    nn_act act;   /* a condition's: its hidden activation, */
    int maxout;   /* or max-out units (1), */
    double lr;    /* its learning rate, */
    int deadness; /* and whether it counts dead units */
} settings;

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"activation", "the 'activations' list sets each net's hidden activation"},
                                              {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"activations", NN_CFG_STR_LIST, s->acts, 0, 0, nn_act_hidden_names, &s->n_acts, 3, 1,
                            "hidden activations to compare (the same for every hidden layer)"};
    f[n++] = (nn_cfg_field){"target_loss", NN_CFG_REAL, &s->target_loss, 1e-9, 100, NULL, NULL, 0, 0,
                            "the training loss the speed comparison asks for"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 1, 100000,
                            NULL,    NULL,       0,         0, "images a unit must be 0 on to count as dead"};
    f[n++] = (nn_cfg_field){"maxout_pieces", NN_CFG_INT, &s->maxout_pieces, 0, 16, NULL, NULL, 0, 0,
                            "max-out net: linear pieces per hidden unit (0: no max-out net)"};
    f[n++] = (nn_cfg_field){"sigmoid_rates", NN_CFG_REAL_LIST, s->sigmoid_rates, 1e-6, 100, NULL, &s->n_sigmoid_rates, 8, 0,
                            "the control of relu-faster-than-sigmoid: the sigmoid net again at these rates (its own best rate)"};
    return n;
}

static const nn_exp_def def = {"activations", "ReLU, tanh and sigmoid on the same net: learning speed and dead ReLU units.",
                               NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

typedef struct shared {
    nn_mlp_spec base;
    nn_optim opt;
    nn_dataset probe; /* the first `probe` training images */
} shared;

typedef struct deadness {
    const nn_dataset *probe;
    nn_net *eval; /* the trained net's shape for probing (max_batch = probe size) */
    double *dead; /* per epoch (index 0 = init) */
    int n;
} deadness;

/* fraction of eval's hidden units that output 0 on every probe image */
static double dead_fraction(nn_net *eval, const nn_dataset *probe)
{
    nn_net_forward(eval, probe->X, probe->n, NN_EVAL);
    long dead = 0, units = 0;
    nn_mlp_layout lo;
    nn_mlp_layout_of(eval, &lo);
    for (int l = 0; l < lo.n_hidden; l++) {
        const nn_layer *L = &eval->layers[lo.act[l]];
        for (int j = 0; j < L->n; j++) {
            int alive = 0;
            for (int r = 0; r < probe->n && !alive; r++) alive = L->out[(size_t)r * L->n + j] > 0;
            dead += !alive;
            units++;
        }
    }
    return units ? (double)dead / units : NAN;
}

static int after_epoch(nn_train_ctx *ctx, void *user)
{
    deadness *d = user;
    memcpy(d->eval->params, ctx->net->params, ctx->net->n_params * sizeof(nn_real));
    d->dead[d->n++] = dead_fraction(d->eval, d->probe);
    return 0;
}

/* the max-out net (seed 003:160): each hidden unit the largest of k linear pieces; base's widths and init */
static nn_net *maxout_net(const nn_mlp_spec *base, int k, int batch, uint64_t seed)
{
    nn_net *net = nn_net_new(base->n_input);
    for (int l = 0; l < base->n_hidden; l++) {
        nn_net_dense(net, base->hidden[l] * k, 1, base->w_init, base->b_init);
        nn_net_maxout(net, k);
    }
    nn_net_dense(net, base->n_output, 1, base->w_init, base->b_init);
    nn_net_act(net, base->out_act);
    nn_net_output(net, base->loss, 1.0);
    nn_exp_finalize(net, batch, seed);
    return net;
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    const settings *s = c->set;
    const shared *sh = ctx;
    const int E = s->net.epochs;
    nn_mlp_spec sp = sh->base;
    for (int l = 0; l < sp.n_hidden; l++) sp.act[l] = s->act;
    nn_optim o = sh->opt;
    o.lr = s->lr;
    nn_train_cfg tc = {.epochs = E, .batch = s->net.batch, .eval_train = 1};
    deadness d = {.probe = &sh->probe};
    nn_history h;
    nn_net *net;
    if (s->maxout) {
        net = maxout_net(&sh->base, s->maxout_pieces, s->net.batch, c->seed);
        nn_cell_train_net(e, c, net, &o, tc, &h);
    } else {
        if (s->deadness) { /* built from the cell's seed, the probing net starts with the trained net's weights */
            d.eval = nn_exp_build(&sp, sh->probe.n, c->seed), d.dead = nn_calloc((size_t)E + 1, sizeof(double));
            d.dead[d.n++] = dead_fraction(d.eval, &sh->probe);
            tc.after_epoch = after_epoch, tc.user = &d;
        }
        net = nn_cell_train(e, c, &sp, &o, tc, &h);
    }
    double ep = E + 1; /* not reached */
    for (int i = 0; i < h.n_epochs; i++)
        if (h.ep[i].train_loss <= s->target_loss) {
            ep = i + 1;
            break;
        }
    nn_measure(e, c, "epochs_to_target", ep);
    nn_measure(e, c, "final_train_loss", nn_exp_final(&h, offsetof(nn_epoch, train_loss)));
    nn_measure(e, c, "final_test_acc", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_measure(e, c, "params", (double)net->n_params);
    nn_measure(e, c, "hidden_layers", sp.n_hidden);
    if (s->deadness) {
        nn_measure_series(e, c, "dead_fraction", d.dead, d.n);
        if (s->act == NN_RELU) { /* what training did: dead after it minus at init; a diverged run gives no measurement */
            const double end = h.diverged ? NAN : d.dead[E];
            nn_measure(e, c, "dead_end", end);
            nn_measure(e, c, "dead_change_pct", h.diverged ? NAN : 100 * (end - d.dead[0]));
        }
        free(d.dead), nn_net_free(d.eval);
    }
    nn_history_free(&h);
    nn_net_free(net);
    return 0;
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    shared sh;
    if ((rc = nn_exp_netcfg(e, &s->net, &sh.base, &sh.opt))) return rc;
    sh.probe = e->data.train;
    sh.probe.n = nn_min_i(s->probe, sh.probe.n);
    const int S = e->S, E = s->net.epochs, MK = s->maxout_pieces;
    int relu = -1, sig = -1, mo = -1; /* conditions: ReLU, sigmoid (the shared rate), max-out */
    s->lr = s->net.lr, s->deadness = 1;
    for (int a = 0; a < s->n_acts; a++) {
        nn_act_parse(s->acts[a], &s->act);
        if (nn_grid_find(e, s->acts[a]) >= 0) return nn_exp_fail(e, 2, "'activations' lists %s twice", s->acts[a]);
        const int i = nn_grid_condition(e, s->acts[a], NULL, s, "activations", a);
        if (s->act == NN_RELU) relu = i;
        if (s->act == NN_SIGMOID) sig = i;
    }
    s->deadness = 0, s->maxout = 1;
    if (MK > 0) mo = nn_grid_condition(e, "maxout", nn_exp_str(e, "maxout (%d pieces)", MK), s, "maxout", MK);
    s->maxout = 0, s->act = NN_SIGMOID;
    const int rate0 = nn_grid_n(e); /* the sigmoid net at sigmoid_rates[k]: condition rate0 + k */
    for (int k = 0; k < s->n_sigmoid_rates && relu >= 0 && sig >= 0; k++) {
        s->lr = s->sigmoid_rates[k];
        nn_grid_condition(e, nn_exp_str(e, "sigmoid-rate-%d", k + 1), nn_exp_str(e, "sigmoid at η = %g", s->lr), s,
                          "sigmoid_rates", s->lr);
    }
    if ((rc = nn_grid_run(e, cell, &sh)) >= 0) return rc;

    const char *opt_name = strcmp(s->net.optimizer, "sgd") ? s->net.optimizer : "SGD";
    const char *cols[] = {"activation", "epochs to target", "final training loss", "final test accuracy (%)",
                          "dead units, end (%)"};
    cJSON *table = nn_exp_table(e, nn_exp_str(e, "Same net (%d hidden layers), init %s, %s η = %g: epochs to training "
                                                   "loss %g (%d = not reached), final loss and accuracy, mean over %d seeds",
                                               sh.base.n_hidden, s->net.init, opt_name, s->net.lr, s->target_loss, E + 1, S),
                                5, cols);
    for (int i = 0; i < nn_grid_n(e); i++) {
        double m[4] = {NAN, NAN, NAN, NAN}, sd;
        const char *name[] = {"epochs_to_target", "final_train_loss", "final_test_acc", "dead_end"};
        for (int j = 0; j < (i == relu ? 4 : 3); j++) nn_grid_mean_std(e, i, name[j], &m[j], &sd);
        nn_exp_row(table, "snnnn", nn_grid_label(e, i), m[0], m[1], m[2], 100 * m[3]);
    }

    /* in C: its control, the parameter counts, exists only when maxout_pieces makes the max-out net, while a declared
     * claim's controls are there in every run */
    nn_claim cm = {.kind = NN_LECTURE,
                   .id = "maxout-faster-than-sigmoid",
                   .statement = nn_exp_str(e,
                                           "Max-out, the other alternative to the sigmoid, reaches a training loss of %g in "
                                           "fewer epochs than sigmoid (each hidden unit the largest of %d linear pieces; same "
                                           "widths, init and rate)",
                                           s->target_loss, MK),
                   .source = "seed 003:160; Goodfellow et al. 2013",
                   .quantity = "epochs to the target loss, max-out minus sigmoid, same seed (not reached = epochs + 1)",
                   .op = "<",
                   .threshold = 0,
                   .unmeasured = MK <= 0    ? "maxout_pieces is 0: no max-out net"
                                 : sig >= 0 ? NULL
                                            : "'activations' does not list sigmoid"};
    if (MK > 0) { /* the skeptic: max-out has MK times the first layer's weights; the control: the parameter counts */
        double sig_params = 0;
        for (int l = 0, in = sh.base.n_input; l <= sh.base.n_hidden; l++) {
            const int out = l < sh.base.n_hidden ? sh.base.hidden[l] : sh.base.n_output;
            sig_params += (double)in * out + out, in = out;
        }
        nn_claim_control(&cm, "max-out has more parameters than the sigmoid net",
                         "parameters of the max-out net over the sigmoid net's, relative excess",
                         nn_grid_values(e, mo, "params")[0] / sig_params - 1, "<=", 0.1);
    }
    nn_exp_claim_seeds(e, &cm, cm.unmeasured ? NULL : nn_grid_diff(e, "epochs_to_target", mo, sig));

    /* the numbers the declared claims read beyond the cells' measures (the document's "derived"): the probe set's size,
     * and the control of relu-faster-than-sigmoid, the sigmoid net at its own best rate of sigmoid_rates (and the
     * shared rate), a rate being better when its mean epochs to the target is lower */
    nn_grid_derived(e, "probe_images", sh.probe.n);
    double sig_best_rate = s->net.lr, relu_vs_best = NAN;
    if (relu >= 0 && sig >= 0 && s->n_sigmoid_rates) { /* no sweep: the control is not measured (NaN) */
        double *best = nn_exp_vec(e); /* per seed, of the best rate so far: condition b */
        memcpy(best, nn_grid_values(e, sig, "epochs_to_target"), (size_t)S * sizeof(double));
        int b = sig;
        for (int k = 0; k < s->n_sigmoid_rates; k++)
            if (nn_exp_keep_best(e, best, nn_grid_values(e, rate0 + k, "epochs_to_target"), 0))
                b = rate0 + k, sig_best_rate = s->sigmoid_rates[k];
        relu_vs_best = nn_exp_worst_high(e, nn_grid_diff(e, "epochs_to_target", relu, b));
    }
    nn_grid_derived(e, "sigmoid_best_rate", sig_best_rate);
    nn_grid_derived(e, "relu_minus_best_sigmoid_worst", relu_vs_best);
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
