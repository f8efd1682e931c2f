/* nn_coverage.h — the coverage index: every testable item of the five lecture notes, and where
 * the lab stands on it (lectures/coverage.json).
 *
 * The index is a JSON array with one object per item, numbered 1, 2, … in order:
 *   "n"        the item's number;
 *   "seeds"    where the seeds say it ("004:1220-1236": seed file and cat -n lines);
 *   "item"     what they say, in the lab's words;
 * and where the lab stands, in this order of precedence (the first present is the item's status):
 *   "claims"   the claims that bear on it, "experiment:claim-id" as the results name them;
 *              "setting" (optional) says how the tested setting differs from the seed's. Against
 *              results (nn_cov_status_in), the item is tested only through its *lecture* claims
 *              (lectures/claim-rubric.md): with none it is "checked by an identity" (or a setup claim),
 *              and when every one of them is fragile (its verdict differs between the two seed sets)
 *              it is "tested, fragile"; neither counts as tested;
 *   "shown"    shown: a figure or table, without a claim;
 *   "out"      out of scope, and why;
 *   "library"  built into the library and checked by its tests, without a claim;
 *   "taught"   explained in a note only;
 *   "missing"  none of these yet, and what would test it (may also accompany any of the above).
 * nn_coverage_check holds the index to a set of results documents: every claim an entry names
 * must exist, and every claim of every document must be named by some entry.
 */
#ifndef NN_COVERAGE_H
#define NN_COVERAGE_H

#include <cjson/cJSON.h>

#include "nn_report.h"

typedef enum {
    NN_COV_TESTED,       /* by a claim, in the seed's setting */
    NN_COV_TESTED_OTHER, /* by a claim, in a setting that differs from the seed's */
    NN_COV_FRAGILE,      /* by lecture claims in the seed's setting, every one of them fragile */
    NN_COV_IDENTITY,     /* its claims are identities or setup claims only: a check of the code, not a test */
    NN_COV_SHOWN,
    NN_COV_OUT,
    NN_COV_LIBRARY,
    NN_COV_TAUGHT,
    NN_COV_MISSING,
    NN_COV_COUNT
} nn_cov_status;

const char *nn_cov_status_name(nn_cov_status s);
/* An entry's status from the index alone (its claims' kinds unknown: an entry with claims is tested). */
nn_cov_status nn_cov_status_of(const cJSON *entry);
/* An entry's status against results documents: its claims' kinds and fragility decide (see above). */
nn_cov_status nn_cov_status_in(const cJSON *entry, cJSON *const *docs, int n_docs);

/* Read and validate an index (shape, numbering, field types); 0, or −1 with a message. */
int nn_coverage_load(const char *path, cJSON **index);
/* The index against results documents (docs[i] has "experiment" and "claims"): 0, or −1 with a
 * message naming the first claims that are missing from the index or that do not exist. */
int nn_coverage_check(const cJSON *index, cJSON *const *docs, int n_docs);
/* The claim "experiment:id" of docs, or NULL. */
cJSON *nn_coverage_find_claim(cJSON *const *docs, int n_docs, const char *ref);
/* Load every results document DIR/NAME.json (sorted by name); returns how many, or −1 with a message.
 * Free with nn_coverage_free_docs. */
int nn_coverage_load_docs(const char *dir, cJSON ***docs);
void nn_coverage_free_docs(cJSON **docs, int n);
/* The index as Markdown: counts per status, then one table row per item with each testing claim's
 * verdict in these documents. */
void nn_coverage_markdown(const cJSON *index, cJSON *const *docs, int n_docs, nn_str *out);
/* Rewrite a note's <!-- nnlab:coverage begin --> … <!-- nnlab:coverage end --> block (if any) from
 * the index and the documents of results_dir, after nn_coverage_check (−1 with its message when
 * they disagree); *changed says whether it differed. */
int nn_report_update_coverage(const char *note, const char *index_path, const char *results_dir, nn_str *out, int *changed);

#endif
