/* nn_grid.c — conditions × seeds, measures by name, one layout (see nn_grid.h). */
#include "nn_grid.h"
#include "nn_io.h"

#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>

typedef struct measure {
    char *name;
    int series;         /* 0: one number per seed (v); 1: a list per seed (s, len) */
    int exact;          /* 1: the cells' values keep every digit in the document (nn_measure_series_exact) */
    int picture;        /* 1: a picture a figure draws, kept per cell without statistics over seeds (nn_measure_picture) */
    double *v;          /* S values */
    double **s;         /* S lists */
    long *len;
} measure;

/* the per-epoch fields of a training record whose statistics over seeds the summary gives */
static const struct {
    const char *name;
    size_t at;
} hist_fields[] = {{"lr", offsetof(nn_epoch, lr)},
                   {"train_loss", offsetof(nn_epoch, train_loss)},
                   {"train_acc", offsetof(nn_epoch, train_acc)},
                   {"test_loss", offsetof(nn_epoch, test_loss)},
                   {"test_acc", offsetof(nn_epoch, test_acc)}};
#define N_HIST (int)(sizeof hist_fields / sizeof hist_fields[0])

typedef struct cond {
    char *name, *label, *group;
    double x;
    void *set;
    measure *m;
    int n_m, cap_m;
    cJSON **history;    /* S training records (NULL where none) */
    measure hist[N_HIST]; /* their per-epoch fields, as series (s NULL until a cell records one) */
} cond;

struct nn_grid {
    cond *c;
    int n, cap;
    char **dname;       /* the numbers computed after the cells (nn_grid_derived, nn_grid_per_seed) */
    double **dval;      /* 1 value, or S (dper[i]) */
    int *dper;
    char ***dlist;      /* or names (nn_grid_derived_names), NULL-terminated; NULL for numbers */
    int n_d;
    int merged;         /* the cells came from slices (--merge) */
    const char *seedwise; /* why a seed's cells build on each other (nn_grid_seedwise), or NULL */
    int slicing, c0, c1;  /* running a --slice of conditions c0 … c1 */
};

static struct nn_grid *grid(nn_exp *e)
{
    if (!e->grid) e->grid = nn_calloc(1, sizeof *e->grid);
    return e->grid;
}

static int name_ok(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("-_.", *s)))
            return 0;
    return 1;
}

int nn_grid_condition(nn_exp *e, const char *name, const char *label, const void *set, const char *group, double x)
{
    struct nn_grid *g = grid(e);
    NN_ASSERT(*name && nn_grid_find(e, name) < 0, "condition name '%s' (a new one)", name);
    NN_ASSERT(!group || name_ok(group), "group name '%s' (letters, digits, -, _, .: a figure takes groups as words)", group);
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 8;
        cond *c = realloc(g->c, (size_t)g->cap * sizeof *c);
        NN_ASSERT(c != NULL, "out of memory");
        g->c = c;
    }
    cond *c = &g->c[g->n];
    memset(c, 0, sizeof *c);
    c->name = nn_strdup(name);
    c->label = nn_strdup(label ? label : name);
    c->group = nn_strdup(group ? group : "all");
    c->x = x;
    c->set = nn_calloc(1, e->def->size);
    memcpy(c->set, set, e->def->size);
    c->history = nn_calloc((size_t)e->S, sizeof(cJSON *));
    return g->n++;
}

int nn_grid_arms(nn_exp *e)
{
    for (int a = 0; a < e->n_arms; a++)
        nn_grid_condition(e, e->arm_name[a], nn_exp_arm_label(e, a), e->arm_set[a], "arms", a);
    return e->n_arms;
}

int nn_grid_n(const nn_exp *e) { return e->grid ? e->grid->n : 0; }

int nn_grid_find(const nn_exp *e, const char *name)
{
    for (int i = 0; i < nn_grid_n(e); i++)
        if (!strcmp(e->grid->c[i].name, name)) return i;
    return -1;
}

static cond *cond_at(const nn_exp *e, int i)
{
    NN_ASSERT(i >= 0 && i < nn_grid_n(e), "condition %d of %d", i, nn_grid_n(e));
    return &e->grid->c[i];
}

const void *nn_grid_set(const nn_exp *e, int i) { return cond_at(e, i)->set; }
const char *nn_grid_label(const nn_exp *e, int i) { return cond_at(e, i)->label; }

static measure *find_measure(const cond *c, const char *name)
{
    for (int k = 0; k < c->n_m; k++)
        if (!strcmp(c->m[k].name, name)) return &c->m[k];
    return NULL;
}

static measure *get_measure(nn_exp *e, cond *c, const char *name, int series)
{
    measure *m = find_measure(c, name);
    if (m) {
        NN_ASSERT(m->series == series, "measure '%s' recorded both as a number and as a series", name);
        return m;
    }
    if (c->n_m == c->cap_m) {
        c->cap_m = c->cap_m ? 2 * c->cap_m : 8;
        measure *mm = realloc(c->m, (size_t)c->cap_m * sizeof *mm);
        NN_ASSERT(mm != NULL, "out of memory");
        c->m = mm;
    }
    m = &c->m[c->n_m++];
    memset(m, 0, sizeof *m);
    m->name = nn_strdup(name);
    m->series = series;
    if (series) {
        m->s = nn_calloc((size_t)e->S, sizeof(double *));
        m->len = nn_calloc((size_t)e->S, sizeof(long));
    } else {
        m->v = nn_calloc((size_t)e->S, sizeof(double));
        for (int r = 0; r < e->S; r++) m->v[r] = NAN;
    }
    return m;
}

