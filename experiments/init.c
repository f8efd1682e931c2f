/* init — how the initial weights decide whether signals survive a deep net (seeds 000, 002, 003, 004).
 *
 * A deep net (6 hidden layers of 100 units) with tanh, sigmoid or ReLU, initialized by
 * each scheme: zero, constant, N(0, 0.01²), N(0, 1), N(0, 1/n_in), U(±1/√n_in), Glorot
 * normal and uniform, He. At initialization, on a batch of training images: each hidden
 * layer's activation std (the forward signal), the std of ∂C/∂a_l (the backward signal)
 * and the saturated fraction. After training: test accuracy, and a symmetry measure — the
 * largest difference between two hidden units' incoming weights and biases in any layer,
 * max over inputs k of (max_i W_ik − min_i W_ik) — which is 0 when every unit of a layer
 * is identical: zero and constant init never break that symmetry.
 *
 * Settings: experiments/init.json (every key: bin/init --help). A scheme is NAME or
 * NAME:SCALE (σ for normal, r for uniform, c for const, a gain otherwise).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

typedef struct settings {
    nn_exp_common common;
    nn_netcfg net;
    char acts[4][NN_STR];
    int n_acts;
    char schemes[16][NN_STR];
    int n_schemes;
    int probe;          /* images in the at-init measurement */
    double imbalance;   /* class frequency ratio, first class to last, of the output-bias lesson */
    char sym_schemes[2][NN_STR]; /* the symmetry lesson: a small and a larger init of a one-layer tanh net */
    char bias_alt[NN_STR];       /* the bias lesson: a nonzero constant bias to set against zero biases */
    int og_width, og_n, og_epochs; /* optimization against generalization: a wide one-layer ReLU net on few images */
    double og_lr, og_scale;
    double og_rates[8]; /* the control: both inits again at these rates (each at its own best rate) */
    int n_og_rates;
    int n_sym;
} settings;

static int parse_scheme(const char *text, nn_init *out)
{
    char name[NN_STR];
    snprintf(name, sizeof name, "%s", text);
    char *colon = strchr(name, ':');
    double scale = 1;
    if (colon) {
        *colon = '\0';
        char *end;
        scale = strtod(colon + 1, &end);
        if (end == colon + 1 || *end || !(scale >= 0) || scale > 1e6)
            return nn_fail("'schemes': '%s' has a bad scale (NAME:SCALE, SCALE a number ≥ 0)", text);
    }
    nn_init_kind k;
    if (nn_init_parse(name, &k)) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", nn_error());
        return nn_fail("'schemes': %s", msg);
    }
    if (!colon && (k == NN_INIT_CONST || k == NN_INIT_NORMAL || k == NN_INIT_UNIFORM))
        return nn_fail("'schemes': '%s' needs a scale, e.g. %s:0.01", text, name);
    *out = (nn_init){k, scale};
    return 0;
}

/* How far a layer's units are from identical: max over inputs k of (max_i W_ik − min_i W_ik)
 * (and the same for the biases), divided by the layer's largest |weight| so the figure is
 * read against float resolution (ε = 1.2e-7); the max over hidden layers. 0 when every
 * unit of every layer has the same incoming weights. */
static double symmetry(const nn_net *net)
{
    double worst = 0;
    nn_mlp_layout blocks;
    nn_mlp_layout_of(net, &blocks);
    for (int l = 0; l < blocks.n_hidden; l++) {
        const nn_layer *L = &net->layers[blocks.dense[l]];
        double spread = 0, scale = 0;
        for (int k = 0; k < L->n_in; k++) {
            double lo = INFINITY, hi = -INFINITY;
            for (int i = 0; i < L->n; i++) {
                double w = L->W[i * L->n_in + k];
                lo = fmin(lo, w), hi = fmax(hi, w), scale = fmax(scale, fabs(w));
            }
            spread = fmax(spread, hi - lo);
        }
        if (L->b) {
            double lo = INFINITY, hi = -INFINITY;
            for (int i = 0; i < L->n; i++) lo = fmin(lo, L->b[i]), hi = fmax(hi, L->b[i]), scale = fmax(scale, fabs(L->b[i]));
            spread = fmax(spread, hi - lo);
        }
        worst = fmax(worst, scale > 0 ? spread / scale : 0);
    }
    return worst;
}

/* Standard deviation in two passes: a layer of identical values gives exactly 0 (the one-pass
 * E[x²] − E[x]² formula cancels catastrophically and reported 1.5e-6 there). */
static double std_of(const nn_real *v, long n)
{
    double s = 0, s2 = 0;
    for (long i = 0; i < n; i++) s += v[i];
    double m = s / n;
    for (long i = 0; i < n; i++) s2 += (v[i] - m) * (v[i] - m);
    return sqrt(s2 / n);
}

/* Share of a dense layer's units whose incoming weight vector is nearly parallel to another unit's,
 * |cos| > 0.95: units that compute (nearly) the same feature. */
static double redundant_share(const nn_layer *L)
{
    const int n = L->n, m = L->n_in;
    double *norm = calloc((size_t)n, sizeof *norm);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < m; k++) norm[i] += (double)L->W[(size_t)i * m + k] * L->W[(size_t)i * m + k];
        norm[i] = sqrt(norm[i]);
    }
    int dup = 0;
    for (int i = 0; i < n; i++) {
        int d = 0;
        for (int j = 0; j < n && !d; j++) {
            if (j == i || norm[i] == 0 || norm[j] == 0) continue;
            double c = 0;
            for (int k = 0; k < m; k++) c += (double)L->W[(size_t)i * m + k] * L->W[(size_t)j * m + k];
            d = fabs(c) / (norm[i] * norm[j]) > 0.95;
        }
        dup += d;
    }
    free(norm);
    return (double)dup / n;
}

/* Mean training loss at init over an imbalanced subset `idx` (n rows) of the training set, with the output
 * bias at 0 (marg = 0) or at the log of each class's frequency in the subset (marg = 1: softmax of the
 * biases alone gives the marginal). */
