/* nn_exp.c — the frame of an experiment program (see nn_exp.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_exp.h"

#include "nn_decl.h"
#include "nn_arch.h"
#include "nn_grid.h"
#include "nn_str.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

static const char *const data_names[] = {"mnist", "fashion", "spirals", "blobs", NULL};

int nn_exp_common_fields(nn_exp_common *c, nn_cfg_field *o)
{
    int n = 0;
    o[n++] = (nn_cfg_field){"data", NN_CFG_STR, c->data, 0, 0, data_names, NULL, 0, 0,
                            "data set: mnist (digits), fashion, spirals, blobs"};
    o[n++] = (nn_cfg_field){"seed", NN_CFG_INT, &c->seed, 0, 2147483647, NULL, NULL, 0, 0,
                            "first seed (runs use seed, seed+1, …)"};
    o[n++] = (nn_cfg_field){"seeds", NN_CFG_INT, &c->seeds, 1, 100, NULL, NULL, 0, 0, "repetitions with different seeds"};
    o[n++] = (nn_cfg_field){"n_train", NN_CFG_INT, &c->n_train, 0, 100000000, NULL, NULL, 0, 0,
                            "use the first N training samples (0 = all)"};
    o[n++] = (nn_cfg_field){"n_test", NN_CFG_INT, &c->n_test, 0, 100000000, NULL, NULL, 0, 0,
                            "use the first N test samples (0 = all)"};
    return n;
}

/* ---- owned memory ------------------------------------------------------------------ */

void *nn_exp_alloc(nn_exp *e, size_t n, size_t size)
{
    if (e->n_owned == e->cap_owned) {
        int cap = e->cap_owned ? 2 * e->cap_owned : 32;
        void **o = nn_calloc((size_t)cap, sizeof *o);
        if (e->owned) memcpy(o, e->owned, (size_t)e->n_owned * sizeof *o);
        free(e->owned);
        e->owned = o, e->cap_owned = cap;
    }
    void *p = nn_calloc(n ? n : 1, size);
    e->owned[e->n_owned++] = p;
    return p;
}

double *nn_exp_vec(nn_exp *e)
{
    double *v = nn_exp_alloc(e, (size_t)e->S, sizeof(double));
    for (int i = 0; i < e->S; i++) v[i] = NAN;
    return v;
}

