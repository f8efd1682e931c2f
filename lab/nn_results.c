/* nn_results.c — results documents (see nn_results.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_results.h"
#include "nn_dense.h"
#include "nn_io.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* The revision of the code that runs, read when the results are made (not when the
 * library was compiled, so rebuilding never depends on the repository's state): the
 * commit, with "-dirty" when tracked code (lib, lab, experiments, tools, tests, plots scripts,
 * Makefile) differs from it. Outputs (results/, figures, notes) do not count. "unknown"
 * outside a git checkout. */
static void git_revision(char *buf, size_t n)
{
    snprintf(buf, n, "unknown");
    FILE *p =
        popen("r=$(git rev-parse --short=12 HEAD 2>/dev/null) || exit 0; "
              "git diff --quiet HEAD -- lib lab experiments tools tests Makefile 'plots/*.gp' 2>/dev/null || r=\"$r-dirty\"; "
              "echo \"$r\"",
              "r");
    if (!p) return;
    char line[128];
    if (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0]) snprintf(buf, n, "%s", line);
    }
    pclose(p);
}

const char *nn_json_nul(const char *text, size_t len)
{
    int in_string = 0;
    for (const char *p = text; p < text + len; p++) {
        if (*p == '"') in_string = !in_string;
        else if (in_string && *p == '\\' && p + 1 < text + len) {
            if (p[1] == 'u' && p + 6 <= text + len && !strncmp(p + 2, "0000", 4)) return p;
            p++; /* the escaped character, whatever it is */
        }
    }
    return NULL;
}

cJSON *nn_json_parse(const char *text)
{
    return text && !nn_json_nul(text, strlen(text)) ? cJSON_ParseWithOpts(text, NULL, 1) : NULL;
}

cJSON *nn_json_num(double v)
{
    if (!isfinite(v)) return cJSON_CreateNull();
    char buf[40];
    snprintf(buf, sizeof buf, "%.9g", v);
    return cJSON_CreateNumber(strtod(buf, NULL));
}

cJSON *nn_json_load(const char *path)
{
    char *text;
    if (nn_read_file(path, 1u << 28, &text, NULL) != 0) return NULL;
    cJSON *doc = nn_json_parse(text);
    free(text);
    if (!doc) nn_fail("'%s' is not valid JSON", path);
    return doc;
}

cJSON *nn_json_series(const double *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, nn_json_num(v[i]));
    return a;
}

cJSON *nn_results_new(const char *experiment, const char *description)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "experiment", experiment);
    cJSON_AddNumberToObject(doc, "schema_version", NN_SCHEMA_VERSION);
    if (description) cJSON_AddStringToObject(doc, "description", description);
    return doc;
}

cJSON *nn_results_environment(void)
{
    cJSON *env = cJSON_CreateObject();
#ifdef __VERSION__
    cJSON_AddStringToObject(env, "compiler", __VERSION__);
#endif
    cJSON_AddStringToObject(env, "blas", openblas_get_config());
    cJSON_AddNumberToObject(env, "blas_threads", nn_threads());
    cJSON_AddStringToObject(env, "real", NN_REAL_NAME);
    char rev[128];
    git_revision(rev, sizeof rev);
    cJSON_AddStringToObject(env, "git_revision", rev);
    return env;
}

cJSON *nn_results_dataset(const nn_split *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "source", s->source);
    cJSON_AddNumberToObject(o, "features", s->train.d);
    cJSON_AddNumberToObject(o, "classes", s->train.n_classes);
    cJSON_AddNumberToObject(o, "train", s->train.n);
    cJSON_AddNumberToObject(o, "validation", s->val.n);
    cJSON_AddNumberToObject(o, "test", s->test.n);
    char h[24];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)s->checksum);
    cJSON_AddStringToObject(o, "checksum_fnv1a64", h);
    return o;
}

cJSON *nn_results_history(const nn_history *h)
{
    cJSON *o = cJSON_CreateObject();
    int n = h->n_epochs;
    double *buf = nn_calloc((size_t)n + 1, sizeof(double));
#define SERIES(key, expr)                                        \
    do {                                                         \
        for (int i = 0; i < n; i++) buf[i] = (expr);             \
        cJSON_AddItemToObject(o, key, nn_json_series(buf, n));   \
    } while (0)
    SERIES("epoch", h->ep[i].epoch);
    SERIES("lr", h->ep[i].lr);
    SERIES("train_loss", h->ep[i].train_loss);
    SERIES("train_acc", h->ep[i].train_acc);
    SERIES("test_loss", h->ep[i].test_loss);
    SERIES("test_acc", h->ep[i].test_acc);
    if (h->diverged) {
        cJSON *d = cJSON_AddObjectToObject(o, "diverged");
        cJSON_AddNumberToObject(d, "epoch", h->div_epoch);
        cJSON_AddNumberToObject(d, "step", (double)h->div_step);
        cJSON_AddStringToObject(d, "what", h->div_what);
    } else {
        cJSON_AddFalseToObject(o, "diverged");
    }
    cJSON *t = cJSON_AddObjectToObject(o, "timing");
    for (int i = 0; i < n; i++) buf[i] = h->ep[i].seconds;
    cJSON_AddItemToObject(t, "epoch_seconds", nn_json_series(buf, n));
#undef SERIES
    free(buf);
    return o;
}

int nn_results_write(cJSON *doc, const char *path, double wall_seconds)
{
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "wall_seconds");
    cJSON_AddItemToObject(doc, "wall_seconds", nn_json_num(wall_seconds));
    char *text = cJSON_Print(doc);
    if (!text) return nn_fail("cannot write '%s': out of memory formatting JSON", path);
    size_t len = strlen(text);
    char *withnl = nn_calloc(len + 2, 1);
    memcpy(withnl, text, len);
    withnl[len] = '\n';
    cJSON_free(text);
    int rc = nn_write_file_atomic(path, withnl, len + 1);
    free(withnl);
    return rc;
}
