/* nn-samevalues — does a results document measure what an earlier one measured, whatever its layout?
 *
 *   nn-samevalues OLD.json NEW.json ...      pairs: each OLD against the NEW after it
 *
 * The proof of a port to another results layout (the grid, lab/nn_grid.h): the same program with the same
 * config, seeds and build must give
 *   - the same config, data set and arms, and
 *   - the same claims: every field of every claim, by id (a "second_seed_set" and "fragile" that only one
 *     side has — the reference run's merge of a second seed set — are left out), and
 *   - every number OLD measured (its runs and summary, tables and timings aside) somewhere in NEW, bit for bit.
 * Per pair one line: "same" with the count of numbers, or what differs (at most ten numbers named by their
 * path in OLD). Exit 0 when every pair is the same, 1 when one is not or a file cannot be read, 2 on a usage
 * error. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nnlab.h"

static int skip_key(const char *k)
{
    static const char *const skip[] = {"timing", "tables", "wall_seconds", "seconds", NULL};
    for (int i = 0; k && skip[i]; i++)
        if (!strcmp(k, skip[i])) return 1;
    return 0;
}

typedef struct nums {
    double *v;
    size_t n, cap;
} nums;

static void push(nums *a, double v)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 1024;
        double *p = realloc(a->v, a->cap * sizeof *p);
        if (!p) abort();
        a->v = p;
    }
    a->v[a->n++] = v;
}

static void collect(const cJSON *o, nums *a)
{
    const cJSON *c;
    if (cJSON_IsNumber(o)) push(a, o->valuedouble);
    cJSON_ArrayForEach(c, o)
    if (!skip_key(c->string)) collect(c, a);
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static int has(const nums *a, double v)
{
    return bsearch(&v, a->v, a->n, sizeof(double), cmp_d) != NULL;
}

/* the first number of `o` (path `at`) that `in` lacks, printed; returns how many are missing */
static int missing(const cJSON *o, const char *at, const nums *in, int *shown, int *total)
{
    int miss = 0;
    if (cJSON_IsNumber(o)) {
        (*total)++;
        if (!has(in, o->valuedouble)) {
            if ((*shown)++ < 10) printf("    %s = %.17g is not in the new document\n", at, o->valuedouble);
            return 1;
        }
        return 0;
    }
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, o)
    {
        if (skip_key(c->string)) {
            i++;
            continue;
        }
        char *p = malloc(strlen(at) + (c->string ? strlen(c->string) : 0) + 24);
        if (!p) abort();
        if (c->string) sprintf(p, "%s.%s", at, c->string);
        else sprintf(p, "%s[%d]", at, i);
        miss += missing(c, p, in, shown, total);
        free(p);
        i++;
    }
    return miss;
}

static int same_claims(const cJSON *a, const cJSON *b)
{
    int diff = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(a, "claims"))
    {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
        const cJSON *d = id ? nn_claims_find(b, id) : NULL;
        if (!d) {
            printf("    claim %s is not in the new document\n", id ? id : "(no id)");
            diff++;
            continue;
        }
        cJSON *x = cJSON_Duplicate(c, 1), *y = cJSON_Duplicate(d, 1);
        const char *merged[] = {"second_seed_set", "fragile"};
        for (int k = 0; k < 2; k++)
            if (!cJSON_GetObjectItemCaseSensitive(x, merged[k]) != !cJSON_GetObjectItemCaseSensitive(y, merged[k]))
                cJSON_DeleteItemFromObjectCaseSensitive(x, merged[k]), cJSON_DeleteItemFromObjectCaseSensitive(y, merged[k]);
        if (!cJSON_Compare(x, y, 1)) {
            const cJSON *f;
            cJSON_ArrayForEach(f, x)
            if (!cJSON_Compare(f, cJSON_GetObjectItemCaseSensitive(y, f->string), 1))
            {
                printf("    claim %s: '%s' differs\n", id, f->string);
                break;
            }
            diff++;
        }
        cJSON_Delete(x), cJSON_Delete(y);
    }
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "claims")) !=
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b, "claims")))
        printf("    %d claims before, %d now\n", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "claims")),
               cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b, "claims"))),
            diff++;
    return diff;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: nn-samevalues OLD.json NEW.json [OLD.json NEW.json ...]\n"
               "Whether NEW measured what OLD measured, whatever the layout (see tools/nn-samevalues.c).\n");
        return 0;
    }
    if (argc < 3 || (argc - 1) % 2) {
        fprintf(stderr, "usage: nn-samevalues OLD.json NEW.json [OLD.json NEW.json ...]\n");
        return 2;
    }
    int bad = 0;
    for (int p = 1; p + 1 < argc; p += 2) {
        cJSON *a = nn_json_load(argv[p]), *b = a ? nn_json_load(argv[p + 1]) : NULL;
        if (!a || !b) {
            fprintf(stderr, "nn-samevalues: %s\n", nn_error());
            cJSON_Delete(a);
            bad = 1;
            continue;
        }
        printf("%s → %s:\n", argv[p], argv[p + 1]);
        int diff = 0;
        const char *same[] = {"config", "dataset", "arms"};
        for (int k = 0; k < 3; k++) {
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, same[k]), *y = cJSON_GetObjectItemCaseSensitive(b, same[k]);
            if ((x || y) && !cJSON_Compare(x, y, 1)) printf("    '%s' differs\n", same[k]), diff++;
        }
        diff += same_claims(a, b);
        nums in = {0};
        collect(b, &in);
        qsort(in.v, in.n, sizeof(double), cmp_d);
        int shown = 0, total = 0, miss = 0;
        const char *measured[] = {"runs", "summary"};
        for (int k = 0; k < 2; k++)
            miss += missing(cJSON_GetObjectItemCaseSensitive(a, measured[k]), measured[k], &in, &shown, &total);
        if (miss) printf("    %d of %d measured numbers are not in the new document\n", miss, total);
        printf("  %s: %d claims, %d measured numbers\n", diff || miss ? "DIFFERENT" : "same",
               cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "claims")), total);
        bad |= diff || miss;
        free(in.v);
        cJSON_Delete(a), cJSON_Delete(b);
    }
    return bad;
}