void nn_measure(nn_exp *e, const nn_cell *c, const char *name, double v)
{
    get_measure(e, cond_at(e, c->cond), name, 0)->v[c->r] = v;
}

void nn_measure_series(nn_exp *e, const nn_cell *c, const char *name, const double *v, long n)
{
    measure *m = get_measure(e, cond_at(e, c->cond), name, 1);
    free(m->s[c->r]);
    m->s[c->r] = nn_calloc((size_t)n, sizeof(double));
    if (n > 0) memcpy(m->s[c->r], v, (size_t)n * sizeof(double));
    m->len[c->r] = n;
}

void nn_measure_series_exact(nn_exp *e, const nn_cell *c, const char *name, const double *v, long n)
{
    nn_measure_series(e, c, name, v, n);
    find_measure(cond_at(e, c->cond), name)->exact = 1;
}

void nn_measure_picture(nn_exp *e, const nn_cell *c, const char *name, const double *v, long n)
{
    nn_measure_series(e, c, name, v, n);
    find_measure(cond_at(e, c->cond), name)->picture = 1;
}

void nn_measure_history(nn_exp *e, const nn_cell *c, const nn_history *h)
{
    cond *k = cond_at(e, c->cond);
    cJSON_Delete(k->history[c->r]);
    k->history[c->r] = nn_results_history(h);
    for (int f = 0; f < N_HIST; f++) {
        measure *m = &k->hist[f];
        if (!m->s)
            m->series = 1, m->s = nn_calloc((size_t)e->S, sizeof(double *)), m->len = nn_calloc((size_t)e->S, sizeof(long));
        free(m->s[c->r]);
        m->s[c->r] = nn_calloc((size_t)h->n_epochs + 1, sizeof(double));
        for (int t = 0; t < h->n_epochs; t++) m->s[c->r][t] = *(const double *)((const char *)&h->ep[t] + hist_fields[f].at);
        m->len[c->r] = h->n_epochs;
    }
}

nn_net *nn_cell_train(nn_exp *e, const nn_cell *c, const nn_mlp_spec *spec, const nn_optim *opt, nn_train_cfg tc,
                      nn_history *h)
{
    nn_net *net = nn_exp_build(spec, tc.batch, c->seed);
    nn_cell_train_net(e, c, net, opt, tc, h);
    return net;
}

void nn_cell_train_net(nn_exp *e, const nn_cell *c, nn_net *net, const nn_optim *opt, nn_train_cfg tc, nn_history *h)
{
    nn_optim o = *opt;
    o.v = NULL;
    nn_optim_init(&o, net);
    tc.seed = c->seed;
    if (!tc.label) tc.label = nn_exp_str(e, "%s seed %llu", c->label, (unsigned long long)c->seed);
    tc.progress = 1;
    nn_exp_train(net, &o, &e->data.train, &e->data.test, &tc, h);
    nn_optim_free(&o);
    if (h->diverged) nn_exp_say(e, "%s diverged at epoch %d, step %ld (%s)", tc.label, h->div_epoch, h->div_step, h->div_what);
    nn_measure_history(e, c, h);
}

int nn_grid_load_data(nn_exp *e, const char *name, nn_split *out)
{
    nn_data_opts o = {.n_train = e->common->n_train, .n_test = e->common->n_test, .seed = (uint64_t)e->common->seed};
    if (nn_data_load(name, &o, out) != 0) return nn_exp_fail(e, 1, "%s", nn_error());
    nn_grid_dataset(e, name, out);
    return 0;
}

/* ---- running ------------------------------------------------------------------------------ */

static void say_condition(nn_exp *e, int i)
{
    cond *c = cond_at(e, i);
    char line[1024];
    int at = snprintf(line, sizeof line, "%s —", c->label), shown = 0;
    for (int k = 0; k < c->n_m && at < (int)sizeof line; k++) {
        if (c->m[k].series) continue;
        double mean, sd;
        nn_mean_std(c->m[k].v, e->S, &mean, &sd);
        at += snprintf(line + at, sizeof line - (size_t)at, "%s %s %.4g ± %.2g", shown++ ? ";" : "", c->m[k].name, mean, sd);
    }
    nn_exp_say(e, "%s", line);
}

/* ---- slices: some cells of the grid, written exactly, and their merge ------------------------------- */

/* a number to the last bit: 17 significant digits (cJSON's own printing may drop the last one); NaN as null,
 * ±∞ as "inf" / "-inf" */
static cJSON *exact_num(double x)
{
    if (isnan(x)) return cJSON_CreateNull();
    if (isinf(x)) return cJSON_CreateString(x > 0 ? "inf" : "-inf");
    char b[40];
    snprintf(b, sizeof b, "%.17g", x);
    return cJSON_CreateRaw(b);
}

static cJSON *exact_list(const double *v, long n)
{
    cJSON *a = cJSON_CreateArray();
    for (long t = 0; t < n; t++) cJSON_AddItemToArray(a, exact_num(v[t]));
    return a;
}

