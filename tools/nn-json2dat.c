/* nn-json2dat — columns out of a results document, for gnuplot.
 *
 *   nn-json2dat FILE PATH [PATH ...]    one column per PATH, one row per array element
 *   nn-json2dat --value FILE PATH       one scalar (number or string) on one line
 *   nn-json2dat --list FILE PATH        the elements of an array, one per line
 *   nn-json2dat --diverged FILE         "D N": of the N runs, D stopped on NaN/Inf
 *   nn-json2dat --measures FILE DIR     the grid's measures (lab/nn_grid.h) as files gnuplot reads
 *                                       without a shell (below)
 *
 * PATH is dot-separated: an object key, an array index (0-based), or KEY=VALUE to pick
 * the first array element whose KEY equals VALUE, e.g.
 *   runs.label=quadratic-2-2.history.loss      summary.depth.0
 * With --value, a PATH ending in ".#" gives the number of elements of the array before it
 * (e.g. summary.arms.# — how many arms ran).
 * A PATH that ends at a number gives that number in every row; arrays shorter than the
 * longest give NaN in their missing rows; null (a NaN or Inf in the run) prints as NaN,
 * which gnuplot skips. In gnuplot:  plot '< bin/nn-json2dat results/x.json a.b a.c' u 1:2
 *
 * --measures writes into DIR (an existing folder):
 *   conditions.gp     NCOND, NSEEDS, DATA_NAME, DATA_TRAIN, DATA_TEST (the data set and its sizes), arrays
 *                     COND_NAME, COND_LABEL, COND_GROUP, COND_X (1-based, in the
 *                     document's order), GROUPS (the distinct groups, in order, as words), NDIV and NRUNS
 *                     (cells that diverged, of all), and cfg_KEY for every number or string of the config
 *                     whose key is a name (a list: its elements as words of one string, so words(cfg_hidden) is
 *                     the number of hidden layers); every string a gnuplot literal (nn_str_gnuplot)
 *   NAME.dat          a number per cell: one row per condition, "i x mean std min max n" (i from 0); the same
 *                     summary also in conditions.gp as arrays mean_NAME, std_NAME, min_NAME, max_NAME, n_NAME
 *                     [1..NCOND] where NAME is a name gnuplot takes (letters, digits, '_'), for titles
 *   NAME.dat          a series per cell: one block per condition (gnuplot's `index i`), "t mean std min max n"
 *                     (the condition's summary, as the frame computed it; n: the seeds with a value at t — a
 *                     mean "while every seed is running" is n == NSEEDS)
 *   NAME.seeds.dat    and one block per cell (index i·NSEEDS + r), "t value"
 * The training record of a cell gives the series history.train_loss, history.test_acc, … (t the epoch).
 * A measure named otherwise than with letters, digits, '_', '-' and inner '.' is refused (it names a file).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <string.h>

#include "nnlab.h"

static const cJSON *walk(const cJSON *node, const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *seg = strtok_r(buf, ".", &save); seg && node; seg = strtok_r(NULL, ".", &save)) {
        char *eq = strchr(seg, '=');
        char *end;
        long idx = strtol(seg, &end, 10);
        if (eq) {
            *eq = '\0';
            const cJSON *found = NULL, *el;
            cJSON_ArrayForEach(el, node)
            {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(el, seg);
                char num[64];
                const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
                if (cJSON_IsNumber(v)) snprintf(num, sizeof num, "%g", v->valuedouble), s = num;
                if (s && strcmp(s, eq + 1) == 0) {
                    found = el;
                    break;
                }
            }
            node = found;
        } else if (*seg && !*end && cJSON_IsArray(node)) {
            node = cJSON_GetArrayItem(node, (int)idx);
        } else {
            node = cJSON_GetObjectItemCaseSensitive(node, seg);
        }
    }
    return node;
}

static void print_value(const cJSON *v)
{
    if (cJSON_IsNumber(v)) printf("%.10g", v->valuedouble);
    else if (cJSON_IsString(v)) printf("%s", v->valuestring);
    else if (cJSON_IsBool(v)) printf("%d", cJSON_IsTrue(v));
    else printf("NaN");
}

/* ---- --measures ---------------------------------------------------------------------------- */

static int file_name_ok(const char *s)
{
    if (!*s || *s == '.') return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("_-.", *p)) ||
            (*p == '.' && p[1] == '.'))
            return 0;
    return 1;
}

