/* activations — ReLU, sigmoid and tanh on the same network and data (seed 004).
 *
 * The same deep net, the same init scheme and optimizer, three hidden activations. A
 * sigmoid passes back at most 1/4 of the error per layer and its outputs are not centred;
 * tanh is a centred sigmoid with slope up to 1; ReLU passes the error unchanged wherever it
 * is active, but a unit whose input is negative for every example passes nothing at all:
 * it is dead, and the seed warns that ReLU does not remove vanishing gradients, it trades
 * them for dead units. We record the training loss per epoch, the epochs each activation
 * needs to reach a target loss, and, for ReLU, the fraction of dead hidden units (zero on
 * every image of a fixed probe set) at init and after every epoch.
 *
 * Settings: experiments/activations.json (every key: bin/activations --help).
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
} settings;

typedef struct deadness {
    const nn_dataset *probe;
    nn_net *eval;       /* a copy of the trained net's shape for probing (max_batch = probe size) */
    double *dead;       /* per epoch (index 0 = init) */
    int n;
} deadness;

/* fraction of hidden units that output 0 on every probe image */
static double dead_fraction(nn_net *eval, const nn_net *trained, const nn_dataset *probe)
{
    memcpy(eval->params, trained->params, trained->n_params * sizeof(nn_real));
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
    d->dead[d->n++] = dead_fraction(d->eval, ctx->net, d->probe);
    return 0;
}


/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"activation", "the 'activations' list sets each net's hidden activation"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"activations", NN_CFG_STR_LIST, s->acts, 0, 0, nn_act_hidden_names, &s->n_acts, 3, 1,
                            "hidden activations to compare (the same for every hidden layer)"};
    f[n++] = (nn_cfg_field){"target_loss", NN_CFG_REAL, &s->target_loss, 1e-9, 100, NULL, NULL, 0, 0,
                            "the training loss the speed comparison asks for"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 1, 100000, NULL, NULL, 0, 0, "images a unit must be 0 on to count as dead"};
    f[n++] = (nn_cfg_field){"maxout_pieces", NN_CFG_INT, &s->maxout_pieces, 0, 16, NULL, NULL, 0, 0,
                            "max-out net: linear pieces per hidden unit (0: no max-out net)"};
    f[n++] = (nn_cfg_field){"sigmoid_rates", NN_CFG_REAL_LIST, s->sigmoid_rates, 1e-6, 100, NULL, &s->n_sigmoid_rates, 8, 0,
                            "the control of relu-faster-than-sigmoid: the sigmoid net again at these rates (its own best rate)"};
    return n;
}