/* the inverse of exact_num; 0, or −1 for anything else */
static int exact_val(const cJSON *v, double *x)
{
    if (cJSON_IsNumber(v)) return *x = v->valuedouble, 0;
    if (cJSON_IsNull(v)) return *x = NAN, 0;
    if (cJSON_IsString(v) && !strcmp(v->valuestring, "inf")) return *x = INFINITY, 0;
    if (cJSON_IsString(v) && !strcmp(v->valuestring, "-inf")) return *x = -INFINITY, 0;
    return -1;
}

/* "i", "i-j" or "*" (0 … n − 1) into [*lo, *hi] */
static int range(const char *t, size_t len, int n, int *lo, int *hi)
{
    if (len == 1 && *t == '*') return *lo = 0, *hi = n - 1, 0;
    char buf[32];
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, t, len), buf[len] = '\0';
    char *end = NULL;
    long a = strtol(buf, &end, 10), b = a;
    if (end == buf || a < 0) return -1;
    if (*end == '-') {
        char *e2 = NULL;
        b = strtol(end + 1, &e2, 10);
        if (e2 == end + 1 || *e2) return -1;
    } else if (*end) return -1;
    if (b < a || b >= n) return -1;
    return *lo = (int)a, *hi = (int)b, 0;
}

static int parse_slice(nn_exp *e, int *c0, int *c1, int *r0, int *r1)
{
    const char *s = e->cli.slice, *colon = strchr(s, ':');
    if (!colon || range(s, (size_t)(colon - s), nn_grid_n(e), c0, c1) || range(colon + 1, strlen(colon + 1), e->S, r0, r1))
        return nn_fail("%s: --slice '%s': CONDITIONS:SEEDS, each 'i', 'i-j' or '*', counted from 0 (this run has "
                       "conditions 0-%d and seed indices 0-%d)", e->cli.prog, s, nn_grid_n(e) - 1, e->S - 1);
    return 0;
}

static cJSON *cell_json(nn_exp *e, int i, int r)
{
    const cond *c = cond_at(e, i);
    cJSON *o = cJSON_CreateObject(), *ms, *ex;
    cJSON_AddNumberToObject(o, "condition", i);
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddNumberToObject(o, "r", r);
    cJSON_AddNumberToObject(o, "seed", (double)e->seeds[r]);
    ms = cJSON_AddObjectToObject(o, "measures");
    ex = cJSON_AddArrayToObject(o, "exact");
    cJSON *pics = cJSON_AddArrayToObject(o, "pictures");
    for (int k = 0; k < c->n_m; k++) {
        const measure *m = &c->m[k];
        if (!m->series) cJSON_AddItemToObject(ms, m->name, exact_num(m->v[r]));
        else if (m->s[r]) cJSON_AddItemToObject(ms, m->name, exact_list(m->s[r], m->len[r]));
        if (m->exact) cJSON_AddItemToArray(ex, cJSON_CreateString(m->name));
        if (m->picture) cJSON_AddItemToArray(pics, cJSON_CreateString(m->name));
    }
    if (c->history[r]) {
        cJSON_AddItemToObject(o, "history", cJSON_Duplicate(c->history[r], 1));
        cJSON *hf = cJSON_AddObjectToObject(o, "history_fields");
        for (int f = 0; f < N_HIST; f++)
            if (c->hist[f].s && c->hist[f].s[r])
                cJSON_AddItemToObject(hf, hist_fields[f].name, exact_list(c->hist[f].s[r], c->hist[f].len[r]));
    }
    return o;
}

/* the document's keys that say which run a slice belongs to */
static const char *const run_keys[] = {"experiment", "config", "arms", "dataset"};

static int write_slice(nn_exp *e, int c0, int c1, int r0, int r1)
{
    cJSON *doc = cJSON_CreateObject();
    for (size_t k = 0; k < sizeof run_keys / sizeof *run_keys; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e->doc, run_keys[k]);
        if (v) cJSON_AddItemToObject(doc, run_keys[k], cJSON_Duplicate(v, 1));
    }
    cJSON *sl = cJSON_AddObjectToObject(doc, "slice"), *of = cJSON_AddObjectToObject(sl, "of"), *seeds;
    cJSON_AddItemToObject(sl, "conditions", cJSON_CreateIntArray((const int[]){c0, c1}, 2));
    cJSON_AddItemToObject(sl, "seeds", cJSON_CreateIntArray((const int[]){r0, r1}, 2));
    cJSON_AddNumberToObject(of, "conditions", nn_grid_n(e));
    seeds = cJSON_AddArrayToObject(of, "seeds");
    for (int r = 0; r < e->S; r++) cJSON_AddItemToArray(seeds, cJSON_CreateNumber((double)e->seeds[r]));
    cJSON *cells = cJSON_AddArrayToObject(doc, "cells");
    for (int i = c0; i <= c1; i++)
        for (int r = r0; r <= r1; r++) cJSON_AddItemToArray(cells, cell_json(e, i, r));
    int rc = 0;
    if (nn_results_write(doc, e->cli.out, nn_wall_seconds() - e->t0)) {
        fprintf(stderr, "%s: %s\n", e->cli.prog, nn_error());
        rc = 1;
    } else {
        printf("%s: wrote a slice of %d cells (conditions %d-%d, seeds %llu-%llu) to %s; judge the grid with --merge\n",
               e->cli.prog, (c1 - c0 + 1) * (r1 - r0 + 1), c0, c1, (unsigned long long)e->seeds[r0],
               (unsigned long long)e->seeds[r1], e->cli.out);
    }
    cJSON_Delete(doc);
    return rc;
}