static void num(nn_str *b, double v) { isfinite(v) ? nn_str_add(b, "%.10g", v) : nn_str_add(b, "NaN"); }

static double num_of(const cJSON *v) { return cJSON_IsNumber(v) ? v->valuedouble : NAN; }

/* the per-seed series of measure `name` (or history field `name` after "history.") of seed s, or NULL */
static const cJSON *seed_series(const cJSON *seed, const char *name)
{
    if (!strncmp(name, "history.", 8))
        return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(seed, "history"), name + 8);
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(seed, "measures"), name);
}

/* a condition's summary of series `name` ({"mean", "std", "min", "max"} lists), or NULL */
static const cJSON *summary_series(const cJSON *cond, const char *name)
{
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(cond, "summary");
    const cJSON *st = !strncmp(name, "history.", 8)
                          ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sum, "history"), name + 8)
                          : cJSON_GetObjectItemCaseSensitive(sum, name);
    return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(st, "mean")) ? st : NULL;
}

typedef struct names {
    char **v;
    int n;
} names;

static void names_add(names *ns, const char *s)
{
    for (int i = 0; i < ns->n; i++)
        if (!strcmp(ns->v[i], s)) return;
    char **v = realloc(ns->v, (size_t)(ns->n + 1) * sizeof *v);
    if (!v) abort();
    ns->v = v;
    ns->v[ns->n++] = nn_strdup(s);
}

static int write_in(const char *dir, const char *name, const nn_str *b)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return nn_fail("the folder's path is too long");
    return nn_write_file_atomic(path, b->s ? b->s : "", b->len);
}

