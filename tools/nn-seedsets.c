/* nn-seedsets — how stable each claim of the reference run is: its verdict from a second, disjoint seed
 * set, and the exercises (other settings or budgets) in which it reverses.
 *
 *   nn-seedsets --second DIR RESULTS.json ...
 *   nn-seedsets --exercises DIR RESULTS.json ...
 *
 * --second: for each RESULTS.json (results/NAME.json), reads DIR/NAME.json — the same experiment run
 * with seeds from 1001 (make reference does both) — and records in each claim "second_seed_set"
 * (seeds, per-seed values, held_in, effect, verdict, reason) and "fragile" (the verdicts differ).
 * --exercises: reads every DIR/ID.json (results/exercises/) and records in each held or not-held claim
 * of the same experiment "reverses_in": the exercises whose run gives the opposite verdict.
 * Every measured value of RESULTS.json stays as it was, wall_seconds included; each file is written
 * atomically, and nothing is written for a file that fails. Exit 0; 1 when a file is missing or
 * unreadable or the seed sets overlap; 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <string.h>

#include "nnlab.h"

static cJSON *load(const char *path)
{
    cJSON *doc = nn_json_load(path);
    if (!doc) return NULL;
    /* untrusted input: the fields the merge reads, with their types, or a message naming the file and the field */
    char bad[256];
    int k = 0;
    const cJSON *c;
    if (!nn_report_check(doc, bad, sizeof bad))
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
        {
            if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "statement")))
                snprintf(bad, sizeof bad, "claims[%d].statement is missing or not a string", k);
            if (bad[0]) break;
            k++;
        }
    if (bad[0]) {
        nn_fail("%s: %s", path, bad);
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

static int json_name(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && d->d_name[0] != '.' && !strcmp(d->d_name + n - 5, ".json");
}

/* record the reversals of doc's claims in the exercises of DIR; returns how many, or −1 */
static int merge_exercises(cJSON *doc, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, json_name, alphasort), total = 0, rc = 0;
    if (n < 0) return nn_fail("cannot list '%s'", dir);
    nn_claims_merge_exercise(doc, NULL, NULL);
    const char *exp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "experiment"));
    for (int i = 0; i < n; i++) {
        char path[4096], id[256];
        cJSON *x = NULL;
        if (!rc && !nn_path(path, sizeof path, "%s/%s", dir, names[i]->d_name) && (x = load(path))) {
            const char *xe = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "experiment"));
            snprintf(id, sizeof id, "%.*s", (int)(strlen(names[i]->d_name) - 5), names[i]->d_name);
            if (exp && xe && !strcmp(exp, xe)) {
                int k = nn_claims_merge_exercise(doc, x, id);
                if (k < 0) rc = -1;
                else total += k;
            }
        } else if (!rc) rc = -1;
        cJSON_Delete(x);
        free(names[i]);
    }
    free(names);
    return rc ? -1 : total;
}

int main(int argc, char **argv)
{
    const char *second = NULL, *exercises = NULL;
    int first = 1;
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        if (!strcmp(argv[first], "--second") && first + 1 < argc) second = argv[++first];
        else if (!strcmp(argv[first], "--exercises") && first + 1 < argc) exercises = argv[++first];
        else if (!strcmp(argv[first], "--help")) {
            printf("usage: nn-seedsets --second DIR RESULTS.json ...\n"
                   "       nn-seedsets --exercises DIR RESULTS.json ...\n"
                   "Record beside each claim of RESULTS.json (a reference run) the same claim judged in DIR/NAME.json,\n"
                   "the same experiment run from a disjoint seed set, and mark it fragile when the two verdicts differ;\n"
                   "or record the exercises of DIR (ID.json) in which a held or not-held claim comes out the other way.\n");
            return 0;
        } else {
            fprintf(stderr, "nn-seedsets: unknown flag '%s' (see --help)\n", argv[first]);
            return 2;
        }
    }
    if (!second == !exercises || first >= argc) {
        fprintf(stderr, "usage: nn-seedsets --second DIR | --exercises DIR RESULTS.json ... (see --help)\n");
        return 2;
    }
    int rc = 0, total = 0, fragile = 0, twice = 0;
    for (int i = first; i < argc; i++) {
        const char *base = strrchr(argv[i], '/');
        base = base ? base + 1 : argv[i];
        char path[4096];
        cJSON *doc = load(argv[i]), *other = NULL;
        int n = -1;
        if (doc && second && !nn_path(path, sizeof path, "%s/%s", second, base) && (other = load(path)))
            n = nn_claims_merge_second(doc, other);
        else if (doc && exercises) n = merge_exercises(doc, exercises);
        const cJSON *ws = cJSON_GetObjectItemCaseSensitive(doc, "wall_seconds");
        if (n < 0 || nn_results_write(doc, argv[i], cJSON_IsNumber(ws) ? ws->valuedouble : 0) != 0) {
            fprintf(stderr, "nn-seedsets: %s: %s\n", argv[i], nn_error());
            rc = 1;
        } else if (second) {
            int tw, f = nn_claims_fragile(doc, &tw);
            printf("nn-seedsets: %s: %d claims judged from both seed sets, %d of %d lecture claims fragile\n", argv[i], n, f, tw);
            total += n, fragile += f, twice += tw;
        } else {
            printf("nn-seedsets: %s: %d reversals in the exercises\n", argv[i], n);
            total += n;
        }
        cJSON_Delete(doc), cJSON_Delete(other);
    }
    if (second)
        printf("nn-seedsets: %d claims in all; %d of %d lecture claims fragile (their verdict differs between the seed sets)\n",
               total, fragile, twice);
    else printf("nn-seedsets: %d reversals of a held or not-held verdict in the exercises\n", total);
    return rc;
}