/* Restore one cell from its slice's object (checked by the caller to be this run's cell i, r). */
static int restore_cell(nn_exp *e, int i, int r, const cJSON *o, const char *file)
{
    cond *c = cond_at(e, i);
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(o, "measures"))
    {
        double x;
        if (cJSON_IsArray(m)) {
            measure *me = get_measure(e, c, m->string, 1);
            const long n = cJSON_GetArraySize(m);
            free(me->s[r]);
            me->s[r] = nn_calloc((size_t)n + 1, sizeof(double));
            me->len[r] = n;
            long t = 0;
            const cJSON *v;
            cJSON_ArrayForEach(v, m) if (exact_val(v, &me->s[r][t++])) goto bad;
        } else {
            if (exact_val(m, &x)) goto bad;
            get_measure(e, c, m->string, 0)->v[r] = x;
        }
    }
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(o, "exact"))
    {
        measure *me = cJSON_IsString(m) ? find_measure(c, m->valuestring) : NULL;
        if (!me) goto bad;
        me->exact = 1;
    }
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(o, "pictures"))
    {
        measure *me = cJSON_IsString(m) ? find_measure(c, m->valuestring) : NULL;
        if (!me || !me->series) goto bad;
        me->picture = 1;
    }
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "history"), *hf = cJSON_GetObjectItemCaseSensitive(o, "history_fields");
    if (h) {
        if (!cJSON_IsObject(h) || !cJSON_IsObject(hf)) goto bad;
        cJSON_Delete(c->history[r]);
        c->history[r] = cJSON_Duplicate(h, 1);
        for (int f = 0; f < N_HIST; f++) {
            const cJSON *l = cJSON_GetObjectItemCaseSensitive(hf, hist_fields[f].name), *v;
            if (!l) continue;
            if (!cJSON_IsArray(l)) goto bad;
            measure *me = &c->hist[f];
            if (!me->s)
                me->series = 1, me->s = nn_calloc((size_t)e->S, sizeof(double *)),
                me->len = nn_calloc((size_t)e->S, sizeof(long));
            const long n = cJSON_GetArraySize(l);
            free(me->s[r]);
            me->s[r] = nn_calloc((size_t)n + 1, sizeof(double));
            me->len[r] = n;
            long t = 0;
            cJSON_ArrayForEach(v, l) if (exact_val(v, &me->s[r][t++])) goto bad;
        }
    }
    return 0;
bad:
    return nn_fail("%s: the cell of condition %d, seed index %d is damaged (a measure or its history is not what a slice "
                   "writes)", file, i, r);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Read every slice in the --merge folder into the grid; 0, or −1 with a message. */
static int merge_slices(nn_exp *e)
{
    const char *dir = e->cli.merge;
    const int N = nn_grid_n(e), S = e->S;
    char **names = NULL;
    int n_files = 0, rc = -1;
    if (nn_list_dir(dir, ".json", &names, &n_files)) return -1;
    qsort(names, (size_t)n_files, sizeof *names, by_name);
    cJSON **docs = nn_calloc((size_t)n_files + 1, sizeof *docs);
    const cJSON **cell = nn_calloc((size_t)N * S, sizeof *cell);
    const char **from = nn_calloc((size_t)N * S, sizeof *from);
    char *path = NULL;
    if (n_files == 0) {
        nn_fail("%s: --merge '%s': no slice (*.json) in that folder", e->cli.prog, dir);
        goto done;
    }
    for (int f = 0; f < n_files; f++) {
        free(path);
        path = nn_calloc(strlen(dir) + strlen(names[f]) + 2, 1);
        sprintf(path, "%s/%s", dir, names[f]);
        if (!(docs[f] = nn_json_load(path))) goto done;
        const cJSON *d = docs[f], *sl = cJSON_GetObjectItemCaseSensitive(d, "slice");
        if (!cJSON_IsObject(sl)) {
            nn_fail("%s: '%s' is not a slice (a run with --slice writes one)", e->cli.prog, path);
            goto done;
        }
        for (size_t k = 0; k < sizeof run_keys / sizeof *run_keys; k++) {
            const cJSON *mine = cJSON_GetObjectItemCaseSensitive(e->doc, run_keys[k]),
                        *theirs = cJSON_GetObjectItemCaseSensitive(d, run_keys[k]);
            if ((mine || theirs) && !cJSON_Compare(mine, theirs, 1)) {
                nn_fail("%s: '%s' is a slice of another run: its %s differs from this run's (merge with the settings the "
                        "slices were run with)", e->cli.prog, path, run_keys[k]);
                goto done;
            }
        }
        const cJSON *of = cJSON_GetObjectItemCaseSensitive(sl, "of"), *seeds = cJSON_GetObjectItemCaseSensitive(of, "seeds"), *v;
        int ok = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(of, "conditions")) == N && cJSON_GetArraySize(seeds) == S;
        int r = 0;
        cJSON_ArrayForEach(v, seeds) ok = ok && cJSON_IsNumber(v) && r < S && v->valuedouble == (double)e->seeds[r++];
        if (!ok) {
            nn_fail("%s: '%s' is a slice of another grid (its conditions or seeds differ from this run's %d conditions × %d "
                    "seeds from %llu)", e->cli.prog, path, N, S, (unsigned long long)e->seeds[0]);
            goto done;
        }
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(d, "cells"))
        {
            const double ci = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "condition")),
                         ri = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "r"));
            const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
            if (!(ci >= 0 && ci < N && ci == (int)ci && ri >= 0 && ri < S && ri == (int)ri) || !name ||
                strcmp(name, nn_grid_name(e, (int)ci))) {
                nn_fail("%s: '%s' holds a cell that is not one of this grid's", e->cli.prog, path);
                goto done;
            }
            const int at = (int)ci * S + (int)ri;
            if (cell[at]) {
                nn_fail("%s: condition '%s', seed %llu is in two slices: '%s' and '%s'", e->cli.prog, name,
                        (unsigned long long)e->seeds[(int)ri], from[at], names[f]);
                goto done;
            }
            cell[at] = c, from[at] = names[f];
        }
    }
    int missing = 0, first = -1;
    for (int k = 0; k < N * S; k++)
        if (!cell[k]) missing++, first = first < 0 ? k : first;
    if (missing) {
        nn_fail("%s: --merge '%s': the slices hold %d of the %d cells; missing: condition '%s', seed %llu%s", e->cli.prog,
                dir, N * S - missing, N * S, nn_grid_name(e, first / S), (unsigned long long)e->seeds[first % S],
                missing > 1 ? nn_exp_str(e, " and %d more", missing - 1) : "");
        goto done;
    }
    for (int k = 0; k < N * S; k++) /* in the order a whole run makes them: measures keep that order */
        if (restore_cell(e, k / S, k % S, cell[k], from[k])) goto done;
    rc = 0;
