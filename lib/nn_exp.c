/* nn_exp.c — the frame of an experiment program (see nn_exp.h). */
#include "nn_exp.h"

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

int nn_exp_start(nn_exp *e, const char *name, const char *summary, nn_cfg_field *fields, const nn_exp_common *common,
                 int argc, char **argv)
{
    static char cfg[256], out[256];
    snprintf(cfg, sizeof cfg, "experiments/%s.json", name);
    snprintf(out, sizeof out, "results/%s.json", name);
    e->t0 = nn_wall_seconds();
    e->cli = (nn_cli){.prog = name, .summary = summary, .default_config = cfg, .default_out = out, .fields = fields};
    e->doc = NULL;
    e->have_data = 0;
    e->common = common;
    int rc = nn_cli_parse(&e->cli, argc, argv);
    if (rc < 0) {
        fprintf(stderr, "%s\n", nn_error());
        return 2;
    }
    if (rc == 1) return 0;
    if (!e->cli.config_path[0]) fprintf(stderr, "%s: note: %s not found; using built-in defaults\n", name, cfg);
    e->doc = nn_results_new(name, summary);
    cJSON_AddStringToObject(e->doc, "profile", e->cli.profile);
    cJSON_AddItemToObject(e->doc, "config", nn_cfg_to_json(fields));
    cJSON_AddItemToObject(e->doc, "environment", nn_results_environment());
    e->runs = cJSON_AddArrayToObject(e->doc, "runs");
    e->summary = cJSON_AddObjectToObject(e->doc, "summary");
    cJSON_AddArrayToObject(e->doc, "claims");
    return -1;
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
    cJSON_Delete(e->doc);
    e->doc = NULL;
    if (e->have_data) nn_split_free(&e->data);
    e->have_data = 0;
}

int nn_exp_finish(nn_exp *e)
{
    int rc = 0;
    if (nn_results_write(e->doc, e->cli.out, nn_wall_seconds() - e->t0) != 0) {
        fprintf(stderr, "%s: %s\n", e->cli.prog, nn_error());
        rc = 1;
    } else {
        nn_results_print_claims(e->doc, stdout);
        printf("%s: wrote %s (%.1f s)\n", e->cli.prog, e->cli.out, nn_wall_seconds() - e->t0);
    }
    nn_exp_abort(e);
    return rc;
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

void nn_mean_std(const double *x, int n, double *mean, double *std)
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
}

cJSON *nn_json_mean_std(double *const *runs, int n_runs, int len)
{
    double *m = nn_calloc((size_t)len + 1, sizeof(double)), *s = nn_calloc((size_t)len + 1, sizeof(double));
    double *col = nn_calloc((size_t)n_runs + 1, sizeof(double));
    for (int i = 0; i < len; i++) {
        for (int r = 0; r < n_runs; r++) col[r] = runs[r][i];
        nn_mean_std(col, n_runs, &m[i], &s[i]);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "mean", nn_json_series(m, len));
    cJSON_AddItemToObject(o, "std", nn_json_series(s, len));
    free(m), free(s), free(col);
    return o;
}

int nn_exp_train_mlp(const nn_mlp_spec *spec, const nn_optim *opt, nn_train_cfg tc, uint64_t seed,
                     const nn_dataset *train, const nn_dataset *test, nn_history *h)
{
    nn_net *net = nn_mlp_build(spec, tc.batch, seed);
    if (!net) return -1;
    nn_optim o = *opt;
    o.v = NULL;
    nn_optim_init(&o, net);
    tc.seed = seed;
    int rc = nn_train(net, &o, train, test, &tc, h);
    nn_optim_free(&o);
    nn_net_free(net);
    return rc;
}

cJSON *nn_exp_add_run(nn_exp *e, const char *group, const char *label, uint64_t seed, const nn_history *h)
{
    cJSON *run = cJSON_CreateObject();
    cJSON_AddStringToObject(run, "group", group);
    cJSON_AddStringToObject(run, "label", label);
    cJSON_AddNumberToObject(run, "seed", (double)seed);
    if (h) cJSON_AddItemToObject(run, "history", nn_results_history(h));
    cJSON_AddItemToArray(e->runs, run);
    return run;
}

static double field_at(const nn_epoch *ep, size_t field) { return *(const double *)((const char *)ep + field); }

double nn_exp_final(const nn_history *h, size_t field)
{
    if (h->diverged || h->n_epochs == 0) return NAN;
    return field_at(&h->ep[h->n_epochs - 1], field);
}

cJSON *nn_exp_history_mean_std(const nn_history *h, int n_runs, size_t field)
{
    int len = 0;
    for (int r = 0; r < n_runs; r++) len = nn_max_i(len, h[r].n_epochs);
    double **rows = nn_calloc((size_t)n_runs + 1, sizeof(double *));
    for (int r = 0; r < n_runs; r++) {
        rows[r] = nn_calloc((size_t)len + 1, sizeof(double));
        for (int i = 0; i < len; i++) rows[r][i] = i < h[r].n_epochs ? field_at(&h[r].ep[i], field) : NAN;
    }
    cJSON *o = nn_json_mean_std(rows, n_runs, len);
    for (int r = 0; r < n_runs; r++) free(rows[r]);
    free(rows);
    return o;
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