static int measures(const cJSON *doc, const char *dir)
{
    const cJSON *conds = cJSON_GetObjectItemCaseSensitive(doc, "conditions"), *c;
    if (!cJSON_IsArray(conds)) return nn_fail("no 'conditions' (the document was not written by the grid frame)");
    const int NC = cJSON_GetArraySize(conds);
    int S = 0, ndiv = 0, ncell = 0, rc = 0;
    names scalars = {0}, series = {0}, groups = {0};
    nn_str g = {0};
    cJSON_ArrayForEach(c, conds)
    {
        const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(c, "seeds"), *sd;
        const char *group = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "group"));
        if (!cJSON_IsArray(seeds) || !group || !cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name")))
            return nn_fail("a condition without its name, group or seeds");
        names_add(&groups, group);
        S = nn_max_i(S, cJSON_GetArraySize(seeds));
        cJSON_ArrayForEach(sd, seeds)
        {
            const cJSON *m, *h = cJSON_GetObjectItemCaseSensitive(sd, "history");
            ncell++;
            ndiv += cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(h, "diverged"));
            cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(sd, "measures"))
            {
                if (!file_name_ok(m->string)) return nn_fail("a measure named '%s' cannot name a file", m->string);
                names_add(cJSON_IsArray(m) ? &series : &scalars, m->string);
            }
            cJSON_ArrayForEach(m, h)
            if (cJSON_IsArray(m) && file_name_ok(m->string))
            {
                char hn[160];
                snprintf(hn, sizeof hn, "history.%s", m->string);
                names_add(&series, hn);
            }
        }
    }
    /* conditions.gp */
    nn_str_add(&g, "NCOND = %d\nNSEEDS = %d\nNDIV = %d\nNRUNS = %d\n", NC, S, ndiv, ncell);
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(doc, "dataset");
    nn_str_add(&g, "DATA_NAME = "), nn_str_gnuplot(&g, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ds, "name"))
                                                           ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ds, "name"))
                                                           : "");
    nn_str_add(&g, "\nDATA_TRAIN = "), num(&g, num_of(cJSON_GetObjectItemCaseSensitive(ds, "train")));
    nn_str_add(&g, "\nDATA_TEST = "), num(&g, num_of(cJSON_GetObjectItemCaseSensitive(ds, "test"))), nn_str_add(&g, "\n");
    if (NC > 0) {
        const char *arr[] = {"COND_NAME", "COND_LABEL", "COND_GROUP", "COND_X"}, *key[] = {"name", "label", "group", "x"};
        for (int a = 0; a < 4; a++) {
            nn_str_add(&g, "array %s[%d] = [", arr[a], NC);
            int i = 0;
            cJSON_ArrayForEach(c, conds)
            {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key[a]);
                nn_str_add(&g, "%s", i++ ? ", " : "");
                if (a == 3) num(&g, num_of(v));
                else nn_str_gnuplot(&g, cJSON_GetStringValue(v) ? cJSON_GetStringValue(v) : "");
            }
            nn_str_add(&g, "]\n");
        }
    }
    nn_str gw = {0};
    for (int i = 0; i < groups.n; i++) nn_str_add(&gw, "%s%s", i ? " " : "", groups.v[i]);
    nn_str_add(&g, "GROUPS = ");
    nn_str_gnuplot(&g, gw.s ? gw.s : "");
    nn_str_add(&g, "\n");
    nn_str_free(&gw);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, cJSON_GetObjectItemCaseSensitive(doc, "config"))
    {
        int ident = kv->string && *kv->string && !(*kv->string >= '0' && *kv->string <= '9');
        for (const char *p = kv->string; ident && *p; p++)
            ident = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!ident) continue;
        if (cJSON_IsNumber(kv)) nn_str_add(&g, "cfg_%s = ", kv->string), num(&g, kv->valuedouble), nn_str_add(&g, "\n");
        else if (cJSON_IsString(kv))
            nn_str_add(&g, "cfg_%s = ", kv->string), nn_str_gnuplot(&g, kv->valuestring), nn_str_add(&g, "\n");
        else if (cJSON_IsBool(kv)) nn_str_add(&g, "cfg_%s = %d\n", kv->string, cJSON_IsTrue(kv));
        else if (cJSON_IsArray(kv)) {
            nn_str w = {0};
            const cJSON *x;
            cJSON_ArrayForEach(x, kv)
            {
                if (w.len) nn_str_add(&w, " ");
                if (cJSON_IsNumber(x)) num(&w, x->valuedouble);
                else if (cJSON_IsString(x)) nn_str_add(&w, "%s", x->valuestring);
            }
            nn_str_add(&g, "cfg_%s = ", kv->string), nn_str_gnuplot(&g, w.s ? w.s : ""), nn_str_add(&g, "\n");
            nn_str_free(&w);
        }
    }
    for (int k = 0; k < scalars.n && NC > 0; k++) { /* scalar summaries as arrays, for titles and labels */
        int ident = !(scalars.v[k][0] >= '0' && scalars.v[k][0] <= '9');
        for (const char *p = scalars.v[k]; ident && *p; p++) ident = *p != '.' && *p != '-';
        if (!ident) continue;
        const char *f[] = {"mean", "std", "min", "max", "n"};
        for (int q = 0; q < 5; q++) {
            nn_str_add(&g, "array %s_%s[%d] = [", f[q], scalars.v[k], NC);
            int i = 0;
            cJSON_ArrayForEach(c, conds)
            {
                const cJSON *st = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "summary"), scalars.v[k]);
                nn_str_add(&g, "%s", i++ ? ", " : ""), num(&g, num_of(cJSON_GetObjectItemCaseSensitive(st, f[q])));
            }
            nn_str_add(&g, "]\n");
        }
    }
    rc = write_in(dir, "conditions.gp", &g);
    nn_str_free(&g);
    /* a number per cell: one row per condition */
    for (int k = 0; k < scalars.n && !rc; k++) {
        nn_str b = {0};
        nn_str_add(&b, "# %s: i x mean std min max n (over seeds)\n", scalars.v[k]);
        int i = 0;
        cJSON_ArrayForEach(c, conds)
        {
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "summary"), scalars.v[k]);
            nn_str_add(&b, "%d ", i++);
            num(&b, num_of(cJSON_GetObjectItemCaseSensitive(c, "x")));
            const char *f[] = {"mean", "std", "min", "max", "n"};
            for (int q = 0; q < 5; q++) nn_str_add(&b, " "), num(&b, num_of(cJSON_GetObjectItemCaseSensitive(st, f[q])));
            nn_str_add(&b, "\n");
        }
        char fn[200];
        snprintf(fn, sizeof fn, "%s.dat", scalars.v[k]);
        rc = write_in(dir, fn, &b);
        nn_str_free(&b);
    }
    /* a series per cell: per condition its mean, std, min and max over seeds; per cell its values */
    for (int k = 0; k < series.n && !rc; k++) {
        nn_str b = {0}, e = {0};
        nn_str_add(&b, "# %s: one block per condition: t mean std min max n (over seeds)\n", series.v[k]);
        nn_str_add(&e, "# %s: one block per condition and seed: t value\n", series.v[k]);
        cJSON_ArrayForEach(c, conds)
        {
            const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(c, "seeds"), *sd;
            int len = 0, r = 0;
            cJSON_ArrayForEach(sd, seeds) len = nn_max_i(len, cJSON_GetArraySize(seed_series(sd, series.v[k])));
            const int hist = !strncmp(series.v[k], "history.", 8);
            const cJSON *ep0 = hist ? seed_series(cJSON_GetArrayItem(seeds, 0), "history.epoch") : NULL;
            /* the frame's own statistics over seeds (from the doubles, before the document rounded the cells'
             * values), recomputed from the cells only where the document has none */
            const cJSON *st = summary_series(c, series.v[k]);
            for (int t = 0; t < len; t++) {
                double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
                int n = 0;
                cJSON_ArrayForEach(sd, seeds)
                {
                    double v = num_of(cJSON_GetArrayItem(seed_series(sd, series.v[k]), t));
                    if (isfinite(v)) sum += v, n++, lo = fmin(lo, v), hi = fmax(hi, v);
                }
                double mean = n ? sum / n : NAN;
                cJSON_ArrayForEach(sd, seeds)
                {
                    double v = num_of(cJSON_GetArrayItem(seed_series(sd, series.v[k]), t));
                    if (isfinite(v)) sq += (v - mean) * (v - mean);
                }
                double sdv = n ? sqrt(sq / n) : NAN;
                if (st) {
                    mean = num_of(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "mean"), t));
                    sdv = num_of(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "std"), t));
                    lo = num_of(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "min"), t));
                    hi = num_of(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "max"), t));
                }
                num(&b, hist && ep0 ? num_of(cJSON_GetArrayItem(ep0, t)) : t + 1);
                nn_str_add(&b, " "), num(&b, mean), nn_str_add(&b, " "), num(&b, sdv);
                nn_str_add(&b, " "), num(&b, n ? lo : NAN), nn_str_add(&b, " "), num(&b, n ? hi : NAN);
                nn_str_add(&b, " %d\n", n);
            }
            if (!len) nn_str_add(&b, "NaN NaN NaN NaN NaN 0\n"); /* an empty block would merge with the next one */
            nn_str_add(&b, "\n\n");
            cJSON_ArrayForEach(sd, seeds)
            {
                const cJSON *v = seed_series(sd, series.v[k]), *x;
                const cJSON *ep = hist ? seed_series(sd, "history.epoch") : NULL;
                int t = 0;
                cJSON_ArrayForEach(x, v)
                {
                    num(&e, ep ? num_of(cJSON_GetArrayItem(ep, t)) : t + 1);
                    nn_str_add(&e, " "), num(&e, num_of(x)), nn_str_add(&e, "\n");
                    t++;
                }
                if (!t) nn_str_add(&e, "NaN NaN\n"); /* an empty block would merge with the next one */
                nn_str_add(&e, "\n\n");
                r++;
            }
            for (; r < S; r++) nn_str_add(&e, "NaN NaN\n\n\n"); /* a condition with fewer seeds keeps the numbering */
        }
        char fn[200];
        snprintf(fn, sizeof fn, "%s.dat", series.v[k]);
        rc = write_in(dir, fn, &b);
        snprintf(fn, sizeof fn, "%s.seeds.dat", series.v[k]);
        if (!rc) rc = write_in(dir, fn, &e);
        nn_str_free(&b), nn_str_free(&e);
    }
    for (int i = 0; i < scalars.n; i++) free(scalars.v[i]);
    for (int i = 0; i < series.n; i++) free(series.v[i]);
    for (int i = 0; i < groups.n; i++) free(groups.v[i]);
    free(scalars.v), free(series.v), free(groups.v);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: nn-json2dat FILE PATH [PATH ...] | --value FILE PATH | --list FILE PATH | --diverged FILE | --measures "
               "FILE DIR\n"
               "Print columns of a results JSON document for gnuplot (see the comment in tools/nn-json2dat.c).\n");
        return 0;
    }
    int mode = 0; /* 0 columns, 1 value, 2 list, 3 diverged, 4 measures */
    int a = 1;
    if (argc >= 2 && !strcmp(argv[1], "--measures")) {
        if (argc != 4) {
            fprintf(stderr, "usage: nn-json2dat --measures FILE DIR\n");
            return 2;
        }
        char *text;
        cJSON *doc = NULL;
        if (nn_read_file(argv[2], 1u << 28, &text, NULL) == 0) doc = nn_json_parse(text), free(text);
        else {
            fprintf(stderr, "nn-json2dat: %s\n", nn_error());
            return 1;
        }
        if (!doc) {
            fprintf(stderr, "nn-json2dat: '%s' is not valid JSON\n", argv[2]);
            return 1;
        }
        int rc = measures(doc, argv[3]);
        if (rc) fprintf(stderr, "nn-json2dat: %s: %s\n", argv[2], nn_error());
        cJSON_Delete(doc);
        return rc ? 1 : 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "--value")) mode = 1, a = 2;
    else if (argc >= 2 && !strcmp(argv[1], "--list")) mode = 2, a = 2;
    else if (argc >= 2 && !strcmp(argv[1], "--diverged")) mode = 3, a = 2;
    if (mode == 3 ? argc - a != 1 : (argc - a < 2 || (mode && argc - a != 2))) {
        fprintf(stderr, "usage: nn-json2dat FILE PATH [PATH ...] | --value FILE PATH | --list FILE PATH | --diverged FILE\n");
        return 2;
    }
    char *text;
    if (nn_read_file(argv[a], 1u << 28, &text, NULL) != 0) {
        fprintf(stderr, "nn-json2dat: %s\n", nn_error());
        return 1;
    }
    cJSON *doc = nn_json_parse(text);
    free(text);
    if (!doc) {
        fprintf(stderr, "nn-json2dat: '%s' is not valid JSON\n", argv[a]);
        return 1;
    }
    if (mode == 3) { /* a run diverged when its history says so, or the run itself does; a grid's cells too */
        int runs = 0, div = 0;
        const cJSON *run, *cond;
        cJSON_ArrayForEach(cond, cJSON_GetObjectItemCaseSensitive(doc, "conditions"))
        cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(cond, "seeds"))
        {
            runs++;
            div += cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "history"), "diverged"));
        }
        cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(doc, "runs"))
        {
            runs++;
            const cJSON *h = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "history"), "diverged");
            const cJSON *r = cJSON_GetObjectItemCaseSensitive(run, "diverged");
            div += cJSON_IsObject(h) || cJSON_IsTrue(h) || cJSON_IsString(r) || cJSON_IsTrue(r);
        }
        printf("%d %d\n", div, runs);
        cJSON_Delete(doc);
        return 0;
    }
    if (mode == 1) { /* PATH.# : the length of an array */
        size_t L = strlen(argv[a + 1]);
        if (L >= 2 && !strcmp(argv[a + 1] + L - 2, ".#")) {
            argv[a + 1][L - 2] = '\0';
            const cJSON *arr = walk(doc, argv[a + 1]);
            printf("%d\n", cJSON_IsArray(arr) || cJSON_IsObject(arr) ? cJSON_GetArraySize(arr) : 0);
            cJSON_Delete(doc);
            return 0;
        }
    }
    int np = argc - a - 1;
    const cJSON **col = nn_calloc((size_t)np, sizeof *col);
    int rows = 1, rc = 0;
    for (int p = 0; p < np; p++) {
        col[p] = walk(doc, argv[a + 1 + p]);
        if (!col[p]) {
            fprintf(stderr, "nn-json2dat: %s: no value at path '%s'\n", argv[a], argv[a + 1 + p]);
            rc = 1;
            goto done;
        }
        if (cJSON_IsArray(col[p])) rows = nn_max_i(rows, cJSON_GetArraySize(col[p]));
    }
    if (mode == 1) {
        print_value(col[0]);
        putchar('\n');
    } else if (mode == 2) {
        const cJSON *el;
        cJSON_ArrayForEach(el, col[0])
        {
            print_value(el);
            putchar('\n');
        }
    } else {
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < np; p++) {
                const cJSON *v = cJSON_IsArray(col[p]) ? cJSON_GetArrayItem(col[p], r) : col[p];
                if (p) putchar(' ');
                if (cJSON_IsString(v)) printf("\"%s\"", v->valuestring);
                else print_value(v);
            }
            putchar('\n');
        }
    }
done:
    free(col);
    cJSON_Delete(doc);
    return rc;
}