done:
    for (int f = 0; f < n_files; f++) cJSON_Delete(docs[f]), free(names[f]);
    free(docs), free(names), free(cell), free(from), free(path);
    return rc;
}

int nn_grid_merged(const nn_exp *e) { return e->grid && e->grid->merged; }

int nn_grid_run(nn_exp *e, nn_grid_cell_fn fn, void *ctx)
{
    int c0 = 0, c1 = nn_grid_n(e) - 1, r0 = 0, r1 = e->S - 1;
    if ((e->cli.slice && e->cli.merge && nn_fail("%s: --slice and --merge exclude each other", e->cli.prog)) ||
        (e->cli.slice && parse_slice(e, &c0, &c1, &r0, &r1)) || (e->cli.merge && merge_slices(e))) {
        fprintf(stderr, "%s\n", nn_error());
        nn_exp_abort(e);
        return 2;
    }
    if (e->cli.slice && (c0 > 0 || c1 < nn_grid_n(e) - 1) && grid(e)->seedwise) {
        fprintf(stderr, "%s: --slice '%s': a seed's cells build on each other here (%s): give the slice every condition "
                        "('*:SEEDS')\n", e->cli.prog, e->cli.slice, grid(e)->seedwise);
        nn_exp_abort(e);
        return 2;
    }
    if (e->cli.merge) {
        grid(e)->merged = 1;
        for (int i = 0; i < nn_grid_n(e); i++) say_condition(e, i);
        return -1;
    }
    if (e->cli.slice) grid(e)->slicing = 1, grid(e)->c0 = c0, grid(e)->c1 = c1;
    for (int i = c0; i <= c1; i++) {
        const cond *k = cond_at(e, i);
        for (int r = r0; r <= r1; r++) {
            nn_cell c = {.cond = i, .r = r, .seed = e->seeds[r], .set = k->set, .name = k->name, .label = k->label};
            int rc = fn(e, &c, ctx);
            if (rc) {
                nn_exp_abort(e);
                return rc;
            }
        }
        say_condition(e, i);
    }
    if (!e->cli.slice) return -1;
    const int rc = write_slice(e, c0, c1, r0, r1);
    nn_exp_abort(e);
    return rc;
}

/* ---- reading ------------------------------------------------------------------------------- */

int nn_grid_has(const nn_exp *e, int i, const char *name)
{
    const measure *m = find_measure(cond_at(e, i), name);
    return !m ? 0 : m->series ? 2 : 1;
}

const char *nn_grid_name(const nn_exp *e, int i) { return cond_at(e, i)->name; }

void nn_grid_seedwise(nn_exp *e, const char *why) { grid(e)->seedwise = why; }

/* A cell of a slice reading a condition the slice does not run would read nothing: a usage error. */
static void in_slice(const nn_exp *e, int i)
{
    const struct nn_grid *g = e->grid;
    if (!g || !g->slicing || (i >= g->c0 && i <= g->c1)) return;
    fflush(stdout);
    fprintf(stderr, "%s: --slice: a cell reads condition '%s', which this slice does not run: give the slice every "
                    "condition ('*:SEEDS')\n", e->cli.prog, g->c[i].name);
    exit(2);
}

const double *nn_grid_values(nn_exp *e, int i, const char *name)
{
    in_slice(e, i);
    const measure *m = find_measure(cond_at(e, i), name);
    NN_ASSERT(m && !m->series, "condition %s has no measure '%s'", cond_at(e, i)->name, name);
    return m->v;
}

int nn_grid_mean_std(nn_exp *e, int i, const char *name, double *mean, double *std)
{
    return nn_mean_std_n(nn_grid_values(e, i, name), e->S, mean, std);
}