const char *nn_exp_str(nn_exp *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = nn_exp_alloc(e, (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

const char *nn_exp_reals(nn_exp *e, const double *v, int n)
{
    const char *out = "";
    for (int i = 0; i < n; i++) out = nn_exp_str(e, "%s%s%g", out, i == 0 ? "" : i == n - 1 ? " and " : ", ", v[i]);
    return out;
}

const char *nn_exp_missing_arm(nn_exp *e, const char *name)
{
    return nn_exp_str(e, "arm '%s' did not run (it is not defined in the config, or --arms left it out)", name);
}

/* ---- start: settings and arms -------------------------------------------------------- */

static const char *const per_run_keys[] = {"data", "seed", "seeds", "n_train", "n_test", NULL};

/* Resolve every selected arm: a copy of the shared settings with the arm's overrides. */
static int resolve_arms(nn_exp *e)
{
    const cJSON *arms = e->cli.arms;
    if (!arms) return 0;
    int n = cJSON_GetArraySize(arms);
    /* which arms run: all, or those named by --arms, in the config's order */
    int *run = nn_calloc((size_t)n, sizeof(int));
    if (e->cli.arm_select) {
        char *sel = nn_strdup(e->cli.arm_select), *save = NULL;
        for (char *t = strtok_r(sel, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            int i = 0, found = -1;
            const cJSON *a;
            cJSON_ArrayForEach(a, arms)
            {
                if (strcmp(a->string, t) == 0) found = i;
                i++;
            }
            if (found < 0) {
                char list[1024] = "";
                cJSON_ArrayForEach(a, arms)
                {
                    strncat(list, list[0] ? ", " : "", sizeof list - strlen(list) - 1);
                    strncat(list, a->string, sizeof list - strlen(list) - 1);
                }
                nn_fail("%s: --arms: no arm '%s' (the config defines: %s)", e->cli.prog, t, list);
                free(sel), free(run);
                return -1;
            }
            run[found] = 1;
        }
        free(sel);
    } else {
        for (int i = 0; i < n; i++) run[i] = 1;
    }
    int k = 0;
    for (int i = 0; i < n; i++) k += run[i];
    e->n_arms = 0;
    e->arm_name = nn_calloc((size_t)k + 1, sizeof(char *));
    e->arm_set = nn_calloc((size_t)k + 1, sizeof(void *));
    e->arm_label = nn_calloc((size_t)k + 1, sizeof(char *));
    e->arm_n_overrides = nn_calloc((size_t)k + 1, sizeof(int));
    cJSON *doc_arms = cJSON_AddArrayToObject(e->doc, "arms");
    nn_cfg_field *f = nn_calloc(NN_EXP_MAX_FIELDS + 1, sizeof *f);
    nn_cfg_refusal *r = nn_calloc(NN_EXP_MAX_FIELDS + 1, sizeof *r);
    int i = 0, rc = 0;
    const cJSON *a;
    nn_str label = {0};
    void *copy = NULL; /* the arm being resolved, until it is stored (an error frees it: found by the settings fuzzer) */
    cJSON_ArrayForEach(a, arms)
    {
        if (!run[i++]) continue;
        copy = nn_calloc(1, e->def->size);
        memcpy(copy, e->set, e->def->size);
        int n_r = 0;
        int nf = e->def->fields(copy, f, r, &n_r);
        f[nf] = (nn_cfg_field){0};
        r[n_r] = (nn_cfg_refusal){0};
        char where[1200];
        snprintf(where, sizeof where, "%s (arm '%s')", e->cli.arms_source, a->string);
        nn_str_free(&label);
        nn_str_add(&label, "%s", a->string);
        const cJSON *kv;
        int first = 1;
        cJSON_ArrayForEach(kv, a)
        {
            for (int q = 0; per_run_keys[q]; q++)
                if (strcmp(kv->string, per_run_keys[q]) == 0) {
                    rc = nn_fail("%s: '%s' is shared by all arms and cannot be set per arm", where, kv->string);
                    goto out;
                }
            for (int q = 0; q < n_r; q++)
                if (strcmp(kv->string, r[q].key) == 0) {
                    rc = nn_fail("%s: '%s' cannot be set by an arm: %s", where, kv->string, r[q].why);
                    goto out;
                }
            for (int q = 0; q < e->cli.n_flag_keys; q++)
                if (strcmp(kv->string, e->cli.flag_keys[q]) == 0) {
                    char *v = cJSON_PrintUnformatted(kv);
                    rc = nn_fail("%s: --%s would be ignored by arm '%s', which sets %s = %s; drop the flag, leave the arm "
                                 "out with --arms, or change the arm in the config",
                                 e->cli.prog, kv->string, a->string, kv->string, v ? v : "?");
                    cJSON_free(v);
                    goto out;
                }
            char *v = cJSON_PrintUnformatted(kv);
            nn_str_add(&label, "%s%s %s", first ? " (" : ", ", kv->string, v ? v : "?");
            cJSON_free(v);
            first = 0;
        }
        if (!first) nn_str_add(&label, ")");
        if (nn_cfg_apply_json(f, a, where, NULL)) {
            rc = -1;
            goto out;
        }
        e->arm_name[e->n_arms] = nn_strdup(a->string);
        e->arm_label[e->n_arms] = nn_strdup(label.s);
        e->arm_n_overrides[e->n_arms] = cJSON_GetArraySize(a);
        e->arm_set[e->n_arms] = copy;
        copy = NULL;
        e->n_arms++;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", a->string);
        cJSON_AddStringToObject(o, "label", label.s);
        cJSON_AddItemToObject(o, "overrides", cJSON_Duplicate(a, 1));
        cJSON *res = nn_cfg_to_json(f);
        nn_netcfg_prune_json(res);
        cJSON_AddItemToObject(o, "settings", res);
        cJSON_AddItemToArray(doc_arms, o);
    }
out:
    free(copy), free(f), free(r), free(run);
    nn_str_free(&label);
    return rc;
}

static const char *exp_prog = "nnlab"; /* the running program's name, for nn_exp_train's message */

int nn_exp_start(nn_exp *e, const nn_exp_def *def, void *settings, int argc, char **argv)
{
    memset(e, 0, sizeof *e);
    char *cfg = nn_exp_alloc(e, strlen(def->name) + 32, 1), *out = nn_exp_alloc(e, strlen(def->name) + 32, 1);
    sprintf(cfg, "experiments/%s.json", def->name);
    sprintf(out, "runs/%s.json", def->name); /* a run of its own: results/ is the reference run, written only by make reference */
    e->t0 = nn_wall_seconds();
    e->def = def;
    e->set = settings;
    e->common = settings;
    int n_r = 0;
    int nf = def->fields(settings, e->fields, e->refused, &n_r);
    NN_ASSERT(nf <= NN_EXP_MAX_FIELDS && n_r <= NN_EXP_MAX_FIELDS, "%s: too many settings", def->name);
    e->fields[nf] = (nn_cfg_field){0};
    e->refused[n_r] = (nn_cfg_refusal){0};
    exp_prog = def->name;
    e->cli = (nn_cli){.prog = def->name, .summary = def->summary, .default_config = cfg, .default_out = out,
                      .builtin_config = def->builtin_config, .require_all = 1, .refused = e->refused, .fields = e->fields};
    int rc = nn_cli_parse(&e->cli, argc, argv);
    if (rc < 0) {
        fprintf(stderr, "%s\n", nn_error());
        nn_exp_abort(e);
        return 2;
    }
    if (rc == 1) {
        nn_exp_abort(e);
        return 0;
    }
    e->S = e->common->seeds;
    e->seeds = nn_exp_alloc(e, (size_t)e->S, sizeof(uint64_t));
    for (int i = 0; i < e->S; i++) e->seeds[i] = (uint64_t)e->common->seed + (uint64_t)i;
    if (strcmp(e->cli.config_source, cfg) != 0)
        fprintf(stderr, "%s: note: %s is not here; using %s\n", def->name, cfg, e->cli.config_source);
    e->doc = nn_results_new(def->name, def->summary);
    cJSON_AddStringToObject(e->doc, "profile", e->cli.profile);
    cJSON *c = nn_cfg_to_json(e->fields);
    nn_netcfg_prune_json(c);
    cJSON_AddItemToObject(e->doc, "config", c);
    if (resolve_arms(e) || nn_decl_check(e)) {
        fprintf(stderr, "%s\n", nn_error());
        nn_exp_abort(e);
        return 2;
    }
    cJSON_AddItemToObject(e->doc, "environment", nn_results_environment());
    e->summary = cJSON_AddObjectToObject(e->doc, "summary");
    cJSON_AddArrayToObject(e->doc, "claims");
    return -1;
}

int nn_exp_arm_index(const nn_exp *e, const char *name)
{
    for (int i = 0; i < e->n_arms; i++)
        if (strcmp(e->arm_name[i], name) == 0) return i;
    return -1;
}

int nn_exp_begin(nn_exp *e, const nn_exp_def *def, void *settings, int argc, char **argv)
{
    int rc = nn_exp_start(e, def, settings, argc, argv);
    if (rc >= 0) return rc;
    return nn_exp_load_data(e) ? 1 : -1;
}

int nn_exp_main(const nn_exp_def *def, nn_exp_run_fn run, int argc, char **argv)
{
    void *settings = nn_calloc(1, def->size);
    nn_exp e;
    int rc = nn_exp_begin(&e, def, settings, argc, argv);
    if (rc < 0 && (rc = run(&e, settings)) < 0) rc = nn_exp_finish(&e);
    free(settings);
    return rc;
}

int nn_exp_load_data(nn_exp *e)
{
    nn_data_opts o = {.n_train = e->common->n_train, .n_test = e->common->n_test, .seed = (uint64_t)e->common->seed};
    if (nn_data_load(e->common->data, &o, &e->data) != 0) return nn_exp_fail(e, 1, "%s", nn_error());
    e->have_data = 1;
    cJSON_DeleteItemFromObject(e->doc, "dataset");
    cJSON_AddItemToObject(e->doc, "dataset", nn_results_dataset(&e->data));
    return 0;
}

int nn_exp_netcfg(nn_exp *e, const nn_netcfg *c, nn_mlp_spec *spec, nn_optim *opt)
{
    if (nn_netcfg_spec(c, e->data.train.d, e->data.train.n_classes, spec) || nn_netcfg_optim(c, opt))
        return nn_exp_fail(e, 2, "%s", nn_error());
    return 0;
}

int nn_exp_fail(nn_exp *e, int code, const char *fmt, ...)
{
    fprintf(stderr, "%s: ", e->cli.prog);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    nn_exp_abort(e);
    return code;
}

void nn_exp_abort(nn_exp *e)
{
    nn_grid_free(e);
    cJSON_Delete(e->doc);
    e->doc = NULL;
    if (e->have_data) nn_split_free(&e->data);
    e->have_data = 0;
    for (int i = 0; i < e->n_arms; i++) free(e->arm_name[i]), free(e->arm_set[i]), free(e->arm_label[i]);
    free(e->arm_name), free(e->arm_set), free(e->arm_label), free(e->arm_n_overrides);
    e->arm_name = e->arm_label = NULL, e->arm_set = NULL, e->arm_n_overrides = NULL, e->n_arms = 0;
    nn_cli_free(&e->cli);
    for (int i = 0; i < e->n_owned; i++) free(e->owned[i]);
    free(e->owned);
    e->owned = NULL, e->n_owned = e->cap_owned = 0;
}

int nn_exp_finish(nn_exp *e)
{
    int rc = 0;
    if ((e->cli.slice || (e->cli.merge && !nn_grid_merged(e))) &&
        nn_fail("%s: --slice and --merge need a program whose cells run on the grid (nn_grid_run)", e->cli.prog)) {
        fprintf(stderr, "%s\n", nn_error());
        nn_exp_abort(e);
        return 2;
    }
    if (nn_decl_judge(e)) { /* the claims the config declares, after the program's own; nothing is written */
        fprintf(stderr, "%s\n", nn_error());
        nn_exp_abort(e);
        return 2;
    }
    nn_grid_write(e);
    if (nn_results_write(e->doc, e->cli.out, nn_wall_seconds() - e->t0) != 0) {
        fprintf(stderr, "%s: %s\n", e->cli.prog, nn_error());
        rc = 1;
    } else {
        nn_claims_print(e->doc, stdout);
        printf("%s: wrote %s (%.1f s)\n", e->cli.prog, e->cli.out, nn_wall_seconds() - e->t0);
        /* the verdict summary is part of the output: a full disk or closed pipe on stdout is an error */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "%s: cannot write the verdict summary to standard output: %s (the results file was written)\n",
                    e->cli.prog, strerror(errno));
            rc = 1;
        }
    }
    nn_exp_abort(e);
    return rc;
}

double nn_exp_chance_pct(const nn_exp *e) { return 100.0 / e->data.train.n_classes; }

void nn_exp_require_trained(const nn_exp *e, nn_claim *c, const char *what, double acc_pct)
{
    nn_claim_control(c, "the net compared with did not train", what, acc_pct, ">", nn_exp_chance_pct(e) + NN_EXP_TRAINED_MARGIN);
}

int nn_exp_arm_n_overrides(const nn_exp *e, int a) { return e->arm_n_overrides[a]; }

const char *nn_exp_arm_label(const nn_exp *e, int a) { return e->arm_label[a]; }

double nn_exp_worst(const nn_exp *e, const double *v)
{
    double w = INFINITY;
    for (int i = 0; i < e->S; i++) w = isnan(v[i]) ? -INFINITY : fmin(w, v[i]);
    return w;
}

double nn_exp_worst_high(const nn_exp *e, const double *v)
{
    double w = -INFINITY;
    for (int i = 0; i < e->S; i++) w = isnan(v[i]) ? INFINITY : fmax(w, v[i]);
    return w;
}

static int all_finite(const nn_exp *e, const double *v)
{
    for (int i = 0; i < e->S; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

int nn_exp_keep_best(const nn_exp *e, double *best, const double *cand, int higher_is_better)
{
    double m, bm, sd;
    nn_mean_std(cand, e->S, &m, &sd);
    nn_mean_std(best, e->S, &bm, &sd);
    if (!all_finite(e, cand) || !(isnan(bm) || (higher_is_better ? m > bm : m < bm))) return 0;
    memcpy(best, cand, (size_t)e->S * sizeof(double));
    return 1;
}

nn_verdict nn_exp_claim_stalls(nn_exp *e, nn_claim_kind kind, const char *id, const char *statement, const char *source,
                               const double *acc_pct)
{
    const double chance = nn_exp_chance_pct(e);
    double *gap = nn_exp_vec(e);
    for (int i = 0; i < e->S; i++) gap[i] = acc_pct[i] - chance;
    nn_claim c = {.kind = kind, .id = id, .statement = statement, .source = source,
                  .quantity = nn_exp_str(e, "final test accuracy minus chance (%.3g %%), points", chance), .op = "<",
                  .threshold = NN_EXP_TRAINED_MARGIN,
                  .rule_note = "A net within the margin of chance has not trained; a seed that diverged gives no measurement."};
    return nn_exp_claim_seeds(e, &c, gap);
}

nn_verdict nn_exp_claim_gain(nn_exp *e, nn_claim *c, const double *treated, const double *baseline, const char *baseline_what,
                             int n_test)
{
    NN_ASSERT(!strcmp(c->op, ">"), "claim %s: a gain is judged with '>'", c->id);
    double *d = nn_exp_vec(e);
    for (int i = 0; i < e->S; i++) d[i] = treated[i] - baseline[i];
    double bm, bsd;
    nn_mean_std(baseline, e->S, &bm, &bsd);
    c->threshold = isfinite(bm) ? nn_exp_resolution_n(bm, n_test) : 0;
    c->has_zone = 1, c->not_held_at = 0; /* a gain below the resolution is unresolved, not absent */
    c->rule_note = nn_exp_str(e,
                              "%s%sThe threshold is what the %d test images resolve at the baseline's mean accuracy (%.3g %%): "
                              "two standard errors of the difference of two accuracies, 2·√(2p(1 − p)/n); no gain at all "
                              "(≤ 0) is not held.",
                              c->rule_note ? c->rule_note : "", c->rule_note ? " " : "", n_test, bm);
    nn_exp_require_trained(e, c, nn_exp_str(e, "%s leaves chance (lowest test accuracy over seeds, %%)", baseline_what),
                           nn_exp_worst(e, baseline));
    return nn_exp_claim_seeds(e, c, d);
}

nn_verdict nn_exp_claim_seeds(nn_exp *e, nn_claim *c, const double *per_seed)
{
    c->n = c->unmeasured ? 0 : e->S;
    c->seed = e->seeds;
    c->value = c->unmeasured ? NULL : per_seed;
    return nn_claim_add(e->doc, c);
}

nn_verdict nn_exp_claim_once(nn_exp *e, nn_claim *c, double measured)
{
    double *v = nn_exp_alloc(e, 1, sizeof(double));
    *v = measured;
    c->n = 1;
    c->seed = NULL;
    c->value = v;
    return nn_claim_add(e->doc, c);
}




void nn_exp_say(const nn_exp *e, const char *fmt, ...)
{
    fprintf(stderr, "[%s %5.1fs] ", e->cli.prog, nn_wall_seconds() - e->t0);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void nn_mean_std(const double *x, int n, double *mean, double *std) { nn_mean_std_n(x, n, mean, std); }

int nn_mean_std_n(const double *x, int n, double *mean, double *std)
{
    double s = 0, s2 = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) s += x[i], k++;
    double m = k ? s / k : NAN;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) s2 += (x[i] - m) * (x[i] - m);
    *mean = m;
    *std = k ? sqrt(s2 / k) : NAN;
    return k;
}


double nn_exp_resolution_n(double acc_pct, int n)
{
    const double p = fmin(fmax(acc_pct / 100, 0.01), 0.99);
    return 100 * 2 * sqrt(2 * p * (1 - p) / (n > 0 ? n : 1));
}

double nn_exp_resolution_pct(const nn_exp *e, double acc_pct) { return nn_exp_resolution_n(acc_pct, e->data.test.n); }

nn_cfg_field nn_exp_layers_field(const cJSON **layers, const char *help)
{
    return (nn_cfg_field){"layers", NN_CFG_JSON, (void *)layers, 0, 0, NULL, NULL, 0, 0, help};
}

const nn_cfg_refusal nn_exp_arch_refusals[] = {
    {"hidden", "the network is the list 'layers'"},           {"activation", "activations are entries of 'layers'"},
    {"output", "the output is always dense → softmax"},       {"loss", "the loss is always the cross-entropy"},
    {"batchnorm", "batch norm is an entry of 'layers'"},      {"dropout", "dropout is an entry of 'layers'"},
    {"residual", "this program builds no residual blocks"},   {"heads", "heads are entries of 'layers'"},
    {NULL, NULL}};

void nn_exp_input_shape(const nn_dataset *ds, int *c, int *h, int *w)
{
    *c = 1;
    *h = ds->d == 784 ? 28 : 1;
    *w = ds->d == 784 ? 28 : ds->d;
}

nn_net *nn_exp_arch_net(const nn_netcfg *c, const cJSON *layers, const nn_dataset *ds, int skip_heads, int max_batch,
                        uint64_t seed)
{
    nn_arch_opts o = {.n_classes = ds->n_classes, .bn_eps = c->bn_eps, .bn_momentum = c->bn_momentum,
                      .head_alpha = c->head_alpha, .skip_heads = skip_heads};
    nn_exp_input_shape(ds, &o.in_c, &o.in_h, &o.in_w);
    nn_init_kind k;
    if (nn_init_parse(c->init, &k)) return NULL;
    o.w_init = (nn_init){k, c->init_scale};
    if (nn_init_parse(c->bias_init, &k)) return NULL;
    o.b_init = (nn_init){k, c->bias_scale};
    return nn_arch_build(layers, &o, max_batch, seed);
}

/* the library refused a setting mid-run: its message with the program's name, exit 2 */
static _Noreturn void refused(void)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", exp_prog, nn_error());
    exit(2);
}

void nn_exp_train(nn_net *net, nn_optim *opt, const nn_dataset *train, const nn_dataset *test, const nn_train_cfg *tc,
                  nn_history *h)
{
    if (nn_train(net, opt, train, test, tc, h) != 0) refused();
}

nn_net *nn_exp_build(const nn_mlp_spec *spec, int max_batch, uint64_t seed)
{
    nn_net *net = nn_mlp_build(spec, max_batch, seed);
    if (!net) refused();
    return net;
}

void nn_exp_finalize(nn_net *net, int max_batch, uint64_t seed)
{
    if (nn_net_finalize(net, max_batch, seed)) refused();
}

int nn_exp_train_net(nn_net *net, const nn_optim *opt, const nn_train_cfg *tc, const nn_dataset *train,
                     const nn_dataset *test, nn_history *h)
{
    nn_optim o = *opt;
    o.v = NULL;
    nn_optim_init(&o, net);
    int rc = nn_train(net, &o, train, test, tc, h);
    nn_optim_free(&o);
    return rc;
}


static double field_at(const nn_epoch *ep, size_t field) { return *(const double *)((const char *)ep + field); }

int nn_exp_train_mlp(const nn_mlp_spec *spec, const nn_optim *opt, nn_train_cfg tc, uint64_t seed,
                     const nn_dataset *train, const nn_dataset *test, nn_history *h)
{
    nn_net *net = nn_mlp_build(spec, tc.batch, seed);
    if (!net) return -1;
    tc.seed = seed;
    int rc = nn_exp_train_net(net, opt, &tc, train, test, h);
    nn_net_free(net);
    return rc;
}

double nn_exp_final(const nn_history *h, size_t field)
{
    if (h->diverged || h->n_epochs == 0) return NAN;
    return field_at(&h->ep[h->n_epochs - 1], field);
}


cJSON *nn_exp_table(nn_exp *e, const char *caption, int n_columns, const char *const *columns)
{
    cJSON *tables = cJSON_GetObjectItem(e->summary, "tables");
    if (!tables) tables = cJSON_AddArrayToObject(e->summary, "tables");
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "caption", caption);
    cJSON_AddItemToObject(t, "columns", cJSON_CreateStringArray(columns, n_columns));
    cJSON *rows = cJSON_AddArrayToObject(t, "rows");
    cJSON_AddItemToArray(tables, t);
    return rows;
}

void nn_exp_row(cJSON *rows, const char *fmt, ...)
{
    cJSON *row = cJSON_CreateArray();
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f == 'n') cJSON_AddItemToArray(row, nn_json_num(va_arg(ap, double)));
        else if (*f == 'i') cJSON_AddItemToArray(row, cJSON_CreateNumber(va_arg(ap, int)));
        else if (*f == 's') cJSON_AddItemToArray(row, cJSON_CreateString(va_arg(ap, const char *)));
        else NN_ASSERT(0, "row format '%c'", *f);
    }
    va_end(ap);
    cJSON_AddItemToArray(rows, row);
}