static double loss_at_init(const nn_mlp_spec *sp, const nn_dataset *tr, const int *idx, int n, const double *logp, int marg,
                           uint64_t seed, nn_real *X, int *y)
{
    nn_net *net = nn_exp_build(sp, n, seed);
    nn_mlp_layout lo;
    nn_mlp_layout_of(net, &lo);
    nn_layer *out = &net->layers[lo.out_dense];
    for (int k = 0; k < out->n; k++) out->b[k] = (nn_real)(marg ? logp[k] : 0);
    for (int i = 0; i < n; i++) memcpy(X + (size_t)i * tr->d, tr->X + (size_t)idx[i] * tr->d, (size_t)tr->d * sizeof *X), y[i] = tr->y[idx[i]];
    nn_net_forward(net, X, n, NN_EVAL);
    nn_net_set_labels(net, y, n);
    double loss = nn_net_loss(net, net->Y, 0);
    nn_net_free(net);
    return loss;
}

/* network keys the program sets itself */
static const nn_cfg_refusal not_honoured[] = {{"activation", "the 'activations' list sets each net's hidden activation"}, {"init", "the 'schemes' list sets the weight init of each run"}, {"init_scale", "the 'schemes' list carries the scale (e.g. normal:0.01)"}, {NULL, NULL}};

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    n += nn_netcfg_fields_except(&s->net, f + n, not_honoured, r, n_r);
    f[n++] = (nn_cfg_field){"activations", NN_CFG_STR_LIST, s->acts, 0, 0, nn_act_hidden_names, &s->n_acts, 4, 1,
                            "hidden activations to compare (one panel each)"};
    f[n++] = (nn_cfg_field){"schemes", NN_CFG_STR_LIST, s->schemes, 0, 0, NULL, &s->n_schemes, 16, 1,
                            "init schemes NAME or NAME:SCALE (see lib/nn_init.h)"};
    f[n++] = (nn_cfg_field){"probe", NN_CFG_INT, &s->probe, 2, 100000, NULL, NULL, 0, 0, "images for the at-init statistics"};
    f[n++] = (nn_cfg_field){"imbalance", NN_CFG_REAL, &s->imbalance, 1, 1000, NULL, NULL, 0, 0,
                            "output-bias lesson: the first class is this many times as frequent as the last (1 = balanced)"};
    f[n++] = (nn_cfg_field){"bias_alternative", NN_CFG_STR, s->bias_alt, 0, 0, NULL, NULL, 0, 0,
                            "bias lesson: a bias scheme (NAME:SCALE) set against zero biases for each random tanh scheme"};
    f[n++] = (nn_cfg_field){"og_width", NN_CFG_INT, &s->og_width, 1, 100000, NULL, NULL, 0, 0,
                            "optimization vs generalization: hidden ReLU units of the one-layer net"};
    f[n++] = (nn_cfg_field){"og_n", NN_CFG_INT, &s->og_n, 10, 1000000, NULL, NULL, 0, 0, "… its training images (the first ones)"};
    f[n++] = (nn_cfg_field){"og_epochs", NN_CFG_INT, &s->og_epochs, 1, 10000, NULL, NULL, 0, 0, "… its epochs"};
    f[n++] = (nn_cfg_field){"og_lr", NN_CFG_REAL, &s->og_lr, 1e-8, 10, NULL, NULL, 0, 0, "… its learning rate (SGD)"};
    f[n++] = (nn_cfg_field){"og_scale", NN_CFG_REAL, &s->og_scale, 1e-3, 1000, NULL, NULL, 0, 0,
                            "… the larger init: He's standard deviation times this"};
    f[n++] = (nn_cfg_field){"og_rates", NN_CFG_REAL_LIST, s->og_rates, 1e-8, 10, NULL, &s->n_og_rates, 8, 0,
                            "… the control: both inits again at these rates (each at its own best rate)"};
    f[n++] = (nn_cfg_field){"symmetry_schemes", NN_CFG_STR_LIST, s->sym_schemes, 0, 0, NULL, &s->n_sym, 2, 2,
                            "symmetry lesson: a small and a larger init (NAME or NAME:SCALE) of a one-hidden-layer tanh net"};
    return n;
}

static const nn_exp_def def = {"init", "Forward and backward signal of a deep net at init, per scheme; accuracy and symmetry after training.", NN_EXP_BUILTIN_CONFIG, sizeof(settings), fields};