int nn_grid_series_mean_std(nn_exp *e, int i, const char *name, long t, double *mean, double *std)
{
    in_slice(e, i);
    const measure *m = find_measure(cond_at(e, i), name);
    NN_ASSERT(m && m->series, "condition %s has no series '%s'", cond_at(e, i)->name, name);
    double *v = nn_calloc((size_t)e->S, sizeof(double));
    for (int r = 0; r < e->S; r++) v[r] = t >= 0 && t < m->len[r] ? m->s[r][t] : NAN;
    const int n = nn_mean_std_n(v, e->S, mean, std);
    free(v);
    return n;
}

static double extreme(nn_exp *e, int i, const char *name, int high)
{
    const double *v = nn_grid_values(e, i, name);
    double x = NAN;
    for (int r = 0; r < e->S; r++)
        if (!isnan(v[r]) && (isnan(x) || (high ? v[r] > x : v[r] < x))) x = v[r];
    return x;
}

double nn_grid_min(nn_exp *e, int i, const char *name) { return extreme(e, i, name, 0); }
double nn_grid_max(nn_exp *e, int i, const char *name) { return extreme(e, i, name, 1); }

double nn_grid_pooled_std(nn_exp *e, int n, const int *conds, const char *name, int *df)
{
    double ss = 0;
    int dof = 0;
    for (int j = 0; j < n; j++) {
        const double *v = nn_grid_values(e, conds[j], name);
        double mean, sd;
        const int k = nn_mean_std_n(v, e->S, &mean, &sd);
        if (k < 2) continue;
        double q = 0;
        for (int r = 0; r < e->S; r++)
            if (!isnan(v[r])) q += (v[r] - mean) * (v[r] - mean);
        ss += q, dof += k - 1;
    }
    if (df) *df = dof;
    return dof > 0 ? sqrt(ss / dof) : NAN;
}

int nn_grid_count(nn_exp *e, int i, const char *name, const char *op, double t)
{
    const double *v = nn_grid_values(e, i, name);
    int k = 0;
    for (int r = 0; r < e->S; r++)
        k += !strcmp(op, ">") ? v[r] > t : !strcmp(op, ">=") ? v[r] >= t : !strcmp(op, "<") ? v[r] < t : v[r] <= t;
    return k;
}

double *nn_grid_ratio(nn_exp *e, const char *name, int a, int b)
{
    const double *x = nn_grid_values(e, a, name), *y = nn_grid_values(e, b, name);
    double *v = nn_exp_vec(e);
    for (int r = 0; r < e->S; r++) v[r] = x[r] / y[r];
    return v;
}

double *nn_grid_diff(nn_exp *e, const char *name, int a, int b)
{
    const double *x = nn_grid_values(e, a, name), *y = nn_grid_values(e, b, name);
    double *v = nn_exp_vec(e);
    for (int r = 0; r < e->S; r++) v[r] = x[r] - y[r];
    return v;
}

void nn_grid_table(nn_exp *e, const char *caption, int n, const char *const *measures, const char *const *headers,
                   const int *digits)
{
    const char **cols = nn_exp_alloc(e, (size_t)n + 1, sizeof(char *));
    cols[0] = "condition";
    for (int j = 0; j < n; j++) cols[j + 1] = headers[j];
    cJSON *rows = nn_exp_table(e, caption, n + 1, cols);
    for (int i = 0; i < nn_grid_n(e); i++) {
        cJSON *row = cJSON_CreateArray();
        cJSON_AddItemToArray(row, cJSON_CreateString(cond_at(e, i)->label));
        for (int j = 0; j < n; j++) {
            double mean, sd;
            int k = nn_grid_mean_std(e, i, measures[j], &mean, &sd);
            char cell[96];
            if (k == 0) snprintf(cell, sizeof cell, "—");
            else if (k < e->S)
                snprintf(cell, sizeof cell, "%.*f ± %.*f (%d of %d seeds)", digits[j], mean, digits[j], sd, k, e->S);
            else snprintf(cell, sizeof cell, "%.*f ± %.*f", digits[j], mean, digits[j], sd);
            cJSON_AddItemToArray(row, cJSON_CreateString(cell));
        }
        cJSON_AddItemToArray(rows, row);
    }
}

void nn_grid_row(cJSON *rows, int n, const char *const *text, const double *num)
{
    cJSON *row = cJSON_CreateArray();
    for (int j = 0; j < n; j++)
        cJSON_AddItemToArray(row, text && text[j] ? cJSON_CreateString(text[j]) : nn_json_num(num[j]));
    cJSON_AddItemToArray(rows, row);
}

static int derived_index(const nn_exp *e, const char *name)
{
    for (int i = 0; e->grid && i < e->grid->n_d; i++)
        if (!strcmp(e->grid->dname[i], name)) return i;
    return -1;
}

int nn_grid_derived_get(const nn_exp *e, const char *name, double *v)
{
    const int i = derived_index(e, name);
    if (i < 0 || e->grid->dper[i] || e->grid->dlist[i]) return 0;
    return *v = e->grid->dval[i][0], 1;
}

const double *nn_grid_derived_seeds(const nn_exp *e, const char *name)
{
    const int i = derived_index(e, name);
    return i >= 0 && e->grid->dper[i] ? e->grid->dval[i] : NULL;
}

int nn_grid_derived_names_get(const nn_exp *e, const char *name, const char *const **names)
{
    const int i = derived_index(e, name);
    if (i < 0 || !e->grid->dlist[i]) return -1;
    int n = 0;
    while (e->grid->dlist[i][n]) n++;
    return *names = (const char *const *)e->grid->dlist[i], n;
}