static const nn_exp_def def = {"activations", "ReLU, tanh and sigmoid on the same net: learning speed and dead ReLU units.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    if ((rc = nn_exp_load_data(&e))) return rc;
    nn_mlp_spec base;
    nn_optim opt;
    if ((rc = nn_exp_netcfg(&e, &s.net, &base, &opt))) return rc;
    nn_dataset probe = e.data.train;
    probe.n = nn_min_i(s.probe, probe.n);
    const int S = s.common.seeds, E = s.net.epochs;
    char cap[200];
    snprintf(cap, sizeof cap, "Same net (%d hidden layers), init %s, SGD η = %g: epochs to training loss %g (%d = not "
             "reached), final loss and accuracy, mean over %d seeds", base.n_hidden, s.net.init, s.net.lr, s.target_loss,
             E + 1, S);
    const char *cols[] = {"activation", "epochs to target", "final training loss", "final test accuracy (%)",
                          "dead units, end (%)"};
    cJSON *table = nn_exp_table(&e, cap, 5, cols);
    cJSON *curves = cJSON_AddObjectToObject(e.summary, "curves");
    double reach[3] = {NAN, NAN, NAN};
    double *reach_seed[3] = {NULL, NULL, NULL}; /* per seed: ReLU, sigmoid, tanh */
    double *relu_dead = NULL;                   /* per seed: dead ReLU units after training (%) */
    for (int a = 0; a < s.n_acts; a++) {
        nn_mlp_spec sp = base;
        nn_act act;
        nn_act_parse(s.acts[a], &act);
        for (int l = 0; l < sp.n_hidden; l++) sp.act[l] = act;
        nn_history *h = nn_calloc((size_t)S, sizeof *h);
        double **dead_runs = nn_exp_alloc(&e, (size_t)S, sizeof(double *)), *ep_to = nn_exp_vec(&e), *fl = nn_exp_vec(&e),
               *fa = nn_exp_vec(&e);
        for (int r = 0; r < S; r++) {
            uint64_t seed = e.seeds[r];
            nn_net *net = nn_exp_build(&sp, s.net.batch, seed);
            deadness d = {.probe = &probe, .eval = nn_exp_build(&sp, probe.n, seed),
                          .dead = nn_calloc((size_t)E + 1, sizeof(double))};
            d.dead[d.n++] = dead_fraction(d.eval, net, &probe);
            nn_optim o = opt;
            o.v = NULL;
            nn_optim_init(&o, net);
            char label[64];
            snprintf(label, sizeof label, "%s seed %llu", s.acts[a], (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = E, .batch = s.net.batch, .seed = seed, .eval_train = 1, .after_epoch = after_epoch,
                               .user = &d, .label = label, .progress = 1};
            nn_exp_train(net, &o, &e.data.train, &e.data.test, &tc, &h[r]);
            ep_to[r] = E + 1; /* not reached */
            for (int i = 0; i < h[r].n_epochs; i++)
                if (h[r].ep[i].train_loss <= s.target_loss) {
                    ep_to[r] = i + 1;
                    break;
                }
            fl[r] = nn_exp_final(&h[r], offsetof(nn_epoch, train_loss));
            fa[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
            dead_runs[r] = d.dead;
            cJSON *run = nn_exp_add_run(&e, s.acts[a], s.acts[a], seed, &h[r]);
            cJSON_AddItemToObject(run, "dead_fraction", nn_json_series(d.dead, d.n));
            nn_optim_free(&o);
            nn_net_free(net);
            nn_net_free(d.eval);
        }
        double sd, m_ep, m_fl, m_fa, m_dead, *col = nn_exp_vec(&e);
        nn_mean_std(ep_to, S, &m_ep, &sd);
        nn_mean_std(fl, S, &m_fl, &sd);
        nn_mean_std(fa, S, &m_fa, &sd);
        for (int r = 0; r < S; r++) col[r] = h[r].diverged ? NAN : dead_runs[r][E]; /* a diverged run: no measurement */
        nn_mean_std(col, S, &m_dead, &sd);
        if (act == NN_RELU) { /* what training did: dead after it minus dead at init; a diverged run gives no measurement */
            relu_dead = nn_exp_vec(&e);
            for (int r = 0; r < S; r++) relu_dead[r] = h[r].diverged ? NAN : 100 * (col[r] - dead_runs[r][0]);
        }
        reach[act == NN_RELU ? 0 : act == NN_SIGMOID ? 1 : 2] = m_ep;
        reach_seed[act == NN_RELU ? 0 : act == NN_SIGMOID ? 1 : 2] = ep_to;
        cJSON *c = cJSON_AddObjectToObject(curves, s.acts[a]);
        cJSON_AddItemToObject(c, "train_loss", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_loss)));
        cJSON_AddItemToObject(c, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
        cJSON_AddItemToObject(c, "dead_fraction", nn_json_mean_std(dead_runs, S, E + 1));
        nn_exp_row(table, "snnnn", s.acts[a], m_ep, m_fl, m_fa, act == NN_RELU ? 100 * m_dead : NAN);
        nn_exp_say(&e, "%-8s epochs to loss %g: %.2f, final loss %.4f, test %.2f %%%s", s.acts[a], s.target_loss, m_ep, m_fl,
                   m_fa, act == NN_RELU ? "" : "");
        for (int r = 0; r < S; r++) free(dead_runs[r]), nn_history_free(&h[r]);
        free(h);
    }
    /* max-out (seed 003:160, Goodfellow et al. 2013): each hidden unit the largest of `maxout_pieces` linear
     * pieces, the same widths, init and optimizer */
    double *mo_ep = nn_exp_vec(&e), mo_params = NAN;
    const int MK = s.maxout_pieces;
    if (MK > 0) {
        double *fl = nn_exp_vec(&e), *fa = nn_exp_vec(&e);
        nn_history *h = nn_calloc((size_t)S, sizeof *h);
        for (int r = 0; r < S; r++) {
            uint64_t seed = e.seeds[r];
            nn_net *net = nn_net_new(base.n_input);
            for (int l = 0; l < base.n_hidden; l++) {
                nn_net_dense(net, base.hidden[l] * MK, 1, base.w_init, base.b_init);
                nn_net_maxout(net, MK);
            }
            nn_net_dense(net, base.n_output, 1, base.w_init, base.b_init);
            nn_net_act(net, base.out_act);
            nn_net_output(net, base.loss, 1.0);
            nn_exp_finalize(net, s.net.batch, seed);
            mo_params = (double)net->n_params;
            nn_optim o = opt;
            o.v = NULL;
            nn_optim_init(&o, net);
            char label[64];
            snprintf(label, sizeof label, "maxout seed %llu", (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = E, .batch = s.net.batch, .seed = seed, .eval_train = 1, .label = label, .progress = 1};
            nn_exp_train(net, &o, &e.data.train, &e.data.test, &tc, &h[r]);
            mo_ep[r] = E + 1;
            for (int i = 0; i < h[r].n_epochs; i++)
                if (h[r].ep[i].train_loss <= s.target_loss) {
                    mo_ep[r] = i + 1;
                    break;
                }
            fl[r] = nn_exp_final(&h[r], offsetof(nn_epoch, train_loss));
            fa[r] = 100 * nn_exp_final(&h[r], offsetof(nn_epoch, test_acc));
            cJSON *run = nn_exp_add_run(&e, "maxout", nn_exp_str(&e, "maxout-%d", MK), seed, &h[r]);
            cJSON_AddNumberToObject(run, "pieces", MK);
            nn_optim_free(&o);
            nn_net_free(net);
        }
        double sd, m_ep, m_fl, m_fa;
        nn_mean_std(mo_ep, S, &m_ep, &sd), nn_mean_std(fl, S, &m_fl, &sd), nn_mean_std(fa, S, &m_fa, &sd);
        cJSON *c = cJSON_AddObjectToObject(curves, "maxout");
        cJSON_AddItemToObject(c, "train_loss", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, train_loss)));
        cJSON_AddItemToObject(c, "test_acc", nn_exp_history_mean_std(h, S, offsetof(nn_epoch, test_acc)));
        nn_exp_row(table, "snnnn", nn_exp_str(&e, "maxout (%d pieces)", MK), m_ep, m_fl, m_fa, NAN);
        nn_exp_say(&e, "maxout (%d pieces) epochs to loss %g: %.2f, final loss %.4f, test %.2f %%", MK, s.target_loss, m_ep, m_fl, m_fa);
        for (int r = 0; r < S; r++) nn_history_free(&h[r]);
        free(h);
    }
    double *mdiff = nn_exp_vec(&e);
    for (int r = 0; r < S && reach_seed[1]; r++) mdiff[r] = mo_ep[r] - reach_seed[1][r];
    nn_claim cm = {.kind = NN_LECTURE, .id = "maxout-faster-than-sigmoid",
                   .statement = nn_exp_str(&e, "Max-out, the other alternative to the sigmoid, reaches a training loss of %g in "
                                               "fewer epochs than sigmoid (each hidden unit the largest of %d linear pieces; same "
                                               "widths, init and rate)", s.target_loss, MK),
                   .source = "seed 003:160; Goodfellow et al. 2013",
                   .quantity = "epochs to the target loss, max-out minus sigmoid, same seed (not reached = epochs + 1)", .op = "<",
                   .threshold = 0,
                   .unmeasured = MK <= 0 ? "maxout_pieces is 0: no max-out net"
                                         : reach_seed[1] ? NULL : "'activations' does not list sigmoid"};
    if (MK > 0) { /* the skeptic: max-out has MK times the first layer's weights; the control: the parameter counts */
        double sig_params = 0;
        for (int l = 0, in = base.n_input; l <= base.n_hidden; l++) {
            const int out = l < base.n_hidden ? base.hidden[l] : base.n_output;
            sig_params += (double)in * out + out, in = out;
        }
        nn_claim_control(&cm, "max-out has more parameters than the sigmoid net",
                         "parameters of the max-out net over the sigmoid net's, relative excess", mo_params / sig_params - 1, "<=",
                         0.1);
    }
    nn_exp_claim_seeds(&e, &cm, mdiff);

    /* the control: the sigmoid net at its own best rate of sigmoid_rates (and the shared rate); a rate is
     * better when its mean epochs to the target is lower */
    double *sig_best = NULL, sig_best_rate = s.net.lr, relu_vs_best = NAN;
    if (reach_seed[0] && reach_seed[1]) {
        sig_best = nn_exp_vec(&e);
        memcpy(sig_best, reach_seed[1], (size_t)S * sizeof(double));
        nn_mlp_spec sp = base;
        for (int l = 0; l < sp.n_hidden; l++) sp.act[l] = NN_SIGMOID;
        cJSON *sw = cJSON_AddArrayToObject(e.summary, "sigmoid_rates");
        for (int k = 0; k < s.n_sigmoid_rates; k++) {
            nn_optim o = opt;
            o.lr = s.sigmoid_rates[k];
            nn_train_cfg tc = {.epochs = E, .batch = s.net.batch, .eval_train = 1};
            nn_history *h = nn_exp_alloc(&e, (size_t)S, sizeof *h);
            if (nn_exp_train_seeds(&e, "sigmoid_rates", nn_exp_str(&e, "sigmoid at η = %g", o.lr), &sp, &o, tc, h))
                return nn_exp_fail(&e, 2, "%s", nn_error());
            double *ep = nn_exp_vec(&e), m, sd;
            for (int r = 0; r < S; r++) {
                ep[r] = E + 1;
                for (int i = 0; i < h[r].n_epochs; i++)
                    if (h[r].ep[i].train_loss <= s.target_loss) {
                        ep[r] = i + 1;
                        break;
                    }
            }
            nn_mean_std(ep, S, &m, &sd);
            if (nn_exp_keep_best(&e, sig_best, ep, 0)) sig_best_rate = o.lr;
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToObject(x, "lr", nn_json_num(o.lr));
            cJSON_AddItemToObject(x, "epochs_to_target", nn_json_series(ep, S));
            cJSON_AddItemToArray(sw, x);
            double m_fl, m_fa;
            nn_mean_std(nn_exp_final_vec(&e, h, offsetof(nn_epoch, train_loss), 1), S, &m_fl, &sd);
            nn_mean_std(nn_exp_final_vec(&e, h, offsetof(nn_epoch, test_acc), 100), S, &m_fa, &sd);
            nn_exp_row(table, "snnnn", nn_exp_str(&e, "sigmoid at η = %g", o.lr), m, m_fl, m_fa, NAN);
            nn_exp_say(&e, "sigmoid at η = %g: epochs to loss %g: %.2f", o.lr, s.target_loss, m);
            for (int r = 0; r < S; r++) nn_history_free(&h[r]);
        }
        cJSON_AddItemToObject(e.summary, "sigmoid_best_lr", nn_json_num(sig_best_rate));
        if (s.n_sigmoid_rates) { /* no sweep: the control is not measured (NaN) */
            double *d = nn_exp_vec(&e);
            for (int r = 0; r < S; r++) d[r] = reach_seed[0][r] - sig_best[r];
            relu_vs_best = nn_exp_worst_high(&e, d);
        }
    }

    char st[200];
    snprintf(st, sizeof st, "ReLU reaches a training loss of %g in fewer epochs than sigmoid (on the same net, init and rate)",
             s.target_loss);
    double *diff = nn_exp_vec(&e);
    for (int r = 0; r < S && reach_seed[0] && reach_seed[1]; r++) diff[r] = reach_seed[0][r] - reach_seed[1][r];
    nn_claim c = {.kind = NN_LECTURE, .id = "relu-faster-than-sigmoid", .statement = st, .source = "seed 004 (ReLU learns faster than sigmoid)",
                  .quantity = "epochs to the target loss, ReLU minus sigmoid, same seed (not reached = epochs + 1)", .op = "<",
                  .threshold = 0,
                  .unmeasured = reach_seed[0] && reach_seed[1] ? NULL : "'activations' does not list both relu and sigmoid"};
    nn_claim_control(&c, "the shared rate suits ReLU and not the sigmoid",
                     nn_exp_str(&e, "epochs to the target, ReLU at η = %g minus sigmoid at its best rate of η = %g%s%s (η = %g), "
                                    "largest over seeds", s.net.lr, s.net.lr, s.n_sigmoid_rates ? ", " : "",
                                nn_exp_reals(&e, s.sigmoid_rates, s.n_sigmoid_rates), sig_best_rate),
                     relu_vs_best, "<", 0);
    nn_exp_claim_seeds(&e, &c, diff);
    nn_claim cd = {.kind = NN_LECTURE, .id = "relu-units-die",
                   .statement = nn_exp_str(&e, "ReLU units die in training: after %d epochs more hidden units of the ReLU net "
                                               "output 0 on every one of %d training images than at initialization", E, probe.n),
                   .source = "seed 001 (ReLU units can die); seed 003",
                   .quantity = "hidden ReLU units that are 0 on every probe image, after training − at initialization "
                               "(points of %)", .op = ">", .threshold = 0,
                   .rule_note = "A unit is dead when its output is 0 for every image of the probe set (the first 'probe' "
                                "training images) in evaluation mode. Units dead at initialization were not killed by "
                                "training, hence the difference; a diverged run gives no measurement.",
                   .unmeasured = relu_dead ? NULL : "'activations' does not list relu",
                   .not_comparative = "a change within one net (dead units after training minus at initialization)"};
    nn_exp_claim_seeds(&e, &cd, relu_dead);
    (void)reach;
    return nn_exp_finish(&e);
}