int main(int argc, char **argv)
{
    settings s = {0};
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc >= 0) return rc;
    nn_init sch[16], sym_sch[2], bias_alt;
    if (parse_scheme(s.bias_alt, &bias_alt)) return nn_exp_fail(&e, 2, "bias_alternative: %s", nn_error());
    for (int i = 0; i < 2; i++)
        if (parse_scheme(s.sym_schemes[i], &sym_sch[i])) return nn_exp_fail(&e, 2, "%s", nn_error());
    for (int i = 0; i < s.n_schemes; i++)
        if (parse_scheme(s.schemes[i], &sch[i]))
            return nn_exp_fail(&e, 2, "%s", nn_error());
    if ((rc = nn_exp_load_data(&e))) return rc;
    const nn_dataset *train = &e.data.train, *test = &e.data.test;
    nn_optim opt;
    nn_mlp_spec base;
    if ((rc = nn_exp_netcfg(&e, &s.net, &base, &opt))) return rc;
    const int S = s.common.seeds, K = base.n_hidden, P = nn_min_i(s.probe, train->n);
    cJSON *names = cJSON_AddArrayToObject(e.summary, "schemes");
    for (int i = 0; i < s.n_schemes; i++) cJSON_AddItemToArray(names, cJSON_CreateString(s.schemes[i]));
    cJSON *at_init = cJSON_AddObjectToObject(e.summary, "at_init");
    cJSON *acc_all = cJSON_AddObjectToObject(e.summary, "test_acc");
    cJSON *sym_all = cJSON_AddObjectToObject(e.summary, "symmetry");
    /* per seed: the claims' measurements */
    double *sym_zero_const = nn_exp_vec(&e), *sym_random = nn_exp_vec(&e), *tanh_small_ratio = nn_exp_vec(&e),
           *tanh_glorot_spread = nn_exp_vec(&e), *relu_he_spread = nn_exp_vec(&e);
    int have_zc = 0, have_tsmall = 0, have_tglorot = 0, have_rhe = 0;
    /* the further lessons' measurements (tanh unless named) */
    double *zero_out = nn_exp_vec(&e), *rand_out = nn_exp_vec(&e), *fanin_factor = nn_exp_vec(&e),
           *tanh_glorot_gspread = nn_exp_vec(&e), *acc_gn = NULL, *acc_gu = NULL, *acc_uf = NULL, *acc_small = NULL;
    int have_zero = 0, have_fanin = 0;
    /* per seed: random tanh schemes, and those where zero biases end no worse than bias_alternative (within resolution) */
    double *bias_schemes = nn_exp_vec(&e), *bias_ok = nn_exp_vec(&e);
    const double bias_res = nn_exp_resolution_pct(&e, 90);
    char cap[200];
    snprintf(cap, sizeof cap, "Per activation and scheme: activation std of hidden layer 1 and %d at init, test accuracy after %d "
             "epochs, symmetry (mean over %d seeds)", K, s.net.epochs, S);
    const char *cols[] = {"activation", "scheme", "act std, layer 1", "act std, last layer", "test accuracy (%)", "symmetry"};
    cJSON *rows = nn_exp_table(&e, cap, 6, cols);
    for (int a = 0; a < s.n_acts; a++) {
        nn_act act;
        nn_act_parse(s.acts[a], &act);
        cJSON *ai = cJSON_AddArrayToObject(at_init, s.acts[a]);
        double accm[16], accs[16], symm[16];
        for (int si = 0; si < s.n_schemes; si++) {
            nn_mlp_spec sp = base;
            for (int l = 0; l < K; l++) sp.act[l] = act;
            sp.w_init = sch[si];
            double *astd[NN_MAX_HIDDEN], *gstd[NN_MAX_HIDDEN], *sat[NN_MAX_HIDDEN], *acc = nn_exp_vec(&e), *sym = nn_exp_vec(&e);
            for (int l = 0; l < K; l++) astd[l] = nn_exp_vec(&e), gstd[l] = nn_exp_vec(&e), sat[l] = nn_exp_vec(&e);
            for (int r = 0; r < S; r++) {
                uint64_t seed = e.seeds[r];
                /* at init: forward and backward on P images */
                nn_net *probe = nn_exp_build(&sp, P, seed);
                nn_net_forward(probe, train->X, P, NN_TRAIN);
                nn_net_set_labels(probe, train->y, P);
                nn_net_loss(probe, probe->Y, 1);
                nn_net_zero_grad(probe);
                nn_net_backward(probe);
                nn_mlp_layout lo;
                nn_mlp_layout_of(probe, &lo);
                /* zero init: the same output for every image (max over classes of the spread over images) */
                const nn_real *yo = nn_net_output_values(probe);
                int n_out = nn_net_n_out(probe);
                double ospread = 0;
                for (int k = 0; k < n_out; k++) {
                    double lo_ = INFINITY, hi_ = -INFINITY;
                    for (int i = 0; i < P; i++) lo_ = fmin(lo_, yo[(size_t)i * n_out + k]), hi_ = fmax(hi_, yo[(size_t)i * n_out + k]);
                    ospread = fmax(ospread, hi_ - lo_);
                }
                if (sch[si].kind == NN_INIT_ZERO) zero_out[r] = fmax(isnan(zero_out[r]) ? 0 : zero_out[r], ospread), have_zero = 1;
                else if (sch[si].kind != NN_INIT_CONST)
                    rand_out[r] = fmax(isnan(rand_out[r]) ? 0 : rand_out[r], ospread);
                /* N(0, 1/n_in): each layer's pre-activation second moment against its input's, E[z²] / E[a²] */
                if (sch[si].kind == NN_INIT_NORMAL_FANIN && sch[si].scale == 1) {
                    double worst = isnan(fanin_factor[r]) ? 1 : fanin_factor[r];
                    for (int l = 0; l < K; l++) {
                        const nn_layer *D = &probe->layers[lo.dense[l]];
                        const nn_real *in = l == 0 ? train->X : probe->layers[lo.act[l - 1]].out;
                        double zz = 0, aa = 0;
                        for (long i = 0; i < (long)P * D->n; i++) zz += (double)D->out[i] * D->out[i];
                        for (long i = 0; i < (long)P * D->n_in; i++) aa += (double)in[i] * in[i];
                        double ratio = (zz / D->n) / (aa / D->n_in);
                        worst = fmax(worst, fmax(ratio, 1 / ratio));
                    }
                    fanin_factor[r] = worst, have_fanin = 1;
                }
                for (int l = 0; l < K; l++) {
                    const nn_layer *L = &probe->layers[lo.act[l]];
                    long cnt = (long)P * L->n;
                    astd[l][r] = std_of(L->out, cnt);
                    gstd[l][r] = std_of(L->dout, cnt);
                    double sc = 0;
                    for (long i = 0; i < cnt; i++) sc += nn_act_saturated(act, L->out[i]);
                    sat[l][r] = sc / cnt;
                }
                nn_net_free(probe);
                /* training */
                char label[96];
                snprintf(label, sizeof label, "%s %s seed %llu", s.acts[a], s.schemes[si], (unsigned long long)seed);
                nn_net *net = nn_exp_build(&sp, s.net.batch, seed);
                nn_optim o = opt;
                o.v = NULL;
                nn_optim_init(&o, net);
                nn_train_cfg tc = {.epochs = s.net.epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
                nn_history h;
                nn_exp_train(net, &o, train, test, &tc, &h);
                acc[r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
                if (h.diverged)
                    nn_exp_say(&e, "%s: diverged (%s became NaN/Inf at epoch %d, step %ld)", label, h.div_what, h.div_epoch,
                               h.div_step);
                sym[r] = symmetry(net);

                snprintf(label, sizeof label, "%s-%s", s.acts[a], s.schemes[si]);
                cJSON *run = nn_exp_add_run(&e, s.acts[a], label, seed, &h);
                cJSON_AddStringToObject(run, "scheme", s.schemes[si]);
                cJSON_AddItemToObject(run, "symmetry", nn_json_num(sym[r]));
                nn_history_free(&h);
                nn_optim_free(&o);
                nn_net_free(net);
            }
            double am[NN_MAX_HIDDEN], gm[NN_MAX_HIDDEN], sm[NN_MAX_HIDDEN], dummy, symsd;
            for (int l = 0; l < K; l++) {
                nn_mean_std(astd[l], S, &am[l], &dummy);
                nn_mean_std(gstd[l], S, &gm[l], &dummy);
                nn_mean_std(sat[l], S, &sm[l], &dummy);
            }
            nn_mean_std(acc, S, &accm[si], &accs[si]);
            nn_mean_std(sym, S, &symm[si], &symsd);
            double worst_sym = 0;
            for (int r = 0; r < S; r++) worst_sym = fmax(worst_sym, sym[r]);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "scheme", s.schemes[si]);
            cJSON_AddItemToObject(o, "act_std", nn_json_series(am, K));
            cJSON_AddItemToObject(o, "grad_std", nn_json_series(gm, K));
            cJSON_AddItemToObject(o, "saturated", nn_json_series(sm, K));
            cJSON_AddItemToArray(ai, o);
            nn_exp_say(&e, "%-7s %-14s act std layer 1 → %d: %.3g → %.3g, test %.2f %%, symmetry %.3g", s.acts[a],
                       s.schemes[si], K, am[0], am[K - 1], accm[si], symm[si]);
            nn_exp_row(rows, "ssnnnn", s.acts[a], s.schemes[si], am[0], am[K - 1], accm[si], symm[si]);
            for (int r = 0; r < S; r++) {
                if (sch[si].kind == NN_INIT_ZERO || sch[si].kind == NN_INIT_CONST)
                    sym_zero_const[r] = fmax(isnan(sym_zero_const[r]) ? 0 : sym_zero_const[r], sym[r]), have_zc = 1;
                else
                    sym_random[r] = fmin(isnan(sym_random[r]) ? INFINITY : sym_random[r], sym[r]);
                double lo = INFINITY, hi = 0;
                for (int l = 0; l < K; l++) lo = fmin(lo, astd[l][r]), hi = fmax(hi, astd[l][r]);
                if (act == NN_TANH && sch[si].kind == NN_INIT_NORMAL && sch[si].scale == 0.01)
                    tanh_small_ratio[r] = astd[0][r] / astd[K - 1][r];
                if (act == NN_TANH && sch[si].kind == NN_INIT_GLOROT_NORMAL && sch[si].scale == 1) {
                    tanh_glorot_spread[r] = hi / lo;
                    double glo = INFINITY, ghi = 0;
                    for (int l = 0; l < K; l++) glo = fmin(glo, gstd[l][r]), ghi = fmax(ghi, gstd[l][r]);
                    tanh_glorot_gspread[r] = ghi / glo;
                }
                if (act == NN_RELU && sch[si].kind == NN_INIT_HE_NORMAL && sch[si].scale == 1) relu_he_spread[r] = hi / lo;
            }
            if (act == NN_TANH && sch[si].kind != NN_INIT_ZERO && sch[si].kind != NN_INIT_CONST) {
                /* the same tanh net with the alternative biases */
                for (int r = 0; r < S; r++) {
                    uint64_t seed = e.seeds[r];
                    nn_mlp_spec sb = sp;
                    sb.b_init = bias_alt;
                    nn_net *net = nn_exp_build(&sb, s.net.batch, seed);
                    nn_optim ob = opt;
                    ob.v = NULL;
                    nn_optim_init(&ob, net);
                    char label[96];
                    snprintf(label, sizeof label, "tanh %s biases %s seed %llu", s.schemes[si], s.bias_alt, (unsigned long long)seed);
                    nn_train_cfg tc = {.epochs = s.net.epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
                    nn_history h;
                    nn_exp_train(net, &ob, train, test, &tc, &h);
                    double alt = h.diverged ? nn_exp_chance_pct(&e) : 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
                    double zero_acc = isnan(acc[r]) ? nn_exp_chance_pct(&e) : acc[r];
                    /* two nets at chance tie, which says nothing about the biases: such a scheme is not counted */
                    const int informative = fmax(zero_acc, alt) > nn_exp_chance_pct(&e) + NN_EXP_TRAINED_MARGIN;
                    bias_schemes[r] = (isnan(bias_schemes[r]) ? 0 : bias_schemes[r]) + informative;
                    bias_ok[r] = (isnan(bias_ok[r]) ? 0 : bias_ok[r]) + (informative && zero_acc >= alt - bias_res);
                    snprintf(label, sizeof label, "tanh-%s-bias-%s", s.schemes[si], s.bias_alt);
                    cJSON *run = nn_exp_add_run(&e, "bias", label, seed, &h);
                    cJSON_AddStringToObject(run, "scheme", s.schemes[si]);
                    cJSON_AddItemToObject(run, "zero_bias_test_acc", nn_json_num(zero_acc));
                    nn_history_free(&h);
                    nn_optim_free(&ob);
                    nn_net_free(net);
                }
            }
            if (act == NN_TANH && sch[si].kind == NN_INIT_NORMAL && sch[si].scale == 0.01) have_tsmall = 1, acc_small = acc;
            if (act == NN_TANH && sch[si].scale == 1) {
                if (sch[si].kind == NN_INIT_GLOROT_NORMAL) acc_gn = acc;
                if (sch[si].kind == NN_INIT_GLOROT_UNIFORM) acc_gu = acc;
                if (sch[si].kind == NN_INIT_UNIFORM_FANIN) acc_uf = acc;
            }
            if (act == NN_TANH && sch[si].kind == NN_INIT_GLOROT_NORMAL && sch[si].scale == 1) have_tglorot = 1;
            if (act == NN_RELU && sch[si].kind == NN_INIT_HE_NORMAL && sch[si].scale == 1) have_rhe = 1;
        }
        cJSON *ac = cJSON_AddObjectToObject(acc_all, s.acts[a]);
        cJSON_AddItemToObject(ac, "mean", nn_json_series(accm, s.n_schemes));
        cJSON_AddItemToObject(ac, "std", nn_json_series(accs, s.n_schemes));
        cJSON_AddItemToObject(sym_all, s.acts[a], nn_json_series(symm, s.n_schemes));
    }
    /* the output bias from the classes' marginal (seed 002): an imbalanced subset of the training set, class k
     * kept at frequency ∝ imbalance^(−k/(K−1)); tanh net with N(0, 0.01²) weights (small, as the seed assumes) */
    double *loss_zero = nn_exp_vec(&e), *loss_marg = nn_exp_vec(&e), entropy = 0;
    {
        const int C = train->n_classes;
        int *cnt = calloc((size_t)C, sizeof *cnt), *keep = calloc((size_t)C, sizeof *keep), *idx = malloc((size_t)train->n * sizeof *idx);
        for (int i = 0; i < train->n; i++) cnt[train->y[i]]++;
        int least = train->n;
        for (int k = 0; k < C; k++) least = nn_min_i(least, cnt[k]);
        for (int k = 0; k < C; k++) keep[k] = (int)fmax(1, floor(least * pow(s.imbalance, -(double)k / nn_max_i(1, C - 1)))), cnt[k] = 0;
        int m = 0;
        for (int i = 0; i < train->n; i++)
            if (cnt[train->y[i]] < keep[train->y[i]]) cnt[train->y[i]]++, idx[m++] = i;
        double *logp = calloc((size_t)C, sizeof *logp);
        for (int k = 0; k < C; k++) {
            double p = (double)cnt[k] / m;
            logp[k] = p > 0 ? log(p) : -30;
            if (p > 0) entropy -= p * log(p);
        }
        nn_mlp_spec sp = base;
        for (int l = 0; l < K; l++) sp.act[l] = NN_TANH;
        sp.w_init = (nn_init){NN_INIT_NORMAL, 0.01};
        nn_real *X = malloc((size_t)m * train->d * sizeof *X);
        int *y = malloc((size_t)m * sizeof *y);
        for (int r = 0; r < S; r++) {
            uint64_t seed = e.seeds[r];
            loss_zero[r] = loss_at_init(&sp, train, idx, m, logp, 0, seed, X, y);
            loss_marg[r] = loss_at_init(&sp, train, idx, m, logp, 1, seed, X, y);
        }
        cJSON *ob = cJSON_AddObjectToObject(e.summary, "output_bias");
        cJSON_AddNumberToObject(ob, "images", m);
        cJSON_AddItemToObject(ob, "per_class", cJSON_CreateIntArray(cnt, C));
        cJSON_AddItemToObject(ob, "label_entropy", nn_json_num(entropy));
        cJSON_AddItemToObject(ob, "log_classes", nn_json_num(log(C)));
        cJSON_AddItemToObject(ob, "loss_zero_bias", nn_json_series(loss_zero, S));
        cJSON_AddItemToObject(ob, "loss_marginal_bias", nn_json_series(loss_marg, S));
        nn_exp_say(&e, "output bias on %d images (imbalance %g): loss at init %.4f with zero bias, %.4f with the marginal's "
                       "log (label entropy %.4f)", m, s.imbalance, loss_zero[0], loss_marg[0], entropy);
        free(cnt), free(keep), free(idx), free(logp), free(X), free(y);
    }
    /* symmetry breaking (seed 002): one hidden layer of tanh units (the first of 'hidden'), trained from each of the two
     * symmetry schemes; the share of its units whose weight vector is nearly parallel to another's */
    double *red_small = nn_exp_vec(&e), *red_large = nn_exp_vec(&e), *red_acc[2] = {nn_exp_vec(&e), nn_exp_vec(&e)};
    for (int k = 0; k < 2; k++)
        for (int r = 0; r < S; r++) {
            nn_mlp_spec sp = base;
            sp.n_hidden = 1, sp.act[0] = NN_TANH, sp.w_init = sym_sch[k];
            uint64_t seed = e.seeds[r];
            nn_net *net = nn_exp_build(&sp, s.net.batch, seed);
            nn_optim o = opt;
            o.v = NULL;
            nn_optim_init(&o, net);
            char label[96];
            snprintf(label, sizeof label, "one-layer tanh %s seed %llu", s.sym_schemes[k], (unsigned long long)seed);
            nn_train_cfg tc = {.epochs = s.net.epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
            nn_history h;
            nn_exp_train(net, &o, train, test, &tc, &h);
            nn_mlp_layout lo;
            nn_mlp_layout_of(net, &lo);
            double share = h.diverged ? NAN : redundant_share(&net->layers[lo.dense[0]]);
            (k ? red_large : red_small)[r] = share;
            red_acc[k][r] = 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc));
            snprintf(label, sizeof label, "symmetry-%s", s.sym_schemes[k]);
            cJSON *run = nn_exp_add_run(&e, "symmetry", label, seed, &h);
            cJSON_AddStringToObject(run, "scheme", s.sym_schemes[k]);
            cJSON_AddItemToObject(run, "redundant_share", nn_json_num(share));
            nn_history_free(&h);
            nn_optim_free(&o);
            nn_net_free(net);
        }
    {
        double m0, m1, sd;
        nn_mean_std(red_small, S, &m0, &sd);
        nn_mean_std(red_large, S, &m1, &sd);
        nn_exp_say(&e, "one-layer tanh: redundant units %.1f %% from %s, %.1f %% from %s", 100 * m0, s.sym_schemes[0], 100 * m1,
                   s.sym_schemes[1]);
    }
    /* an initialization can help optimization and hurt generalization (seed 002:36): He's init and og_scale × He's
     * in a wide one-layer ReLU net on og_n images; the training loss of the last epoch and the test accuracy */
    double *og_loss[2] = {nn_exp_vec(&e), nn_exp_vec(&e)}, *og_acc[2] = {nn_exp_vec(&e), nn_exp_vec(&e)};
    double *og_best[2] = {nn_exp_vec(&e), nn_exp_vec(&e)}, og_best_lr[2] = {s.og_lr, s.og_lr}, og_vs_best = NAN;
    {
        nn_dataset few = *train;
        few.n = nn_min_i(train->n, s.og_n);
        cJSON *sweep = cJSON_AddArrayToObject(e.summary, "optimization_rate_sweep");
        for (int q = 0; q <= s.n_og_rates; q++) /* q = 0: og_lr, the claims' rate; then the control's rates */
            for (int k = 0; k < 2; k++) {
                const double lr = q ? s.og_rates[q - 1] : s.og_lr;
                double *loss = q ? nn_exp_vec(&e) : og_loss[k], *acc = q ? nn_exp_vec(&e) : og_acc[k];
                for (int r = 0; r < S; r++) {
                    uint64_t seed = e.seeds[r];
                    nn_mlp_spec sp = base;
                    sp.n_hidden = 1, sp.hidden[0] = s.og_width, sp.act[0] = NN_RELU;
                    sp.w_init = (nn_init){NN_INIT_HE_NORMAL, k ? s.og_scale : 1.0};
                    nn_net *net = nn_exp_build(&sp, s.net.batch, seed);
                    nn_optim og = {.kind = NN_OPT_SGD, .lr = lr};
                    nn_optim_init(&og, net);
                    char label[128];
                    snprintf(label, sizeof label, "one-layer ReLU, He ×%g, %d images, η = %g, seed %llu", k ? s.og_scale : 1.0,
                             few.n, lr, (unsigned long long)seed);
                    nn_train_cfg tc = {.epochs = s.og_epochs, .batch = s.net.batch, .seed = seed, .label = label, .progress = 1};
                    nn_history h;
                    nn_exp_train(net, &og, &few, NULL, &tc, &h);
                    double tl = NAN, ta = NAN;
                    if (!h.diverged) nn_evaluate(net, test, 0, NN_EVAL, &tl, &ta);
                    loss[r] = nn_exp_final(&h, offsetof(nn_epoch, train_loss));
                    acc[r] = 100 * ta;
                    if (q == 0) snprintf(label, sizeof label, "optgen-he-x%g", k ? s.og_scale : 1.0);
                    else snprintf(label, sizeof label, "optgen-he-x%g-lr%g", k ? s.og_scale : 1.0, lr);
                    cJSON *run = nn_exp_add_run(&e, q ? "optimization_rate_sweep" : "optimization_generalization", label, seed, &h);
                    cJSON_AddItemToObject(run, "final_test_acc", nn_json_num(acc[r]));
                    nn_history_free(&h);
                    nn_optim_free(&og);
                    nn_net_free(net);
                }
                /* each init's own best rate: the lowest mean final training loss (a diverged seed disqualifies a rate) */
                if (q == 0) memcpy(og_best[k], loss, (size_t)S * sizeof(double)), og_best_lr[k] = lr;
                else if (nn_exp_keep_best(&e, og_best[k], loss, 0)) og_best_lr[k] = lr;
                cJSON *o = cJSON_CreateObject();
                cJSON_AddItemToObject(o, "scale", nn_json_num(k ? s.og_scale : 1.0));
                cJSON_AddItemToObject(o, "lr", nn_json_num(lr));
                cJSON_AddItemToObject(o, "final_train_loss", nn_json_series(loss, S));
                cJSON_AddItemToArray(sweep, o);
            }
        if (s.n_og_rates) {
            double *d = nn_exp_vec(&e);
            for (int r = 0; r < S; r++) d[r] = og_best[0][r] - og_best[1][r];
            og_vs_best = nn_exp_worst(&e, d); /* a diverged seed fails it */
        }
        cJSON_AddItemToObject(e.summary, "optimization_best_lr_he", nn_json_num(og_best_lr[0]));
        cJSON_AddItemToObject(e.summary, "optimization_best_lr_larger", nn_json_num(og_best_lr[1]));
        double a0, a1, l0, l1, sd;
        nn_mean_std(og_acc[0], S, &a0, &sd), nn_mean_std(og_acc[1], S, &a1, &sd);
        nn_mean_std(og_loss[0], S, &l0, &sd), nn_mean_std(og_loss[1], S, &l1, &sd);
        nn_exp_say(&e, "one-layer ReLU on %d images: He ×1 training loss %.3f, test %.2f %%; He ×%g training loss %.3f, test %.2f %%",
                   few.n, l0, a0, s.og_scale, l1, a1);
    }
    double *out_gap = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) out_gap[r] = loss_zero[r] - loss_marg[r];

    /* identical in exact arithmetic; in float, BLAS kernels may round different output columns
     * differently, which leaves a relative spread of about 1e-6 (ten units in the last place) that
     * wanders with the seed. A net whose symmetry was broken has a spread of order 0.1 to 1 (every
     * random scheme's is in summary.random_symmetry_min). The threshold 1e-3 sits three decades
     * from both, so the verdict no longer depends on rounding. */
    nn_claim c1 = {.kind = NN_IDENTITY, .id = "zero-const-stay-symmetric",
                   .statement = "Zero and constant init leave all hidden units of a layer identical after training (up to float "
                                "rounding)",
                   .source = "seed 000 (initialization: all-zero, constant); seed 002 (init must break symmetry)",
                   .quantity = "largest spread of incoming weights across a layer's units / largest weight, zero and const runs",
                   .op = "<=", .threshold = 1e-3,
                   .rule_note = "Float rounding alone leaves about 1e-6; a net whose symmetry is broken shows 0.1 to 1.",
                   .unmeasured = have_zc ? NULL : "'schemes' has neither zero nor const"};
    nn_exp_claim_seeds(&e, &c1, sym_zero_const);
    cJSON_AddItemToObject(e.summary, "random_symmetry_min", nn_json_series(sym_random, S));
    nn_claim c2 = {.kind = NN_IDENTITY, .id = "small-normal-shrinks-tanh",
                   .statement = nn_exp_str(&e, "With N(0, 0.01²) weights the %d-layer tanh net's activation std shrinks at least "
                                               "10x from the first to the last hidden layer", K),
                   .source = "seed 004 (small N(0, 0.01) init); seed 003 (the variance argument)",
                   .quantity = "activation std of hidden layer 1 / last hidden layer, tanh, normal:0.01", .op = ">=", .threshold = 10,
                   .unmeasured = have_tsmall ? NULL : "the run has no tanh net with scheme normal:0.01"};
    nn_exp_claim_seeds(&e, &c2, tanh_small_ratio);
    nn_claim c3 = {.kind = NN_LECTURE, .id = "glorot-keeps-tanh",
                   .statement = "Glorot init keeps the tanh net's activation std within a factor 2 across layers",
                   .source = "seed 000 / seed 003 (Glorot 2/(n_in + n_out))",
                   .quantity = "max / min activation std over hidden layers, tanh, glorot_normal", .op = "<=", .threshold = 2,
                   .unmeasured = have_tglorot ? NULL : "the run has no tanh net with scheme glorot_normal",
                   .not_comparative = "one net's spread across its layers at initialization against the seed's factor; the "
                                      "table shows that normal_fanin and he_normal stay within it too, so it does not single "
                                      "Glorot's init out"};
    nn_exp_claim_seeds(&e, &c3, tanh_glorot_spread);
    nn_claim c4 = {.kind = NN_IDENTITY, .id = "he-keeps-relu", .statement = "He init keeps the ReLU net's activation std within a factor 2 across layers",
                   .source = "He et al. 2015 (via seed 004's ReLU discussion)",
                   .quantity = "max / min activation std over hidden layers, relu, he_normal", .op = "<=", .threshold = 2,
                   .unmeasured = have_rhe ? NULL : "the run has no relu net with scheme he_normal"};
    nn_exp_claim_seeds(&e, &c4, relu_he_spread);

    nn_claim c5 = {.kind = NN_IDENTITY, .id = "zero-init-same-output",
                   .statement = "A net whose weights are all zero gives the same output for every input",
                   .source = "seed 000:79-97", .quantity = "largest spread of an output over the probe images at init, zero init",
                   .op = "<=", .threshold = 1e-6,
                   .rule_note = "Exactly 0 in float; the largest spread of a random scheme is in summary.random_output_spread_max "
                                "(a tiny init such as N(0, 0.01²) in six layers also gives nearly the same output: its signal vanishes).",
                   .unmeasured = have_zero ? NULL : "'schemes' has no zero init"};
    nn_exp_claim_seeds(&e, &c5, zero_out);
    cJSON_AddItemToObject(e.summary, "random_output_spread_max", nn_json_series(rand_out, S));
    nn_claim c6 = {.kind = NN_IDENTITY, .id = "fanin-keeps-input-variance",
                   .statement = nn_exp_str(&e, "Weights N(0, 1/n_in) keep a unit's input variance near its inputs': in each of "
                                               "the %d layers, E[z²] is within a factor 2 of the mean E[a²] of the layer's "
                                               "inputs (every activation)", K),
                   .source = "seed 000:99-109, seed 003:131-146",
                   .quantity = "largest factor between E[z²] and the inputs' mean E[a²] over layers and activations, at init, "
                               "normal_fanin",
                   .op = "<=", .threshold = 2, .unmeasured = have_fanin ? NULL : "'schemes' has no normal_fanin"};
    nn_exp_claim_seeds(&e, &c6, fanin_factor);
    nn_claim c7 = {.kind = NN_LECTURE, .id = "glorot-keeps-tanh-backward",
                   .statement = "Glorot init keeps the tanh net's backward signal (the std of ∂C/∂a) within a factor 2 across "
                                "layers as well",
                   .source = "seed 000:111-120, seed 002:62-66 (a compromise between equal forward and equal backward variance)",
                   .quantity = "max / min std of ∂C/∂a over hidden layers at init, tanh, glorot_normal", .op = "<=", .threshold = 2,
                   .unmeasured = have_tglorot ? NULL : "the run has no tanh net with scheme glorot_normal",
                   .not_comparative = "one net's spread across its layers at initialization against the seed's factor (the "
                                      "table gives the other schemes')"};
    nn_exp_claim_seeds(&e, &c7, tanh_glorot_gspread);
    const double res = nn_exp_resolution_pct(&e, 90);
    double *gu = nn_exp_vec(&e);
    for (int r = 0; r < S && acc_gn && acc_gu; r++) gu[r] = fabs(acc_gn[r] - acc_gu[r]);
    nn_claim c8 = {.kind = NN_LECTURE, .id = "gaussian-or-uniform-hardly-matters",
                   .statement = nn_exp_str(&e, "Gaussian or uniform hardly matters: the tanh net from Glorot's normal and from "
                                               "his uniform init end within what the test set resolves (%.2f points)", res),
                   .source = "seed 002:50-51", .quantity = "|test accuracy, glorot_normal − glorot_uniform|, tanh (points)",
                   .op = "<=", .threshold = res,
                   .unmeasured = acc_gn && acc_gu ? NULL : "the run lacks a tanh net with glorot_normal or glorot_uniform"};
    if (acc_gn && acc_gu) {
        nn_exp_require_trained(&e, &c8, "the tanh net from glorot_normal leaves chance (lowest over seeds, %)", nn_exp_worst(&e, acc_gn));
        nn_exp_require_trained(&e, &c8, "the tanh net from glorot_uniform leaves chance (lowest over seeds, %)", nn_exp_worst(&e, acc_gu));
    }
    nn_exp_claim_seeds(&e, &c8, gu);
    const double chance = nn_exp_chance_pct(&e);
    double *uf = nn_exp_vec(&e), *dec = nn_exp_vec(&e), *red = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) {
        if (acc_uf) uf[r] = acc_uf[r] - chance;
        if (acc_gn && acc_small) dec[r] = acc_gn[r] - acc_small[r];
        red[r] = red_small[r] - red_large[r];
    }
    nn_claim c9 = {.kind = NN_LECTURE, .id = "uniform-heuristic-trains",
                   .statement = nn_exp_str(&e, "The heuristic U(−1/√n_in, 1/√n_in) trains the %d-layer tanh net", K),
                   .source = "seed 002:58-60",
                   .quantity = nn_exp_str(&e, "final test accuracy minus chance (%.3g %%), tanh, uniform_fanin (points)", chance),
                   .op = ">", .threshold = NN_EXP_TRAINED_MARGIN,
                   .unmeasured = acc_uf ? NULL : "the run has no tanh net with scheme uniform_fanin",
                   .not_comparative = "one net against chance"};
    nn_exp_claim_seeds(&e, &c9, uf);
    nn_claim c10 = {.kind = NN_LECTURE, .id = "init-decides-convergence",
                    .statement = nn_exp_str(&e, "The initialization decides whether training converges at all: in the same "
                                                "budget the %d-layer tanh net trains from Glorot's init and not from N(0, 0.01²)", K),
                    .source = "seed 002:20-29",
                    .quantity = "final test accuracy, glorot_normal − normal:0.01, tanh (points)", .op = ">",
                    .threshold = NN_EXP_TRAINED_MARGIN,
                    .rule_note = "More than the lab's trained margin apart: one net trains and the other does not.",
                    .unmeasured = acc_gn && acc_small ? NULL : "the run lacks a tanh net with glorot_normal or normal:0.01"};
    nn_exp_require_trained(&e, &c10, "the tanh net from glorot_normal leaves chance (lowest over seeds, %)",
                           acc_gn ? nn_exp_worst(&e, acc_gn) : NAN);
    nn_exp_claim_seeds(&e, &c10, dec);
    nn_claim c11 = {.kind = NN_LECTURE, .id = "larger-init-fewer-redundant-units",
                    .statement = nn_exp_str(&e, "A larger initial scale breaks symmetry more strongly: after training, a "
                                                "one-hidden-layer tanh net from %s has more redundant units (weight vector "
                                                "|cos| > 0.95 with another unit's) than from %s", s.sym_schemes[0], s.sym_schemes[1]),
                    .source = "seed 002:52-53",
                    .quantity = nn_exp_str(&e, "share of redundant hidden units, %s − %s", s.sym_schemes[0], s.sym_schemes[1]),
                    .op = ">", .threshold = 0};
    nn_exp_require_trained(&e, &c11, nn_exp_str(&e, "the net from %s leaves chance (lowest over seeds, %%)", s.sym_schemes[0]),
                           nn_exp_worst(&e, red_acc[0]));
    nn_exp_claim_seeds(&e, &c11, red);
    double *og_opt = nn_exp_vec(&e), *og_gen = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) og_opt[r] = og_loss[0][r] - og_loss[1][r], og_gen[r] = og_acc[0][r] - og_acc[1][r];
    const char *og_net = nn_exp_str(&e, "a %d-unit ReLU layer on the first %d images, SGD η = %g, %d epochs", s.og_width,
                                    nn_min_i(train->n, s.og_n), s.og_lr, s.og_epochs);
    nn_claim co = {.kind = NN_LECTURE, .id = "large-init-helps-optimization",
                   .statement = nn_exp_str(&e, "An initialization can help optimization: %g × He's init ends with a lower "
                                               "training loss than He's (%s)", s.og_scale, og_net),
                   .source = "seed 002:36", .quantity = "mean training loss of the last epoch, He − larger init", .op = ">",
                   .threshold = 0};
    nn_claim_control(&co, "the larger init only acts as a larger step at a rate too small for He's init",
                     nn_exp_str(&e, "training loss of the last epoch, each init at its own best rate of η = %g%s%s (He η = %g, "
                                    "larger η = %g): He − larger, smallest over seeds", s.og_lr, s.n_og_rates ? ", " : "",
                                nn_exp_reals(&e, s.og_rates, s.n_og_rates), og_best_lr[0], og_best_lr[1]),
                     og_vs_best, ">", 0);
    nn_exp_claim_seeds(&e, &co, og_opt);
    nn_claim cg = {.kind = NN_LECTURE, .id = "large-init-hurts-generalization",
                   .statement = nn_exp_str(&e, "… and hurt generalization: the same larger init ends with a lower test accuracy "
                                               "(%s)", og_net),
                   .source = "seed 002:36", .quantity = "final test accuracy, He − larger init (points)", .op = ">",
                   .threshold = 0};
    nn_exp_require_trained(&e, &cg, "the net from the larger init leaves chance (lowest over seeds, %)", nn_exp_worst(&e, og_acc[1]));
    { /* the skeptic: the larger init tests worse only because it fits its training set worse; ruled out when it ends
       * with the lower training loss (what the claim before this one measures) */
        double om, osd;
        nn_mean_std(og_opt, S, &om, &osd);
        nn_claim_control(&cg, "the larger init tests worse only because it fits its training set worse",
                         "mean training loss of the last epoch, He − larger init, mean over seeds", om, ">", 0);
    }
    nn_exp_claim_seeds(&e, &cg, og_gen);
    double *bias_share = nn_exp_vec(&e);
    for (int r = 0; r < S; r++) bias_share[r] = bias_schemes[r] > 0 ? bias_ok[r] / bias_schemes[r] : NAN;
    nn_claim cb = {.kind = NN_LECTURE, .id = "zero-bias-works-with-most-schemes",
                   .statement = nn_exp_str(&e, "Zero biases are compatible with most weight-init schemes: for most of the random "
                                               "schemes, the %d-layer tanh net with zero biases ends no worse (within %.2f points) "
                                               "than with biases %s", K, bias_res, s.bias_alt),
                   .source = "seed 002:42-46,70-71",
                   .quantity = "share of the random tanh schemes (where a net leaves chance) in which zero biases are no worse than the alternative",
                   .op = ">", .threshold = 0.5,
                   .rule_note = "\"Most\" is more than half of the schemes where at least one of the two nets leaves chance "
                                "(two nets at chance tie, which says nothing); a diverged run counts as chance (it did not "
                                "train); a seed with no such scheme gives no measurement.",
                   .unmeasured = isnan(bias_schemes[0]) ? "the run has no random scheme with tanh" : NULL};
    {
        double fewest = INFINITY;
        for (int r = 0; r < S; r++) fewest = fmin(fewest, bias_schemes[r]);
        nn_claim_control(&cb, "a share of too few schemes to say 'most'",
                         "random schemes in which a net leaves chance, fewest over seeds", fewest, ">=", 3);
    }
    nn_exp_claim_seeds(&e, &cb, bias_share);
    nn_claim c12 = {.kind = NN_IDENTITY, .id = "output-bias-from-marginals",
                    .statement = nn_exp_str(&e, "Setting the output biases to the log of the classes' frequencies gives the right "
                                                "marginal from the start: on a training set whose first class is %g times as "
                                                "frequent as its last, the loss at init is lower than with zero biases", s.imbalance),
                    .source = "seed 002:73-75",
                    .quantity = "mean training loss at init, zero output bias − marginal bias (nats; tanh, N(0, 0.01²) weights)",
                    .op = ">", .threshold = 0,
                    .rule_note = "With small weights the outputs follow the biases: the marginal bias gives about the label "
                                 "entropy (summary.output_bias), zero biases log(classes). At imbalance 1 they coincide."};
    nn_exp_claim_seeds(&e, &c12, out_gap);
    return nn_exp_finish(&e);
}