/* free the names of derived entry i */
static void free_names(struct nn_grid *g, int i)
{
    for (int k = 0; g->dlist[i] && g->dlist[i][k]; k++) free(g->dlist[i][k]);
    free(g->dlist[i]), g->dlist[i] = NULL;
}

/* the storage of derived number `name` (n values), replacing one of that name */
static double *derived_slot(nn_exp *e, const char *name, int per_seed)
{
    struct nn_grid *g = grid(e);
    int i = derived_index(e, name);
    if (i < 0) {
        char **dn = realloc(g->dname, (size_t)(g->n_d + 1) * sizeof *dn);
        NN_ASSERT(dn != NULL, "out of memory");
        g->dname = dn;
        double **dv = realloc(g->dval, (size_t)(g->n_d + 1) * sizeof *dv);
        NN_ASSERT(dv != NULL, "out of memory");
        g->dval = dv;
        int *dp = realloc(g->dper, (size_t)(g->n_d + 1) * sizeof *dp);
        NN_ASSERT(dp != NULL, "out of memory");
        g->dper = dp;
        char ***dl = realloc(g->dlist, (size_t)(g->n_d + 1) * sizeof *dl);
        NN_ASSERT(dl != NULL, "out of memory");
        g->dlist = dl;
        i = g->n_d++;
        g->dname[i] = nn_strdup(name), g->dval[i] = NULL, g->dlist[i] = NULL;
    }
    free(g->dval[i]), free_names(g, i);
    g->dper[i] = per_seed;
    g->dval[i] = nn_calloc(per_seed ? (size_t)e->S : 1, sizeof(double));
    return g->dval[i];
}

void nn_grid_derived(nn_exp *e, const char *name, double v) { *derived_slot(e, name, 0) = v; }

void nn_grid_derived_names(nn_exp *e, const char *name, int n, const char *const *names)
{
    derived_slot(e, name, 0);
    char **l = nn_calloc((size_t)n + 1, sizeof *l);
    for (int k = 0; k < n; k++) l[k] = nn_strdup(names[k]);
    e->grid->dlist[derived_index(e, name)] = l;
}

const double *nn_grid_per_seed(nn_exp *e, const char *name, nn_grid_seed_fn fn, void *ctx)
{
    double *v = derived_slot(e, name, 1);
    for (int r = 0; r < e->S; r++) v[r] = fn(e, r, ctx);
    return v;
}

void nn_grid_dataset(nn_exp *e, const char *role, const nn_split *s)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(e->doc, "also_datasets"), *d = nn_results_dataset(s);
    cJSON_AddStringToObject(d, "role", role);
    cJSON_AddItemToArray(a ? a : cJSON_AddArrayToObject(e->doc, "also_datasets"), d);
}

/* ---- the layout ------------------------------------------------------------------------------ */

/* a cell's series as the document keeps it: rounded to 9 digits, or every digit (NaN/Inf → null either way) */
static cJSON *cell_series(const measure *m, int r)
{
    if (!m->exact) return nn_json_series(m->s[r], (int)m->len[r]);
    cJSON *a = cJSON_CreateArray();
    for (long t = 0; t < m->len[r]; t++)
        cJSON_AddItemToArray(a, isfinite(m->s[r][t]) ? cJSON_CreateNumber(m->s[r][t]) : cJSON_CreateNull());
    return a;
}

static cJSON *json_mean_std(double *const *runs, int n_runs, int len)
{
    double *m = nn_calloc((size_t)len + 1, sizeof(double)), *s = nn_calloc((size_t)len + 1, sizeof(double));
    double *lo = nn_calloc((size_t)len + 1, sizeof(double)), *hi = nn_calloc((size_t)len + 1, sizeof(double));
    double *col = nn_calloc((size_t)n_runs + 1, sizeof(double));
    for (int i = 0; i < len; i++) {
        lo[i] = INFINITY, hi[i] = -INFINITY;
        for (int r = 0; r < n_runs; r++) {
            col[r] = runs[r][i];
            if (!isnan(col[r])) lo[i] = fmin(lo[i], col[r]), hi[i] = fmax(hi[i], col[r]);
        }
        nn_mean_std(col, n_runs, &m[i], &s[i]);
        if (lo[i] > hi[i]) lo[i] = hi[i] = NAN; /* no run has a value here */
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "mean", nn_json_series(m, len));
    cJSON_AddItemToObject(o, "std", nn_json_series(s, len));
    cJSON_AddItemToObject(o, "min", nn_json_series(lo, len));
    cJSON_AddItemToObject(o, "max", nn_json_series(hi, len));
    free(m), free(s), free(lo), free(hi), free(col);
    return o;
}

static cJSON *series_stats_json(const measure *m, int S);

/* {"mean", "std", "min", "max", "n"} of S numbers (NaN skipped) */
static cJSON *stats_json(const double *v, int S)
{
    double mean, sd, lo = INFINITY, hi = -INFINITY;
    int n = nn_mean_std_n(v, S, &mean, &sd);
    for (int r = 0; r < S; r++)
        if (isfinite(v[r])) lo = fmin(lo, v[r]), hi = fmax(hi, v[r]);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "mean", nn_json_num(n ? mean : NAN));
    cJSON_AddItemToObject(o, "std", nn_json_num(n ? sd : NAN));
    cJSON_AddItemToObject(o, "min", nn_json_num(n ? lo : NAN));
    cJSON_AddItemToObject(o, "max", nn_json_num(n ? hi : NAN));
    cJSON_AddNumberToObject(o, "n", n);
    return o;
}

