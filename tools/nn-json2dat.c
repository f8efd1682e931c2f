/* nn-json2dat — columns out of a results document, for gnuplot.
 *
 *   nn-json2dat FILE PATH [PATH ...]    one column per PATH, one row per array element
 *   nn-json2dat --value FILE PATH       one scalar (number or string) on one line
 *   nn-json2dat --list FILE PATH        the elements of an array, one per line
 *   nn-json2dat --diverged FILE         "D N": of the N runs, D stopped on NaN/Inf
 *
 * PATH is dot-separated: an object key, an array index (0-based), or KEY=VALUE to pick
 * the first array element whose KEY equals VALUE, e.g.
 *   runs.label=quadratic-2-2.history.loss      summary.depth.0
 * With --value, a PATH ending in ".#" gives the number of elements of the array before it
 * (e.g. summary.arms.# — how many arms ran).
 * A PATH that ends at a number gives that number in every row; arrays shorter than the
 * longest give NaN in their missing rows; null (a NaN or Inf in the run) prints as NaN,
 * which gnuplot skips. In gnuplot:  plot '< bin/nn-json2dat results/x.json a.b a.c' u 1:2
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

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: nn-json2dat FILE PATH [PATH ...] | --value FILE PATH | --list FILE PATH\n"
               "Print columns of a results JSON document for gnuplot (see the comment in tools/nn-json2dat.c).\n");
        return 0;
    }
    int mode = 0; /* 0 columns, 1 value, 2 list, 3 diverged */
    int a = 1;
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
    if (mode == 3) { /* a run diverged when its history says so, or the run itself does */
        int runs = 0, div = 0;
        const cJSON *run;
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