static cJSON *series_stats_json(const measure *m, int S)
{
    long len = 0;
    for (int r = 0; r < S; r++) len = m->len[r] > len ? m->len[r] : len;
    double **rows = nn_calloc((size_t)S + 1, sizeof(double *));
    for (int r = 0; r < S; r++) {
        rows[r] = nn_calloc((size_t)len + 1, sizeof(double));
        for (long t = 0; t < len; t++) rows[r][t] = t < m->len[r] ? m->s[r][t] : NAN;
    }
    cJSON *o = json_mean_std(rows, S, (int)len);
    for (int r = 0; r < S; r++) free(rows[r]);
    free(rows);
    return o;
}

/* summary.history: per epoch, each field of the cells' training records over the seeds (from the doubles, before
 * the document rounds them), a seed shorter than the longest (it diverged) counting as NaN from its end */
static void history_stats(const cond *c, int S, cJSON *sum)
{
    if (!c->hist[0].s) return;
    cJSON *out = cJSON_AddObjectToObject(sum, "history");
    for (int f = 0; f < N_HIST; f++) cJSON_AddItemToObject(out, hist_fields[f].name, series_stats_json(&c->hist[f], S));
}

void nn_grid_write(nn_exp *e)
{
    if (!e->grid || !e->doc) return;
    cJSON *out = cJSON_AddArrayToObject(e->doc, "conditions");
    for (int i = 0; i < e->grid->n; i++) {
        cond *c = &e->grid->c[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", c->name);
        cJSON_AddStringToObject(o, "label", c->label);
        cJSON_AddStringToObject(o, "group", c->group);
        cJSON_AddItemToObject(o, "x", nn_json_num(c->x));
        cJSON *sum = cJSON_CreateObject(); /* before the seeds take their training records */
        for (int k = 0; k < c->n_m; k++)
            if (!c->m[k].picture)
                cJSON_AddItemToObject(sum, c->m[k].name,
                                      c->m[k].series ? series_stats_json(&c->m[k], e->S) : stats_json(c->m[k].v, e->S));
        history_stats(c, e->S, sum);
        cJSON *seeds = cJSON_AddArrayToObject(o, "seeds");
        for (int r = 0; r < e->S; r++) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddNumberToObject(s, "seed", (double)e->seeds[r]);
            cJSON *ms = cJSON_AddObjectToObject(s, "measures");
            for (int k = 0; k < c->n_m; k++) {
                const measure *m = &c->m[k];
                cJSON_AddItemToObject(ms, m->name, m->series ? cell_series(m, r) : nn_json_num(m->v[r]));
            }
            if (c->history[r]) cJSON_AddItemToObject(s, "history", c->history[r]), c->history[r] = NULL;
            cJSON_AddItemToArray(seeds, s);
        }
        cJSON_AddItemToObject(o, "summary", sum);
        cJSON_AddItemToArray(out, o);
    }
    if (e->grid->n_d) {
        cJSON *d = cJSON_AddObjectToObject(e->doc, "derived");
        for (int i = 0; i < e->grid->n_d; i++) {
            const double *v = e->grid->dval[i];
            if (e->grid->dlist[i]) {
                cJSON *l = cJSON_AddArrayToObject(d, e->grid->dname[i]);
                for (int k = 0; e->grid->dlist[i][k]; k++) cJSON_AddItemToArray(l, cJSON_CreateString(e->grid->dlist[i][k]));
                continue;
            }
            if (!e->grid->dper[i]) {
                cJSON_AddItemToObject(d, e->grid->dname[i], nn_json_num(v[0]));
                continue;
            }
            cJSON *l = cJSON_AddArrayToObject(d, e->grid->dname[i]);
            for (int r = 0; r < e->S; r++) cJSON_AddItemToArray(l, nn_json_num(v[r]));
        }
    }
}

void nn_grid_free(nn_exp *e)
{
    if (!e->grid) return;
    for (int i = 0; i < e->grid->n; i++) {
        cond *c = &e->grid->c[i];
        for (int k = 0; k < c->n_m; k++) {
            measure *m = &c->m[k];
            free(m->name), free(m->v), free(m->len);
            if (m->s)
                for (int r = 0; r < e->S; r++) free(m->s[r]);
            free(m->s);
        }
        for (int r = 0; r < e->S; r++) cJSON_Delete(c->history[r]);
        for (int f = 0; f < N_HIST; f++) {
            if (c->hist[f].s)
                for (int r = 0; r < e->S; r++) free(c->hist[f].s[r]);
            free(c->hist[f].s), free(c->hist[f].len);
        }
        free(c->m), free(c->history), free(c->name), free(c->label), free(c->group), free(c->set);
    }
    for (int i = 0; i < e->grid->n_d; i++) free(e->grid->dname[i]), free(e->grid->dval[i]), free_names(e->grid, i);
    free(e->grid->dname), free(e->grid->dval), free(e->grid->dper), free(e->grid->dlist);
    free(e->grid->c);
    free(e->grid);
    e->grid = NULL;
}
